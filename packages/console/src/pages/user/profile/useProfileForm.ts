import { type FormEvent, useEffect, useRef, useState } from "react";
import { useApp } from "../../../context.tsx";
import { useI18n } from "../../../i18n/useI18n.ts";
import { useLoad } from "../../../load.ts";
import type { UserRecord } from "../../../types.ts";
import type { ActionResult, Outcome } from "../useUserActions.ts";
import { type Draft, editOf, type ProfileEdit, type ProfileFields, valuesOf } from "./form.ts";

type Translate = ReturnType<typeof useI18n>["t"];
type Api = ReturnType<typeof useApp>["api"];

/** Sends the edit at the version shown and words the answer (what changed, what was cleared). */
async function sendEdit(api: Api, t: Translate, user: UserRecord, edit: ProfileEdit, self: boolean) {
  const body = { ...edit, expectedVersion: user.version, ...(self ? { confirmSelf: true } : {}) };
  const answer = await api.send<{ user: UserRecord; changes: string[]; cleared?: string[] }>(
    "PATCH",
    `/users/${encodeURIComponent(user.sub)}/profile`,
    body,
  );
  if (answer.changes.length === 0) return { user: answer.user, message: t("profile.nothingToSave") };
  const cleared = answer.cleared?.length
    ? ` ${t("profile.cleared", { fields: answer.cleared.join(", ") })}`
    : "";
  return {
    user: answer.user,
    message: `${t("profile.saved", { changes: answer.changes.join(", ") })}${cleared}`,
  };
}

/**
 * The profile form's state: the fields follow the record's version; only what the admin changed
 * is sent; after a 409 the admin's values wait to be re-applied; your own profile needs a tick.
 */
export function useProfileForm(
  user: UserRecord,
  busy: boolean,
  perform: (action: () => Promise<Outcome>, attempted: string) => Promise<ActionResult>,
) {
  const { api, me } = useApp();
  const { t } = useI18n();
  const fields = useLoad("profile-fields", () =>
    api.get<{ profileFields: ProfileFields }>("/roles").then((body) => body.profileFields),
  );
  const options = fields.status === "ready" ? fields.data : undefined;
  const attributes = options?.editableAttributes ?? [];
  const base = valuesOf(user, attributes);
  const [draft, setDraft] = useState<Draft>(base);
  const [rejected, setRejected] = useState<Draft>();
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const saveButton = useRef<HTMLButtonElement>(null);
  const self = user.sub === me.sub;
  // A new version (saved, resynced, another admin) resets the fields to the record.
  const baseKey = `${user.version}|${attributes.join(",")}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the fields follow the record's version only.
  useEffect(() => setDraft(valuesOf(user, attributes)), [baseKey]);
  const edit = editOf(draft, base, attributes);
  const canSave =
    Object.keys(edit).length > 0 && !busy && user.status !== "deleted" && (!self || selfConfirmed);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSave) return;
    const kept = draft;
    const attempt = t("profile.attempt", { fields: Object.keys(edit).join(", ") });
    const result = await perform(() => sendEdit(api, t, user, edit, self), attempt);
    if (result === "conflict") setRejected(kept);
    if (result === "done") setSelfConfirmed(false);
    saveButton.current?.focus();
  };
  const reapply = () => {
    if (rejected) setDraft(rejected);
    setRejected(undefined);
    saveButton.current?.focus();
  };
  const setField = (field: string, value: string) => setDraft((current) => ({ ...current, [field]: value }));
  return {
    locales: options?.locales ?? [],
    attributes,
    draft,
    setField,
    submit,
    canSave,
    saveButton,
    rejected,
    reapply,
    self,
    selfConfirmed,
    setSelfConfirmed,
  };
}
