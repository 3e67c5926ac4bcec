import { useEffect, useId, useRef, useState } from "react";
import { ConfirmDialog } from "../../components/Dialog.tsx";
import { ErrorNotice } from "../../components/Notice.tsx";
import { useApp } from "../../context.tsx";
import { saveBlob } from "../../download.ts";
import type { MessageKey } from "../../i18n/messages.ts";
import { useI18n } from "../../i18n/useI18n.ts";
import { useAttempt } from "../../load.ts";
import { BulkChoices, type Choices, noChoices } from "./BulkChoices.tsx";
import { type BulkJob, BulkProgress, otherCounts } from "./BulkProgress.tsx";

export type BulkKind = "roles" | "disable" | "enable" | "export";
export type BulkTarget = { subs: string[] } | { filter: Record<string, string> };

interface Preview {
  count: number;
  token?: string;
  sample: { sub: string; email?: string }[];
  missing?: number;
}

type Step = { name: "setup" } | { name: "confirm"; preview: Preview } | { name: "run"; job?: BulkJob };

type Translate = ReturnType<typeof useI18n>["t"];

/** Per kind: the title's verb, the action on a count ("Disable 3 users") and its confirmation. */
const messages = {
  roles: { verb: "bulk.verbRoles", action: "bulk.actionRoles", yes: "bulk.yesRoles" },
  disable: { verb: "bulk.verbDisable", action: "bulk.actionDisable", yes: "bulk.yesDisable" },
  enable: { verb: "bulk.verbEnable", action: "bulk.actionEnable", yes: "bulk.yesEnable" },
  export: { verb: "bulk.verbExport", action: "bulk.actionExport", yes: "bulk.yesExport" },
} as const satisfies Record<BulkKind, Record<string, MessageKey>>;

/** The action on `count` users in words, naming the roles of a role change. */
function actionText(t: Translate, kind: BulkKind, choices: Choices, count: number, form: "action" | "yes") {
  const changes = [
    choices.add.length > 0 ? t("bulk.addChange", { roles: choices.add.join(", ") }) : "",
    choices.remove.length > 0 ? t("bulk.removeChange", { roles: choices.remove.join(", ") }) : "",
  ]
    .filter(Boolean)
    .join(t("bulk.and"));
  const text = t(messages[kind][form], { count, changes });
  return form === "action" ? text.replace(/^./, (first) => first.toUpperCase()) : text;
}

/**
 * The job behind the dialog: the dry run (`count`) that leads to the confirm step, and the run,
 * continued until it finishes (an export is downloaded instead). A failure goes back to the choices.
 */
function useBulkJob(
  kind: BulkKind,
  target: BulkTarget,
  choices: Choices,
  onClose: (summary?: string) => void,
) {
  const { api } = useApp();
  const { t } = useI18n();
  const [step, setStep] = useState<Step>({ name: "setup" });
  const [confirmed, setConfirmed] = useState(false);
  const { busy, error: failure, attempt: call } = useAttempt();
  const path = kind === "export" ? "/users/bulk/export" : "/users/bulk";
  const body = () =>
    kind === "export"
      ? { ...target, format: choices.format }
      : {
          ...target,
          action: kind,
          ...(kind === "roles" ? { add: choices.add, remove: choices.remove } : {}),
          ...(choices.includeSelf ? { includeSelf: true } : {}),
        };

  // A failure goes back to the choices, unconfirmed, with the reason in words.
  const attempt = (work: () => Promise<void>) =>
    call(async () => {
      try {
        await work();
      } catch (error) {
        setStep({ name: "setup" });
        setConfirmed(false);
        throw error;
      }
    });
  const count = () =>
    attempt(async () => {
      const preview = await api.send<Preview>("POST", path, { ...body(), dryRun: true });
      setStep({ name: "confirm", preview });
    });
  const run = (preview: Preview) =>
    attempt(async () => {
      if (kind === "export") {
        const blob = await api.download(path, undefined, body());
        const name = `users-${new Date().toISOString().slice(0, 10)}.${choices.format}`;
        saveBlob(blob, name);
        onClose(t("users.exported", { count: preview.count, name }));
        return;
      }
      setStep({ name: "run" });
      let answer = await api.send<{ job: BulkJob; complete: boolean }>("POST", path, {
        ...body(),
        reason: choices.reason.trim(),
        token: preview.token,
      });
      setStep({ name: "run", job: answer.job });
      while (!answer.complete) {
        answer = await api.send("POST", `/users/bulk/${answer.job.id}/resume`);
        setStep({ name: "run", job: answer.job });
      }
    });
  return { step, confirmed, setConfirmed, busy, failure, count, run };
}

