import { type FormEvent, useId, useState } from "react";
import { ErrorNotice, StatusNotice } from "../components/Notice.tsx";
import { SelectField } from "../components/SelectField.tsx";
import { useApp } from "../context.tsx";
import { t as translateNow } from "../i18n/locale.ts";
import type { PlainKey } from "../i18n/messages.ts";
import { useI18n } from "../i18n/useI18n.ts";
import { messageOf } from "../load.ts";

type Format = "auth0" | "firebase" | "csv" | "json";

const formats = [
  ["auth0", "import.formatAuth0"],
  ["firebase", "import.formatFirebase"],
  ["csv", "import.formatCsv"],
  ["json", "import.formatJson"],
] as const satisfies readonly (readonly [Format, PlainKey])[];

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

const skipLabels: Record<string, PlainKey> = {
  "in-table": "import.skipInTable",
  "in-cognito": "import.skipInCognito",
  "already-imported": "import.skipAlreadyImported",
  "without-hash": "import.skipWithoutHash",
};

interface ImportOptions {
  format: Format;
  withoutHash: string;
  roleMap: string;
  hashConfig: string;
}

const defaultOptions: ImportOptions = { format: "auth0", withoutHash: "skip", roleMap: "", hashConfig: "" };

/** The options as the API takes them; a JSON field that does not parse is named. */
function optionsOf(form: ImportOptions) {
  const json = (text: string, name: PlainKey) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(translateNow("import.invalidJson", { name: translateNow(name) }));
    }
  };
  return {
    format: form.format,
    withoutHash: form.withoutHash,
    ...(form.roleMap.trim() ? { roleMapping: json(form.roleMap, "import.roleMapName") } : {}),
    ...(form.format === "firebase" && form.hashConfig.trim()
      ? { firebaseHashConfig: json(form.hashConfig, "import.hashConfigName") }
      : {}),
  };
}

/**
 * The file, its options, and the calls: the dry run's answer counts only for the file and options
 * it checked; the import continues request by request while the API reports it incomplete.
 */
function useImport() {
  const { api } = useApp();
  const { t } = useI18n();
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [options, setOptions] = useState(defaultOptions);
  const [checked, setChecked] = useState<{ key: string; answer: ImportAnswer }>();
  const [result, setResult] = useState<Summary>();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const key = JSON.stringify([
    file?.text,
    options.format,
    options.withoutHash,
    options.roleMap,
    options.hashConfig,
  ]);
  const answer = checked?.key === key ? checked.answer : undefined;

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
  const body = () => ({ file: file?.text ?? "", ...optionsOf(options) });
  const dryRun = (event: FormEvent) => {
    event.preventDefault();
    void call(t("import.checking"), async () => {
      setResult(undefined);
      setChecked({
        key,
        answer: await api.send<ImportAnswer>("POST", "/imports", { ...body(), dryRun: true }),
      });
    });
  };
  const run = () =>
    void call(t("import.importing"), async () => {
      let answer = await api.send<ImportAnswer>("POST", "/imports", body());
      // Each request runs for a bounded time; an incomplete job continues where it stopped.
      while (answer.job?.status === "incomplete") {
        if (answer.summary) setResult(answer.summary);
        answer = await api.send<ImportAnswer>("POST", "/imports", { ...body(), resume: answer.job.id });
      }
      setResult(answer.summary);
      setChecked(undefined);
    });
  const setOption = <K extends keyof ImportOptions>(name: K, value: ImportOptions[K]) =>
    setOptions((current) => ({ ...current, [name]: value }));
  const ready = answer?.problems?.length === 0;
  return { file, setFile, options, setOption, answer, result, busy, failure, ready, dryRun, run };
}

/**
 * Bulk import (`POST /imports`): a dry run first, showing the counts or every bad line; then the
 * import, continued request by request while the API reports it incomplete; then the summary.
 */
export function ImportPage() {
  const { t, rich } = useI18n();
  const job = useImport();
  return (
    <main id="main" className="page" tabIndex={-1}>
      <div className="page-header">
        <h1>{t("page.importTitle")}</h1>
      </div>
      <p>{rich("import.intro", { max: 1000, command: <code>npm run admin -- import</code> })}</p>
      <ImportForm job={job} />
      <StatusNotice message={job.busy} />
      {job.failure ? <ErrorNotice title={t("common.failed")}>{job.failure}</ErrorNotice> : null}
      {job.answer?.problems?.length ? <Problems problems={job.answer.problems} /> : null}
      {job.answer?.summary ? <Counts summary={job.answer.summary} /> : null}
      {job.result ? <Counts summary={job.result} /> : null}
    </main>
  );
}

