import { type FormEvent, useId, useState } from "react";
import { ErrorNotice, StatusNotice } from "../components/Notice.tsx";
import { useApp } from "../context.tsx";
import { messageOf } from "../load.ts";

type Format = "auth0" | "firebase" | "csv" | "json";

interface Problem {
  line?: number;
  index?: number;
  field?: string;
  message: string;
}

interface Counts {
  imported: number;
  preCreated: number;
  skipped: Record<string, number | undefined>;
  failed: number;
}

interface Summary {
  jobId: string;
  total: number;
  next: number;
  complete: boolean;
  dryRun: boolean;
  counts: Counts;
  notImported: { line: number; email: string; sourceId?: string; outcome: string; reason: string }[];
}

interface ImportAnswer {
  problems?: Problem[];
  summary?: Summary;
  job?: { id: string; status: "running" | "incomplete" | "finished" };
}

const skipLabels: Record<string, string> = {
  "in-table": "already in the user table",
  "in-cognito": "already in Cognito",
  "already-imported": "credential already imported",
  "without-hash": "no usable hash",
};

/** The options as the API takes them; a JSON field that does not parse is named. */
function optionsOf(form: { format: Format; withoutHash: string; roleMap: string; hashConfig: string }) {
  const json = (text: string, name: string) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`${name} is not valid JSON.`);
    }
  };
  return {
    format: form.format,
    withoutHash: form.withoutHash,
    ...(form.roleMap.trim() ? { roleMapping: json(form.roleMap, "The role map") } : {}),
    ...(form.format === "firebase" && form.hashConfig.trim()
      ? { firebaseHashConfig: json(form.hashConfig, "The hash config") }
      : {}),
  };
}

/**
 * Bulk import (`POST /imports`): a dry run first, showing the counts or every bad line; then the
 * import, continued request by request while the API reports it incomplete; then the summary.
 */
export function ImportPage() {
  const { api } = useApp();
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [format, setFormat] = useState<Format>("auth0");
  const [withoutHash, setWithoutHash] = useState("skip");
  const [roleMap, setRoleMap] = useState("");
  const [hashConfig, setHashConfig] = useState("");
  const [checked, setChecked] = useState<{ key: string; answer: ImportAnswer }>();
  const [result, setResult] = useState<Summary>();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const ids = { file: useId(), format: useId(), without: useId(), roles: useId(), hash: useId() };
  const key = JSON.stringify([file?.text, format, withoutHash, roleMap, hashConfig]);
  const ready = checked?.key === key && checked.answer.problems?.length === 0;

  const call = async (label: string, work: () => Promise<void>) => {
    setBusy(label);
    setFailure(undefined);
    try {
      await work();
    } catch (error) {
      setFailure(messageOf(error));
    } finally {
      setBusy(undefined);
    }
  };
  const body = () => ({ file: file?.text ?? "", ...optionsOf({ format, withoutHash, roleMap, hashConfig }) });

  const dryRun = (event: FormEvent) => {
    event.preventDefault();
    void call("Checking the file…", async () => {
      setResult(undefined);
      const answer = await api.send<ImportAnswer>("POST", "/imports", { ...body(), dryRun: true });
      setChecked({ key, answer });
    });
  };
  const run = () =>
    void call("Importing…", async () => {
      let answer = await api.send<ImportAnswer>("POST", "/imports", body());
      // Each request runs for a bounded time; an incomplete job continues where it stopped.
      while (answer.job?.status === "incomplete") {
        if (answer.summary) setResult(answer.summary);
        answer = await api.send<ImportAnswer>("POST", "/imports", { ...body(), resume: answer.job.id });
      }
      setResult(answer.summary);
      setChecked(undefined);
    });

  return (
    <main id="main" className="page" tabIndex={-1}>
      <div className="page-header">
        <h1>Import users</h1>
      </div>
      <p>
        Brings users in from Auth0, Firebase or a CSV/JSON file with their password hashes: they sign in with
        their old password and are moved into Cognito then. Up to 1,000 users per file here; use the CLI (
        <code>npm run admin -- import</code>) for more.
      </p>
      <form className="card" onSubmit={dryRun}>
        <div className="field">
          <label htmlFor={ids.file}>File</label>
          <input
            id={ids.file}
            type="file"
            accept=".json,.csv,application/json,text/csv"
            required
            onChange={(event) => {
              const chosen = event.target.files?.[0];
              if (chosen) void chosen.text().then((text) => setFile({ name: chosen.name, text }));
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.format}>Format</label>
          <select id={ids.format} value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            <option value="auth0">Auth0 bulk import (JSON)</option>
            <option value="firebase">Firebase auth:export (JSON)</option>
            <option value="csv">CSV</option>
            <option value="json">JSON array</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.without}>Users without a usable hash</label>
          <select id={ids.without} value={withoutHash} onChange={(e) => setWithoutHash(e.target.value)}>
            <option value="skip">Skip them</option>
            <option value="precreate">
              Pre-create them in Cognito (no email; send the invitation later)
            </option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.roles}>Role map (optional JSON, old role to our roles)</label>
          <textarea
            id={ids.roles}
            rows={2}
            placeholder='{"Admin": ["admin"], "staff": ["member"]}'
            value={roleMap}
            onChange={(e) => setRoleMap(e.target.value)}
          />
        </div>
        {format === "firebase" ? (
          <div className="field">
            <label htmlFor={ids.hash}>Firebase hash config (JSON from the console)</label>
            <textarea
              id={ids.hash}
              rows={4}
              value={hashConfig}
              onChange={(e) => setHashConfig(e.target.value)}
            />
          </div>
        ) : null}
        <div className="actions">
          <button type="submit" className="button" disabled={!file || busy !== undefined}>
            Check (dry run)
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!ready || busy !== undefined}
            onClick={run}
          >
            Import
          </button>
        </div>
      </form>
      <StatusNotice message={busy} />
      {failure ? <ErrorNotice title="That did not work.">{failure}</ErrorNotice> : null}
      {checked?.key === key && checked.answer.problems?.length ? (
        <Problems problems={checked.answer.problems} />
      ) : null}
      {checked?.key === key && checked.answer.summary ? <Counts summary={checked.answer.summary} /> : null}
      {result ? <Counts summary={result} /> : null}
    </main>
  );
}

