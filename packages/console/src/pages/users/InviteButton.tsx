import { useState } from "react";
import { StatusNotice } from "../../components/Notice.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { InviteDialog } from "./InviteDialog.tsx";

/** "Invite user" and its dialog; after an invitation it says so and reloads the listing. */
export function InviteButton({ onInvited }: { onInvited: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string>();
  return (
    <>
      <button type="button" className="button button-primary" onClick={() => setOpen(true)}>
        {t("invite.button")}
      </button>
      <StatusNotice message={message} />
      {open ? (
        <InviteDialog
          onCancel={() => setOpen(false)}
          onInvited={(user) => {
            setOpen(false);
            setMessage(t("invite.sent", { user: user.email ?? user.sub }));
            onInvited();
          }}
        />
      ) : null}
    </>
  );
}
