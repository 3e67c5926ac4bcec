import { type FormEvent, type KeyboardEvent, useRef } from "react";
import { useUrlDraft } from "../../route.ts";
import { sameFilters, show, type UserFilters } from "./filters.ts";

type MenuField = "role" | "status" | "source" | "limit" | "sort";
type TextFieldName = "q" | "emailPrefix" | "createdFrom" | "createdTo";

/**
 * The users filters as a draft over the URL's filters, applied by Enter, Search or Apply filters.
 * A menu picked with the pointer applies at once; one changed with the keyboard waits for Enter,
 * so arrowing through options loads nothing (WCAG 3.2.2).
 */
export function useFilterForm(filters: UserFilters) {
  const [draft, setDraft] = useUrlDraft(filters, sameFilters);
  const fromKeyboard = useRef(false);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const change = (field: keyof UserFilters, value: string | number) => {
    const next = { ...draftRef.current, [field]: value };
    setDraft(next);
    draftRef.current = next;
    return next;
  };
  const apply = () => show(draftRef.current);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply();
  };
  const menu = (field: MenuField) => ({
    value: String(draft[field]),
    onPointerDown: () => {
      fromKeyboard.current = false;
    },
    onKeyDown: (event: KeyboardEvent<HTMLSelectElement>) => {
      if (event.key === "Enter") {
        event.preventDefault();
        apply();
      } else if (event.key !== "Tab" && event.key !== "Shift") fromKeyboard.current = true;
    },
    onChange: (value: string) => {
      const next = change(field, field === "limit" ? Number(value) : value);
      if (!fromKeyboard.current) show(next);
    },
  });
  const text = (field: TextFieldName) => ({
    value: draft[field],
    onChange: (value: string) => {
      change(field, value);
    },
  });
  return { submit, menu, text, pending: !sameFilters(draft, filters) };
}
