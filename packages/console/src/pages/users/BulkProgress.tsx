import type { PlainKey } from "../../i18n/messages.ts";
import { useI18n } from "../../i18n/useI18n.ts";

export interface BulkJob {
  id: string;
  status: "running" | "incomplete" | "finished";
  total: number;
  next: number;
  counts: { changed: number; unchanged: number; skipped: number; failed: number };
  failures: { sub: string; email?: string; outcome: "skipped" | "failed"; reason: string }[];
}

/** What the reasons of skipped and failed users mean. */
const reasons: Record<string, PlainKey> = {
  self: "bulk.reasonSelf",
  deleted: "bulk.reasonDeleted",
  not_found: "bulk.reasonNotFound",
  conflict: "bulk.reasonConflict",
  last_admin: "bulk.reasonLastAdmin",
};

/** The job's progress, then its counts and every user it skipped or failed. */
export function BulkProgress({ job }: { job: BulkJob | undefined }) {
  const { t } = useI18n();
  if (!job) return <p role="status">{t("bulk.starting")}</p>;
  const done = job.status === "finished";
  const { counts } = job;
  return (
    <>
      <label className="field">
        <span>{done ? t("bulk.done") : t("bulk.working", { next: job.next, total: job.total })}</span>
        <progress max={Math.max(job.total, job.next, 1)} value={job.next} />
      </label>
      <p role="status">{done ? t("bulk.counts", { count: counts.changed, ...otherCounts(counts) }) : ""}</p>
      {job.failures.length > 0 ? (
        <table className="table">
          <caption>{t("bulk.skippedOrFailed")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("common.user")}</th>
              <th scope="col">{t("bulk.outcome")}</th>
              <th scope="col">{t("bulk.why")}</th>
            </tr>
          </thead>
          <tbody>
            {job.failures.map((row) => (
              <tr key={row.sub}>
                <td>{row.email ?? row.sub}</td>
                <td>{t(row.outcome === "failed" ? "bulk.failed" : "bulk.skipped")}</td>
                <td>{reasons[row.reason] ? t(reasons[row.reason] as PlainKey) : row.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/** A job's other counts, as the `bulk.counts` message's values. */
export const otherCounts = ({ unchanged, skipped, failed }: BulkJob["counts"]) => ({
  unchanged,
  skipped,
  failed,
});
