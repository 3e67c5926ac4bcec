import { type FormEvent, type ReactNode, useId, useState } from "react";
import { ApiError } from "../api.ts";
import { AuditTable } from "../components/AuditTable.tsx";
import { DateTime, RoleList, StatusBadge } from "../components/Badges.tsx";
import { ConfirmDialog } from "../components/Dialog.tsx";
import { ErrorNotice, Loading, StatusNotice } from "../components/Notice.tsx";
import { Pager, useCursorStack } from "../components/Pager.tsx";
import { useApp } from "../context.tsx";
import { describeCount } from "../format.ts";
import { dataOf, messageOf, useLoad } from "../load.ts";
import { href } from "../route.ts";
import type { UserDetail, UserRecord } from "../types.ts";

const auditPageSize = 10;

type DialogKind = "disable" | "enable" | "delete";

/** What went wrong with the last action; a conflict carries the record as it is now. */
type Failure =
  | { kind: "error"; message: string; fields: Record<string, string> }
  | { kind: "conflict"; current: UserRecord; draftKept: boolean };

export function UserPage({ sub }: { sub: string }) {
  const { api } = useApp();
  const path = `/users/${encodeURIComponent(sub)}`;
  const audit = useCursorStack(sub);
  const detail = useLoad(`${sub}|${audit.cursor ?? ""}`, () =>
    api.get<UserDetail>(path, { auditLimit: auditPageSize, auditCursor: audit.cursor }),
  );
  const [result, setResult] = useState<string>();
  const [failure, setFailure] = useState<Failure>();
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<DialogKind>();

  /** The record an action answered with (or a 409's `current`), shown until the reload catches up. */
  const [latest, setLatest] = useState<UserRecord>();

  const loaded = dataOf(detail);
  const user = loaded && latest && latest.version > loaded.user.version ? latest : loaded?.user;

  /** Runs an action, reports its outcome in words, and reloads the record and its audit trail. */
  const perform = async (
    action: () => Promise<{ message: string; user: UserRecord }>,
    draftKept = false,
  ): Promise<boolean> => {
    setBusy(true);
    setResult(undefined);
    setFailure(undefined);
    try {
      const outcome = await action();
      setLatest(outcome.user);
      setResult(outcome.message);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.current) {
        setLatest(error.current);
        setFailure({ kind: "conflict", current: error.current, draftKept });
      } else {
        setFailure({
          kind: "error",
          message: messageOf(error),
          fields: error instanceof ApiError ? error.fields : {},
        });
      }
      return false;
    } finally {
      setBusy(false);
      detail.reload();
    }
  };

  if (!user) {
    return (
      <main id="main" className="page" tabIndex={-1}>
        <title>User · User admin</title>
        <BackLink />
        {detail.status === "error" ? (
          <ErrorNotice title="Could not load this user.">{detail.message}</ErrorNotice>
        ) : (
          <Loading label="Loading user…" />
        )}
      </main>
    );
  }

  const deleted = user.status === "deleted";
  const confirmText = user.email ?? user.sub;

  return (
    <main id="main" className="page" tabIndex={-1}>
      {/* Each user's tab says whose it is. */}
      <title>{`${user.email ?? user.name ?? user.sub} · User admin`}</title>
      <BackLink />
      <div className="page-header">
        <div>
          <h1 className="user-title">{user.email ?? user.username}</h1>
          <p className="muted">
            {user.name ? `${user.name} · ` : ""}
            <StatusBadge status={user.status} /> · version {user.version}
          </p>
        </div>
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={() => void resync()}>
            Resync from Cognito
          </button>
          {deleted ? null : user.status === "active" ? (
            <button type="button" className="button" disabled={busy} onClick={() => setDialog("disable")}>
              Disable
            </button>
          ) : (
            <button type="button" className="button" disabled={busy} onClick={() => setDialog("enable")}>
              Enable
            </button>
          )}
          {deleted ? null : (
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={() => setDialog("delete")}
            >
              Delete
            </button>
          )}
        </div>
      </div>

      <StatusNotice message={result} />
      {failure?.kind === "error" ? (
        <ErrorNotice title="That did not work.">{failure.message}</ErrorNotice>
      ) : null}
      {failure?.kind === "conflict" ? (
        <ConflictNotice failure={failure} onDismiss={() => setFailure(undefined)} busy={busy} />
      ) : null}
      {detail.status === "error" ? (
        <ErrorNotice title="Could not refresh this user.">{detail.message}</ErrorNotice>
      ) : null}

      <div className="columns">
        <RecordSection user={user} />
        <RolesSection
          key={user.sub}
          user={user}
          busy={busy}
          fieldErrors={failure?.kind === "error" ? failure.fields : {}}
          onSave={saveRoles}
        />
      </div>

      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit history</h2>
        {loaded && loaded.audit.items.length > 0 ? (
          <AuditTable
            events={loaded.audit.items}
            caption={`Audit history of ${confirmText}, newest first`}
            busy={detail.status === "loading"}
          />
        ) : (
          <p className="muted">No audit events{audit.page > 1 ? " on this page" : " yet"}.</p>
        )}
        <Pager
          label="Audit history pages"
          page={audit.page}
          summary={`Page ${audit.page}`}
          nextCursor={loaded?.audit.cursor}
          busy={detail.status === "loading"}
          onNext={audit.next}
          onPrevious={audit.previous}
        />
      </section>

      {dialog ? (
        <ActionDialog
          kind={dialog}
          confirmText={confirmText}
          name={user.name}
          busy={busy}
          onCancel={() => setDialog(undefined)}
          onConfirm={(reason) => {
            void perform(() => accountAction(dialog, reason)).then(() => setDialog(undefined));
          }}
        />
      ) : null}
    </main>
  );

  async function saveRoles(roles: string[], reason: string, expectedVersion: number): Promise<boolean> {
    return perform(async () => {
      const { user } = await api.send<{ user: UserRecord }>("PATCH", `${path}/roles`, {
        roles,
        expectedVersion,
        reason,
      });
      const saved = user.roles.join(", ") || "none";
      return {
        user,
        message: `Roles saved: ${saved}. They reach the user's tokens at the next sign-in or token refresh.`,
      };
    }, true);
  }

  async function resync(): Promise<void> {
    await perform(async () => {
      const { user, changes } = await api.send<{ user: UserRecord; changes: string[] }>(
        "POST",
        `${path}/resync`,
      );
      const message =
        changes.length > 0
          ? `Resynced from Cognito. Updated ${describeCount(changes.length, "field")}: ${changes.join(", ")}.`
          : "Resynced from Cognito. Nothing had drifted.";
      return { user, message };
    });
  }

  async function accountAction(
    kind: DialogKind,
    reason: string,
  ): Promise<{ message: string; user: UserRecord }> {
    const body = reason ? { reason } : {};
    const { user } =
      kind === "delete"
        ? await api.send<{ user: UserRecord }>("DELETE", path, body)
        : await api.send<{ user: UserRecord }>("POST", `${path}/${kind}`, body);
    const messages: Record<DialogKind, string> = {
      delete: "User deleted from Cognito. The record stays here with status deleted.",
      disable: "User disabled and signed out everywhere.",
      enable: "User enabled. They can sign in again.",
    };
    return { user, message: messages[kind] };
  }
}

