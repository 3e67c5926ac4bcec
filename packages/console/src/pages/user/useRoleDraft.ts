import { type FormEvent, useRef, useState } from "react";
import type { UserRecord } from "../../types.ts";
import type { ActionResult, RoleDelta } from "./useUserActions.ts";

const noChange: RoleDelta = { add: [], remove: [] };

/** The part of `draft` that changes `base`: roles to add it lacks, roles to remove it has. */
function effective(draft: RoleDelta, base: readonly string[]): RoleDelta {
  return {
    add: draft.add.filter((role) => !base.includes(role)).sort(),
    remove: draft.remove.filter((role) => base.includes(role)).sort(),
  };
}

export type SaveRoles = (
  change: RoleDelta,
  reason: string,
  expectedVersion: number,
  confirmSelf: boolean,
) => Promise<ActionResult>;

/**
 * The roles form's state: the draft change against the record's roles, the reason, the own-account
 * tick, and after a 409 the change set aside (`rejected`) until the admin re-applies it.
 */
export function useRoleDraft(user: UserRecord, self: boolean, busy: boolean, onSave: SaveRoles) {
  const [draft, setDraft] = useState<RoleDelta>(noChange);
  const [rejected, setRejected] = useState<RoleDelta>();
  const [reason, setReason] = useState("");
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const saveButton = useRef<HTMLButtonElement>(null);
  const change = effective(draft, user.roles);
  const selected = [...new Set([...user.roles, ...change.add])].filter(
    (role) => !change.remove.includes(role),
  );
  const changed = change.add.length > 0 || change.remove.length > 0;
  // Not `disabled` while saving: a focused button that turns disabled drops focus to the page.
  const canSave = changed && reason.trim() !== "" && !busy && (!self || selfConfirmed);

  const toggle = (name: string, on: boolean) => {
    const add = change.add.filter((role) => role !== name);
    const remove = change.remove.filter((role) => role !== name);
    if (on && !user.roles.includes(name)) add.push(name);
    if (!on && user.roles.includes(name)) remove.push(name);
    setDraft({ add, remove });
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSave) return;
    const result = await onSave(change, reason.trim(), user.version, self);
    if (result === "failed") return;
    // Saved, or refused as stale: either way the checkboxes now show the record's roles.
    setDraft(noChange);
    setRejected(result === "conflict" ? change : undefined);
    if (result === "done") {
      setReason("");
      setSelfConfirmed(false);
    }
  };
  const reapply = () => {
    if (rejected) setDraft(rejected);
    setRejected(undefined);
    saveButton.current?.focus();
  };
  const undo = () => setDraft(noChange);
  return {
    selected,
    changed,
    canSave,
    rejected,
    reason,
    setReason,
    selfConfirmed,
    setSelfConfirmed,
    saveButton,
    toggle,
    submit,
    reapply,
    undo,
  };
}
