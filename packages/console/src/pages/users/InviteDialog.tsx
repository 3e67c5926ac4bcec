import { useState } from "react";
import { ApiError } from "../../api.ts";
import { ConfirmDialog } from "../../components/Dialog.tsx";
import { ErrorNotice } from "../../components/Notice.tsx";
import { RoleCheckbox } from "../../components/RoleCheckbox.tsx";
import { TextField } from "../../components/TextField.tsx";
import { useApp } from "../../context.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { messageOf } from "../../load.ts";
import type { UserRecord } from "../../types.ts";

/**
 * Invites a user (`POST /users`): Cognito emails them our branded invitation with a temporary
 * password. The roles are set on our record; none checked means the configured default roles.
 */
export function InviteDialog({
  onCancel,
  onInvited,
}: {
  onCancel: () => void;
  onInvited: (user: UserRecord) => void;
}) {
  const { api, roles } = useApp();
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; fields: Record<string, string> }>();

  const submit = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const body = {
        email: email.trim(),
        ...(chosen.length > 0 ? { roles: chosen } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
      };
      const { user } = await api.send<{ user: UserRecord }>("POST", "/users", body);
      onInvited(user);
    } catch (error) {
      setFailure({ message: messageOf(error), fields: error instanceof ApiError ? error.fields : {} });
      setBusy(false);
    }
  };
  const toggle = (role: string, on: boolean) =>
    setChosen((current) => (on ? [...current, role].sort() : current.filter((r) => r !== role)));

  return (
    <ConfirmDialog
      title={t("invite.title")}
      confirmLabel={t("invite.send")}
      busy={busy}
      canConfirm={email.trim().includes("@")}
      onCancel={onCancel}
      onConfirm={() => void submit()}
    >
      <p>{t("invite.intro")}</p>
      {failure ? <ErrorNotice title={t("invite.failed")}>{failure.message}</ErrorNotice> : null}
      <TextField
        label={t("users.email")}
        type="email"
        required
        autoComplete="off"
        maxLength={254}
        value={email}
        error={failure?.fields.email}
        onChange={setEmail}
      />
      <TextField label={t("invite.name")} type="text" maxLength={256} value={name} onChange={setName} />
      <fieldset className="field">
        <legend>{t("invite.roles")}</legend>
        {roles.map((role) => (
          <RoleCheckbox
            key={role.name}
            role={role}
            checked={chosen.includes(role.name)}
            onChange={(on) => toggle(role.name, on)}
          />
        ))}
      </fieldset>
    </ConfirmDialog>
  );
}
