import { useState } from "react";
import { DateTime } from "../../components/Badges.tsx";
import { ErrorNotice, StatusNotice } from "../../components/Notice.tsx";
import { useApp } from "../../context.tsx";
import { saveBlob } from "../../download.ts";
import { useI18n } from "../../i18n/useI18n.ts";
import { messageOf } from "../../load.ts";
import { allows } from "../../permissions.ts";
import type { UserRecord } from "../../types.ts";
import { EraseDialog, type Erasure } from "./EraseDialog.tsx";

/** The tombstone fields an erasure (or the retention job's scrub) leaves on the record. */
type MaybeErased = UserRecord & { scrubbedAt?: string; erasedBy?: string };

/** The file name the API suggests too: the sub, with anything unusual replaced. */
export const exportFileName = (sub: string) => `user-${sub.replace(/[^A-Za-z0-9-]/g, "_")}.json`;

/**
 * Export (`GET /users/{sub}/export`, for `users:read`) and erasure (`POST /users/{sub}/erase`,
 * for `users:write`) of one user's data; once erased, the tombstone's state instead.
 */
export function DataRightsSection({ user, onErased }: { user: MaybeErased; onErased: () => void }) {
  const { api, me } = useApp();
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [erasing, setErasing] = useState(false);
  const canExport = allows(me, "users:read");
  const canErase = allows(me, "users:write");
  if (!canExport && !canErase) return null;

  const exportData = async () => {
    setBusy(true);
    setResult(undefined);
    setFailure(undefined);
    try {
      const blob = await api.download(`/users/${encodeURIComponent(user.sub)}/export`);
      const { items } = JSON.parse(await blob.text()) as { items?: number };
      const name = exportFileName(user.sub);
      saveBlob(blob, name);
      setResult(t("dataRights.exported", { count: items ?? 0, name }));
    } catch (error) {
      setFailure(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  const erased = (erasure: Erasure) => {
    setErasing(false);
    setResult(
      erasure.already
        ? t("dataRights.alreadyErased")
        : t("dataRights.erased", { cognitoUser: erasure.cognitoUser, count: erasure.auditEntries }),
    );
    onErased();
  };

  return (
    <section className="card data-rights" aria-labelledby="data-rights-title">
      <h2 id="data-rights-title">{t("dataRights.title")}</h2>
      {user.scrubbedAt ? (
        <TombstoneNote erasedAt={user.scrubbedAt} erasedBy={user.erasedBy} />
      ) : (
        <p className="muted">{t("dataRights.intro")}</p>
      )}
      <div className="actions">
        {canExport ? (
          <button type="button" className="button" disabled={busy} onClick={() => void exportData()}>
            {busy ? t("users.exporting") : t("dataRights.export")}
          </button>
        ) : null}
        {canErase && !user.scrubbedAt ? (
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() => setErasing(true)}
          >
            {t("dataRights.erase")}
          </button>
        ) : null}
      </div>
      <StatusNotice message={result} />
      {failure ? <ErrorNotice title={t("users.exportFailed")}>{failure}</ErrorNotice> : null}
      {erasing ? (
        <EraseDialog
          user={user}
          self={user.sub === me.sub}
          onCancel={() => setErasing(false)}
          onErased={erased}
        />
      ) : null}
    </section>
  );
}

function TombstoneNote({ erasedAt, erasedBy }: { erasedAt: string; erasedBy: string | undefined }) {
  const { me } = useApp();
  const { t, rich } = useI18n();
  const at = <DateTime value={erasedAt} />;
  return (
    <p>
      {erasedBy
        ? rich("dataRights.erasedAtRequest", {
            title: <strong>{t("dataRights.erasedTitle")}</strong>,
            at,
            by: erasedBy === me.sub ? t("common.you") : <span className="mono">{erasedBy}</span>,
          })
        : rich("dataRights.erasedByRetention", {
            title: <strong>{t("dataRights.erasedTitle")}</strong>,
            at,
          })}{" "}
      {t("dataRights.tombstone")}
    </p>
  );
}
