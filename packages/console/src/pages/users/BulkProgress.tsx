import { describeCount } from "../../format.ts";

export interface BulkJob {
  id: string;
  status: "running" | "incomplete" | "finished";
  total: number;
  next: number;
  counts: { changed: number; unchanged: number; skipped: number; failed: number };
  failures: { sub: string; email?: string; outcome: "skipped" | "failed"; reason: string }[];
}

/** What the reasons of skipped and failed users mean. */
const reasons: Record<string, string> = {
  self: "your own account (not included)",
  deleted: "deleted user",
  not_found: "no such user",
  conflict: "changed by someone else meanwhile",
  last_admin: "the last active admin",
};

/** The job's progress, then its counts and every user it skipped or failed. */
export function BulkProgress({ job }: { job: BulkJob | undefined }) {
  if (!job) return <p role="status">Starting…</p>;
  const done = job.status === "finished";
  const { counts } = job;
  return (
    <>
      <label className="field">
        <span>{done ? "Done" : `Working: ${job.next} of ${job.total}`}</span>
        <progress max={Math.max(job.total, job.next, 1)} value={job.next} />
      </label>
      <p role="status">
        {done
          ? `${describeCount(counts.changed, "user")} changed, ${counts.unchanged} already so, ${counts.skipped} skipped, ${counts.failed} failed.`
          : ""}
      </p>
      {job.failures.length > 0 ? (
        <table className="table">
          <caption>Skipped or failed</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Outcome</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {job.failures.map((row) => (
              <tr key={row.sub}>
                <td>{row.email ?? row.sub}</td>
                <td>{row.outcome}</td>
                <td>{reasons[row.reason] ?? row.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