function Problems({ problems }: { problems: Problem[] }) {
  return (
    <section aria-labelledby="import-problems">
      <h2 id="import-problems">Nothing can be imported: {problems.length} problem(s)</h2>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.line}-${problem.field}-${problem.message}`}>
            {problem.line !== undefined ? `Line ${problem.line}` : "The file"}
            {problem.field ? ` (${problem.field})` : ""}: {problem.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Counts({ summary }: { summary: Summary }) {
  const { counts } = summary;
  const skipped = Object.values(counts.skipped).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  const title = summary.dryRun
    ? `Dry run: ${summary.total} user(s), nothing written`
    : summary.complete
      ? `Import finished: ${summary.total} user(s)`
      : `Importing: ${summary.next} of ${summary.total} user(s) so far`;
  const rows: [string, number][] = summary.dryRun
    ? [
        ["Would import", counts.imported],
        ["Would pre-create", counts.preCreated],
        ["Would skip, existing", skipped - (counts.skipped["without-hash"] ?? 0)],
        ["Would skip, no usable hash", counts.skipped["without-hash"] ?? 0],
      ]
    : [
        ["Imported", counts.imported],
        ["Pre-created", counts.preCreated],
        ["Skipped", skipped],
        ["Failed", counts.failed],
      ];
  return (
    <section aria-labelledby="import-summary">
      <h2 id="import-summary">{title}</h2>
      <table className="table">
        <caption className="visually-hidden">Import counts</caption>
        <tbody>
          {rows.map(([label, count]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.notImported.length > 0 ? (
        <table className="table">
          <caption>Not imported</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">User</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {summary.notImported.map((row) => (
              <tr key={row.line}>
                <td>{row.line}</td>
                <td>
                  {row.email}
                  {row.sourceId ? ` (${row.sourceId})` : ""}
                </td>
                <td>
                  {row.outcome}: {skipLabels[row.reason] ?? row.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