/** The file and the options; Check runs the dry run, Import is on once a dry run found no problem. */
function ImportForm({ job }: { job: ReturnType<typeof useImport> }) {
  const { t } = useI18n();
  const { options, setOption } = job;
  const ids = { file: useId(), format: useId(), without: useId(), roles: useId(), hash: useId() };
  return (
    <form className="card" onSubmit={job.dryRun}>
      <div className="field">
        <label htmlFor={ids.file}>{t("import.file")}</label>
        <input
          id={ids.file}
          type="file"
          accept=".json,.csv,application/json,text/csv"
          required
          onChange={(event) => {
            const chosen = event.target.files?.[0];
            if (chosen) void chosen.text().then((text) => job.setFile({ name: chosen.name, text }));
          }}
        />
      </div>
      <SelectField
        id={ids.format}
        label={t("import.format")}
        value={options.format}
        options={formats.map(([format, key]) => [format, t(key)] as const)}
        onChange={(value) => setOption("format", value as Format)}
      />
      <SelectField
        id={ids.without}
        label={t("import.withoutHash")}
        value={options.withoutHash}
        options={[
          ["skip", t("import.skip")],
          ["precreate", t("import.precreate")],
        ]}
        onChange={(value) => setOption("withoutHash", value)}
      />
      <div className="field">
        <label htmlFor={ids.roles}>{t("import.roleMap")}</label>
        <textarea
          id={ids.roles}
          rows={2}
          placeholder='{"Admin": ["admin"], "staff": ["member"]}'
          value={options.roleMap}
          onChange={(e) => setOption("roleMap", e.target.value)}
        />
      </div>
      {options.format === "firebase" ? (
        <div className="field">
          <label htmlFor={ids.hash}>{t("import.hashConfig")}</label>
          <textarea
            id={ids.hash}
            rows={4}
            value={options.hashConfig}
            onChange={(e) => setOption("hashConfig", e.target.value)}
          />
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="button" disabled={!job.file || job.busy !== undefined}>
          {t("import.check")}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={!job.ready || job.busy !== undefined}
          onClick={job.run}
        >
          {t("import.run")}
        </button>
      </div>
    </form>
  );
}

function Problems({ problems }: { problems: Problem[] }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="import-problems">
      <h2 id="import-problems">{t("import.problems", { count: problems.length })}</h2>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.line}-${problem.field}-${problem.message}`}>
            {problem.line !== undefined
              ? t("import.line", { line: String(problem.line) })
              : t("import.theFile")}
            {problem.field ? ` (${problem.field})` : ""}: {problem.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Counts({ summary }: { summary: Summary }) {
  const { t, number } = useI18n();
  const { counts } = summary;
  const skipped = Object.values(counts.skipped).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  const title = summary.dryRun
    ? t("import.dryRunTitle", { count: summary.total })
    : summary.complete
      ? t("import.finishedTitle", { count: summary.total })
      : t("import.progressTitle", { next: summary.next, count: summary.total });
  const rows: [string, number][] = summary.dryRun
    ? [
        [t("import.wouldImport"), counts.imported],
        [t("import.wouldPrecreate"), counts.preCreated],
        [t("import.wouldSkipExisting"), skipped - (counts.skipped["without-hash"] ?? 0)],
        [t("import.wouldSkipNoHash"), counts.skipped["without-hash"] ?? 0],
      ]
    : [
        [t("import.imported"), counts.imported],
        [t("import.precreated"), counts.preCreated],
        [t("import.skipped"), skipped],
        [t("import.failed"), counts.failed],
      ];
  return (
    <section aria-labelledby="import-summary">
      <h2 id="import-summary">{title}</h2>
      <table className="table">
        <caption className="visually-hidden">{t("import.counts")}</caption>
        <tbody>
          {rows.map(([label, count]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{number(count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.notImported.length > 0 ? (
        <table className="table">
          <caption>{t("import.notImported")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("import.lineHeader")}</th>
              <th scope="col">{t("common.user")}</th>
              <th scope="col">{t("common.reason")}</th>
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
                  {row.outcome}: {skipLabels[row.reason] ? t(skipLabels[row.reason] as PlainKey) : row.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