/** The dialog's title and its confirm button (label, whether it is on, what it does) at each step. */
function stepControls(
  t: Translate,
  kind: BulkKind,
  choices: Choices,
  job: ReturnType<typeof useBulkJob>,
  onClose: (summary?: string) => void,
) {
  const verb = t(messages[kind].verb);
  const { step } = job;
  if (step.name === "setup") {
    const ready =
      kind === "export" ||
      (choices.reason.trim() !== "" && (kind !== "roles" || choices.add.length + choices.remove.length > 0));
    return {
      title: t("bulk.stepChoose", { verb }),
      label: t("bulk.countUsers"),
      canConfirm: ready,
      onConfirm: job.count,
    };
  }
  if (step.name === "confirm") {
    const { preview } = step;
    return {
      title: t("bulk.stepConfirm", { verb }),
      label: actionText(t, kind, choices, preview.count, "action"),
      canConfirm: job.confirmed && preview.count > 0,
      onConfirm: () => void job.run(preview),
    };
  }
  const done = step.job?.status === "finished";
  return {
    title: t(done ? "bulk.stepDone" : "bulk.stepWorking", { verb }),
    label: t("bulk.close"),
    canConfirm: done,
    onConfirm: () => onClose(done ? summaryOf(t, step.job) : undefined),
  };
}

/**
 * A bulk action in three steps: choose (roles, reason, format), see the dry run's count and who,
 * confirm; then the job runs (continued until it finishes) with its progress and every user it
 * skipped or failed. `onClose` gets a summary once something was done.
 */
export function BulkDialog({
  kind,
  target,
  onClose,
}: {
  kind: BulkKind;
  target: BulkTarget;
  onClose: (summary?: string) => void;
}) {
  const { t } = useI18n();
  const [choices, setChoices] = useState<Choices>(noChoices);
  const job = useBulkJob(kind, target, choices, onClose);
  const { step } = job;
  const progress = useRef<HTMLDivElement>(null);
  // Each step replaces the fields that had focus: the run's progress takes it (the confirm step's box does so itself).
  useEffect(() => {
    if (step.name === "run") progress.current?.focus();
  }, [step.name]);
  const { title, label, canConfirm, onConfirm } = stepControls(t, kind, choices, job, onClose);

  return (
    <ConfirmDialog
      title={title}
      subject={
        "filter" in target ? t("bulk.allMatching") : t("bulk.selectedUsers", { count: target.subs.length })
      }
      confirmLabel={label}
      busy={job.busy}
      danger={kind === "disable"}
      canConfirm={canConfirm}
      onCancel={() => onClose(step.name === "run" && step.job ? summaryOf(t, step.job) : undefined)}
      onConfirm={() => void onConfirm()}
    >
      {job.failure ? <ErrorNotice title={t("bulk.nothingChanged")}>{job.failure}</ErrorNotice> : null}
      {step.name === "setup" ? <BulkChoices kind={kind} choices={choices} onChange={setChoices} /> : null}
      {step.name === "confirm" ? (
        <ConfirmStep
          what={actionText(t, kind, choices, step.preview.count, "action")}
          yes={actionText(t, kind, choices, step.preview.count, "yes")}
          preview={step.preview}
          selfSkipped={kind !== "export" && !choices.includeSelf}
          confirmed={job.confirmed}
          onConfirmed={job.setConfirmed}
        />
      ) : null}
      {step.name === "run" ? (
        <div ref={progress} tabIndex={-1}>
          <BulkProgress job={step.job} />
        </div>
      ) : null}
    </ConfirmDialog>
  );
}

const summaryOf = (t: Translate, job: BulkJob | undefined) =>
  job ? t("bulk.jobDone", { changed: job.counts.changed, ...otherCounts(job.counts) }) : undefined;

/** The dry run's answer: the action, the count, some of the users, and the tick that enables the run. */
function ConfirmStep({
  what,
  yes,
  preview,
  selfSkipped,
  confirmed,
  onConfirmed,
}: {
  what: string;
  yes: string;
  preview: Preview;
  selfSkipped: boolean;
  confirmed: boolean;
  onConfirmed: (on: boolean) => void;
}) {
  const { t } = useI18n();
  const confirmId = useId();
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => box.current?.focus(), []);
  const more = preview.count - preview.sample.length;
  return (
    <>
      <p role="status">
        <strong>{what}</strong>
        {preview.missing ? ` ${t("bulk.missing", { count: preview.missing })}` : ""}.
        {selfSkipped ? ` ${t("bulk.selfSkipped")}` : ""}
      </p>
      <ul className="bulk-sample" aria-label={t("bulk.sample")}>
        {preview.sample.map((user) => (
          <li key={user.sub}>{user.email ?? user.sub}</li>
        ))}
        {more > 0 ? <li>{t("bulk.more", { count: more })}</li> : null}
      </ul>
      <label className="check" htmlFor={confirmId}>
        <input
          ref={box}
          id={confirmId}
          type="checkbox"
          checked={confirmed}
          onChange={(event) => onConfirmed(event.target.checked)}
        />
        <span>{yes}</span>
      </label>
    </>
  );
}
