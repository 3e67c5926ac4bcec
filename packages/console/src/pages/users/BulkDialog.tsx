import { useEffect, useId, useRef, useState } from "react";
import { ConfirmDialog } from "../../components/Dialog.tsx";
import { ErrorNotice } from "../../components/Notice.tsx";
import { useApp } from "../../context.tsx";
import { saveBlob } from "../../download.ts";
import { describeCount } from "../../format.ts";
import { messageOf } from "../../load.ts";
import { BulkChoices, type Choices, noChoices } from "./BulkChoices.tsx";
import { type BulkJob, BulkProgress } from "./BulkProgress.tsx";

export type BulkKind = "roles" | "disable" | "enable" | "export";
export type BulkTarget = { subs: string[] } | { filter: Record<string, string> };

interface Preview {
  count: number;
  token?: string;
  sample: { sub: string; email?: string }[];
  missing?: number;
}

type Step = { name: "setup" } | { name: "confirm"; preview: Preview } | { name: "run"; job?: BulkJob };

const verbs: Record<BulkKind, string> = {
  roles: "Change the roles of",
  disable: "Disable",
  enable: "Enable",
  export: "Export",
};

/** The action in words, naming the roles of a role change. */
function actionText(kind: BulkKind, choices: Choices): string {
  if (kind !== "roles") return verbs[kind];
  const parts = [
    choices.add.length > 0 ? `add ${choices.add.join(", ")}` : "",
    choices.remove.length > 0 ? `remove ${choices.remove.join(", ")}` : "",
  ].filter(Boolean);
  return `${parts.join(" and ")} for`.replace(/^./, (first) => first.toUpperCase());
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
  const { api } = useApp();
  const [choices, setChoices] = useState<Choices>(noChoices);
  const [step, setStep] = useState<Step>({ name: "setup" });
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const progress = useRef<HTMLDivElement>(null);
  // Each step replaces the fields that had focus: the run's progress takes it (the confirm step's box does so itself).
  useEffect(() => {
    if (step.name === "run") progress.current?.focus();
  }, [step.name]);
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

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await work();
    } catch (error) {
      setFailure(messageOf(error));
      setStep({ name: "setup" });
      setConfirmed(false);
    } finally {
      setBusy(false);
    }
  };
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
        onClose(`Exported ${describeCount(preview.count, "user")} to ${name}.`);
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

  const { title, label, canConfirm, onConfirm } = stepControls();
  function stepControls() {
    const what = actionText(kind, choices);
    if (step.name === "setup") {
      const ready =
        kind === "export" ||
        (choices.reason.trim() !== "" &&
          (kind !== "roles" || choices.add.length + choices.remove.length > 0));
      return { title: `${verbs[kind]}: choose`, label: "Count users", canConfirm: ready, onConfirm: count };
    }
    if (step.name === "confirm") {
      const { preview } = step;
      return {
        title: `${verbs[kind]}: confirm`,
        label: `${what} ${describeCount(preview.count, "user")}`,
        canConfirm: confirmed && preview.count > 0,
        onConfirm: () => void run(preview),
      };
    }
    const done = step.job?.status === "finished";
    return {
      title: `${verbs[kind]}: ${done ? "done" : "working"}`,
      label: "Close",
      canConfirm: done,
      onConfirm: () => onClose(done ? summaryOf(step.job) : undefined),
    };
  }

  return (
    <ConfirmDialog
      title={title}
      subject={
        "filter" in target
          ? "All users matching the filter"
          : `${describeCount(target.subs.length, "selected user")}`
      }
      confirmLabel={label}
      busy={busy}
      danger={kind === "disable"}
      canConfirm={canConfirm}
      onCancel={() => onClose(step.name === "run" && step.job ? summaryOf(step.job) : undefined)}
      onConfirm={() => void onConfirm()}
    >
      {failure ? <ErrorNotice title="Nothing was changed.">{failure}</ErrorNotice> : null}
      {step.name === "setup" ? <BulkChoices kind={kind} choices={choices} onChange={setChoices} /> : null}
      {step.name === "confirm" ? (
        <ConfirmStep
          what={actionText(kind, choices)}
          preview={step.preview}
          selfSkipped={kind !== "export" && !choices.includeSelf}
          confirmed={confirmed}
          onConfirmed={setConfirmed}
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

const summaryOf = (job: BulkJob | undefined) =>
  job
    ? `Bulk job done: ${job.counts.changed} changed, ${job.counts.unchanged} already so, ${job.counts.skipped} skipped, ${job.counts.failed} failed.`
    : undefined;

/** The dry run's answer: the action, the count, some of the users, and the tick that enables the run. */
function ConfirmStep({
  what,
  preview,
  selfSkipped,
  confirmed,
  onConfirmed,
}: {
  what: string;
  preview: Preview;
  selfSkipped: boolean;
  confirmed: boolean;
  onConfirmed: (on: boolean) => void;
}) {
  const confirmId = useId();
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => box.current?.focus(), []);
  const more = preview.count - preview.sample.length;
  return (
    <>
      <p role="status">
        <strong>
          {what} {describeCount(preview.count, "user")}
        </strong>
        {preview.missing ? ` (${preview.missing} of them no longer exist)` : ""}.
        {selfSkipped ? " Your own account is skipped." : ""}
      </p>
      <ul className="bulk-sample" aria-label="Some of them">
        {preview.sample.map((user) => (
          <li key={user.sub}>{user.email ?? user.sub}</li>
        ))}
        {more > 0 ? <li>… and {more} more</li> : null}
      </ul>
      <label className="check" htmlFor={confirmId}>
        <input
          ref={box}
          id={confirmId}
          type="checkbox"
          checked={confirmed}
          onChange={(event) => onConfirmed(event.target.checked)}
        />
        <span>
          Yes, {what.toLowerCase()} these {describeCount(preview.count, "user")}
        </span>
      </label>
    </>
  );
}