function BackLink() {
  return (
    <p className="back">
      <a href={href("/users")}>
        <span aria-hidden="true">←</span> All users
      </a>
    </p>
  );
}

function ConflictNotice({
  failure,
  busy,
  onDismiss,
}: {
  failure: Extract<Failure, { kind: "conflict" }>;
  busy: boolean;
  onDismiss: () => void;
}) {
  const { current } = failure;
  return (
    <div className="notice notice-warning" role="alert">
      <p>
        <strong>Someone changed this user while you were working.</strong> Nothing was saved. Here is the
        current version (version {current.version}, updated <DateTime value={current.updatedAt} />
        ): status {current.status}, roles {current.roles.join(", ") || "none"}.
      </p>
      <p>
        {failure.draftKept
          ? "Your role selection and reason are kept below: check them against the current version and save again."
          : "Check the current version, then repeat the action if it is still needed."}
      </p>
      <button type="button" className="button" onClick={onDismiss} disabled={busy}>
        Dismiss
      </button>
    </div>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Missing({ text = "—" }: { text?: string }) {
  return <span className="muted">{text}</span>;
}

function RecordSection({ user }: { user: UserRecord }) {
  const welcome = user.welcomeEmail;
  return (
    <section className="card" aria-labelledby="record-title">
      <h2 id="record-title">Record</h2>
      <dl className="fields">
        <Field label="Sub">
          <span className="mono">{user.sub}</span>
        </Field>
        <Field label="Username">
          <span className="mono">{user.username}</span>
        </Field>
        <Field label="Email">
          {user.email ?? <Missing />}{" "}
          {user.email ? (
            <span className={user.emailVerified ? "tag tag-ok" : "tag tag-warn"}>
              {user.emailVerified ? "verified" : "not verified"}
            </span>
          ) : null}
        </Field>
        <Field label="Name">{user.name ?? <Missing />}</Field>
        <Field label="Locale">{user.locale ?? <Missing />}</Field>
        <Field label="Status">
          <StatusBadge status={user.status} />
        </Field>
        <Field label="Roles">
          <RoleList roles={user.roles} />
        </Field>
        <Field label="Cognito groups">
          {user.groups.length > 0 ? (
            <ul className="tags" aria-label="Groups">
              {user.groups.map((group) => (
                <li key={group} className="tag">
                  {group}
                </li>
              ))}
            </ul>
          ) : (
            <Missing text="none" />
          )}
        </Field>
        <Field label="Source">{user.source}</Field>
        <Field label="Linked identities">
          {user.identities.length > 0 ? (
            <ul className="plain-list">
              {user.identities.map((identity) => (
                <li key={`${identity.providerName}/${identity.userId ?? ""}`}>
                  {identity.providerName}
                  {identity.providerType ? ` (${identity.providerType})` : ""}
                  {identity.userId ? <span className="mono"> {identity.userId}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <Missing text="none" />
          )}
        </Field>
        <Field label="Welcome email">
          {welcome ? (
            <>
              <span className={`tag tag-welcome-${welcome.status}`}>{welcome.status}</span>{" "}
              <DateTime value={welcome.at} />
              {` · ${describeCount(welcome.attempts, "attempt")}`}
              {welcome.messageId ? <span className="mono block">message {welcome.messageId}</span> : null}
              {welcome.error ? <span className="block">{welcome.error}</span> : null}
            </>
          ) : (
            <Missing text="not sent" />
          )}
        </Field>
        <Field label="Created">
          <DateTime value={user.createdAt} />
        </Field>
        <Field label="Confirmed">
          <DateTime value={user.confirmedAt} empty="—" />
        </Field>
        <Field label="Last sign-in">
          <DateTime value={user.lastSignInAt} />
        </Field>
        <Field label="Password changed">
          <DateTime value={user.passwordChangedAt} />
        </Field>
        <Field label="Updated">
          <DateTime value={user.updatedAt} /> (version {user.version})
        </Field>
      </dl>
    </section>
  );
}

/**
 * Role checkboxes from `GET /roles`. The selection is a draft: it survives a 409 so the admin can
 * re-apply it to the current version, and follows the record again once saved.
 */
function RolesSection({
  user,
  busy,
  fieldErrors,
  onSave,
}: {
  user: UserRecord;
  busy: boolean;
  fieldErrors: Record<string, string>;
  onSave: (roles: string[], reason: string, expectedVersion: number) => Promise<boolean>;
}) {
  const { roles } = useApp();
  const [draft, setDraft] = useState<string[]>();
  const [reason, setReason] = useState("");
  const reasonId = useId();
  const selected = draft ?? user.roles;
  const known = new Set(roles.map((role) => role.name));
  const unknown = user.roles.filter((role) => !known.has(role));
  const changed = [...selected].sort().join() !== [...user.roles].sort().join();
  const rolesError = Object.entries(fieldErrors).find(([field]) => field.startsWith("roles"))?.[1];
  const reasonError = fieldErrors.reason;
  const deleted = user.status === "deleted";
  // Not `disabled` while saving: a focused button that turns disabled drops focus to the page.
  const canSave = changed && reason.trim() !== "" && !busy;

  const toggle = (name: string, on: boolean) => {
    setDraft(on ? [...new Set([...selected, name])].sort() : selected.filter((role) => role !== name));
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSave) return;
    if (await onSave(selected, reason.trim(), user.version)) {
      setDraft(undefined);
      setReason("");
    }
  };

  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">Roles</h2>
      <form onSubmit={(event) => void submit(event)}>
        <fieldset
          disabled={deleted}
          aria-busy={busy}
          aria-describedby={rolesError ? "roles-error" : undefined}
        >
          <legend className="visually-hidden">Roles of this user</legend>
          {roles.map((role) => (
            <label key={role.name} className="check">
              <input
                type="checkbox"
                name="roles"
                value={role.name}
                checked={selected.includes(role.name)}
                onChange={(event) => toggle(role.name, event.target.checked)}
              />
              <span>
                <strong>{role.name}</strong>
                <span className="muted block">{role.description}</span>
              </span>
            </label>
          ))}
          {unknown.length > 0 ? (
            <p className="muted">Also has roles no longer in the configuration: {unknown.join(", ")}.</p>
          ) : null}
          {rolesError ? (
            <p id="roles-error" className="field-error">
              {rolesError}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor={reasonId}>Reason (recorded in the audit log)</label>
            <input
              id={reasonId}
              type="text"
              required
              maxLength={500}
              value={reason}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? `${reasonId}-error` : undefined}
              onChange={(event) => setReason(event.target.value)}
            />
            {reasonError ? (
              <p id={`${reasonId}-error`} className="field-error">
                {reasonError}
              </p>
            ) : null}
          </div>
          <div className="actions">
            <button type="submit" className="button button-primary" aria-disabled={!canSave}>
              Save roles
            </button>
            {draft ? (
              <button type="button" className="button button-link" onClick={() => setDraft(undefined)}>
                Undo changes
              </button>
            ) : null}
          </div>
        </fieldset>
      </form>
      {deleted ? <p className="muted">Roles of a deleted user cannot change.</p> : null}
    </section>
  );
}

function ActionDialog({
  kind,
  confirmText,
  name,
  busy,
  onCancel,
  onConfirm,
}: {
  kind: DialogKind;
  /** The user's email (or sub): named in the dialog, and typed to confirm a delete. */
  confirmText: string;
  name: string | undefined;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const reasonId = useId();
  const typedId = useId();
  const copy = {
    disable: {
      title: "Disable this user?",
      text: "They are signed out everywhere and cannot sign in until enabled again.",
      confirm: "Disable user",
    },
    enable: { title: "Enable this user?", text: "They can sign in again.", confirm: "Enable user" },
    delete: {
      title: "Delete this user?",
      text: "The user is deleted from Cognito and cannot sign in; this cannot be undone. The record stays here with status deleted, for the audit trail.",
      confirm: "Delete user",
    },
  }[kind];
  // Deleting cannot be undone, so like a role change it needs a reason.
  const reasonRequired = kind === "delete";
  const matches = kind !== "delete" || typed.trim().toLowerCase() === confirmText.toLowerCase();
  return (
    <ConfirmDialog
      title={copy.title}
      subject={
        <>
          {name ? <strong>{name}</strong> : null}
          {name ? " · " : null}
          <span className="mono">{confirmText}</span>
        </>
      }
      confirmLabel={copy.confirm}
      danger={kind !== "enable"}
      busy={busy}
      canConfirm={matches && (!reasonRequired || reason.trim() !== "")}
      onCancel={onCancel}
      onConfirm={() => onConfirm(reason.trim())}
    >
      <p>{copy.text}</p>
      <div className="field">
        <label htmlFor={reasonId}>
          Reason ({reasonRequired ? "required" : "optional"}, recorded in the audit log)
        </label>
        <input
          id={reasonId}
          type="text"
          required={reasonRequired}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      {kind === "delete" ? (
        <div className="field">
          <label htmlFor={typedId}>
            Type <strong className="mono">{confirmText}</strong> to confirm
          </label>
          <input
            id={typedId}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
      ) : null}
    </ConfirmDialog>
  );
}
