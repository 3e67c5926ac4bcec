import { useState } from "react";
import { DateTime } from "../../components/Badges.tsx";
import { ErrorNotice, StatusNotice } from "../../components/Notice.tsx";
import { useApp } from "../../context.tsx";
import { saveBlob } from "../../download.ts";
import { describeCount } from "../../format.ts";
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
      setResult(
        `Exported ${describeCount(items ?? 0, "item")} to ${name}. The export is recorded in the audit log.`,
      );
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
        ? "This user had been erased already; nothing changed."
        : `Erased: Cognito user ${erasure.cognitoUser}, ${describeCount(erasure.auditEntries, "audit entry", "audit entries")} cleared of personal data, tombstone kept.`,
    );
    onErased();
  };

  return (
    <section className="card data-rights" aria-labelledby="data-rights-title">
      <h2 id="data-rights-title">Personal data</h2>
      {user.scrubbedAt ? (
        <TombstoneNote erasedAt={user.scrubbedAt} erasedBy={user.erasedBy} />
      ) : (
        <p className="muted">
          The export holds everything the table keeps about the user. Erasure deletes them from Cognito and
          removes their personal data, keeping a tombstone.
        </p>
      )}
      <div className="actions">
        {canExport ? (
          <button type="button" className="button" disabled={busy} onClick={() => void exportData()}>
            {busy ? "Exporting…" : "Export data (JSON)"}
          </button>
        ) : null}
        {canErase && !user.scrubbedAt ? (
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() => setErasing(true)}
          >
            Erase personal data…
          </button>
        ) : null}
      </div>
      <StatusNotice message={result} />
      {failure ? <ErrorNotice title="Export failed.">{failure}</ErrorNotice> : null}
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
  return (
    <p>
      <strong>Personal data erased</strong> at <DateTime value={erasedAt} />
      {erasedBy ? (
        <> at the request of {erasedBy === me.sub ? "you" : <span className="mono">{erasedBy}</span>}</>
      ) : (
        " by the retention job"
      )}
      . Only the tombstone is kept: the sub, status, roles and times.
    </p>
  );
}
