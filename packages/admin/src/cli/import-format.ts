import type { ImportSummary, SkipReason } from "../import/run.ts";
import type { ImportProblem } from "../import/types.ts";

const skipLabels: Record<SkipReason, string> = {
  "in-table": "already in the user table",
  "in-cognito": "already in Cognito",
  "already-imported": "credential already imported",
  "without-hash": "no usable hash (--without-hash skip)",
};

export function importProblemsText(problems: readonly ImportProblem[]): string {
  const lines = problems.map((problem) => {
    const where = [
      problem.line !== undefined ? `line ${problem.line}` : "file",
      problem.index !== undefined ? `(user #${problem.index})` : "",
      problem.field ? `${problem.field}:` : "",
    ]
      .filter(Boolean)
      .join(" ");
    return `  ${where}${problem.field ? "" : ":"} ${problem.message}`;
  });
  return `The file was not imported: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${lines.join("\n")}\n`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** One line for an interactive terminal: a bar and the counts so far. */
export function progressBar(summary: ImportSummary): string {
  const done = summary.next;
  const width = 24;
  const filled = summary.total === 0 ? width : Math.round((done / summary.total) * width);
  const skipped = Object.values(summary.counts.skipped).reduce((sum, count) => sum + (count ?? 0), 0);
  const { imported, preCreated, failed } = summary.counts;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${summary.total}  imported ${imported}  pre-created ${preCreated}  skipped ${skipped}  failed ${failed}`;
}

/** The closing summary: counts, then every skipped and failed user with the reason. */
export function importSummaryText(summary: ImportSummary): string {
  const { counts } = summary;
  const skippedTotal = Object.values(counts.skipped).reduce((sum, count) => sum + (count ?? 0), 0);
  const existing =
    (counts.skipped["in-table"] ?? 0) +
    (counts.skipped["in-cognito"] ?? 0) +
    (counts.skipped["already-imported"] ?? 0);
  const head = summary.dryRun
    ? [
        `Dry run of ${plural(summary.total, "user")}: nothing was written.`,
        `  would import            ${counts.imported}`,
        `  would skip, existing    ${existing}`,
        `  would pre-create        ${counts.preCreated}`,
        `  would skip, no hash     ${counts.skipped["without-hash"] ?? 0}`,
      ]
    : [
        `Import ${summary.jobId} of ${plural(summary.total, "user")}${summary.complete ? "" : " (stopped early: --resume to finish)"}:`,
        `  imported     ${counts.imported}`,
        `  pre-created  ${counts.preCreated}`,
        `  skipped      ${skippedTotal}`,
        `  failed       ${counts.failed}`,
      ];
  const rows = summary.notImported.map((result) => {
    const reason =
      result.outcome === "skipped"
        ? skipLabels[result.reason]
        : result.outcome === "failed"
          ? result.reason
          : "";
    const id = result.sourceId ? ` (${result.sourceId})` : "";
    return `  line ${result.line}  ${result.email}${id}  ${result.outcome}: ${reason}`;
  });
  return `${[...head, ...(rows.length ? ["Not imported:", ...rows] : [])].join("\n")}\n`;
}
