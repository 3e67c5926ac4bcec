import type { PersonName, UserSummary } from "@cognito-lifecycle/aws";
import type { WebhookAttempt } from "@cognito-lifecycle/aws/webhooks";
import type { AuditEvent, UserRecord } from "@cognito-lifecycle/core";
import type { TokenPreview } from "../preview.ts";
import type { ReconcileReport } from "../reconcile.ts";
import type { StepOutcome } from "../service.ts";
import type { WebhookEndpointView } from "../webhooks.ts";

// How the CLI prints what it got, when not asked for --json.

/** A plain-text table: columns padded to their widest cell (capped), no colours. */
export function table(headers: string[], rows: (string | undefined)[][]): string {
  const cap = 40;
  const cells = rows.map((row) =>
    row.map((cell) => {
      const text = cell ?? "";
      return text.length > cap ? `${text.slice(0, cap - 1)}…` : text;
    }),
  );
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...cells.map((row) => (row[index] ?? "").length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(headers), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n")}\n`;
}

const day = (iso: string | undefined) => (iso ? iso.replace("T", " ").slice(0, 16) : "");

export function userRows(users: UserSummary[]): string {
  return table(
    ["sub", "email", "name", "roles", "status", "source", "created", "last sign-in"],
    users.map((user) => [
      user.sub,
      user.email,
      user.name,
      user.roles.join(","),
      user.status,
      user.source,
      day(user.createdAt),
      day(user.lastSignInAt),
    ]),
  );
}

/** Audit rows; with `people`, users and actors by email (their sub when they have no record). */
export function auditRows(events: AuditEvent[], people: Record<string, PersonName> = {}): string {
  const who = (id: string) => people[id]?.email ?? id;
  return table(
    ["at", "actor", "action", "user", "reason"],
    events.map((event) => [day(event.at), who(event.actor), event.action, who(event.sub), event.reason]),
  );
}

export function webhookRows(endpoints: WebhookEndpointView[]): string {
  return table(
    ["id", "url", "events", "state", "failures", "created"],
    endpoints.map((endpoint) => [
      endpoint.id,
      endpoint.url,
      endpoint.eventTypes.join(",") || "(all)",
      endpoint.disabled ? `disabled: ${endpoint.disabled.reason}` : "enabled",
      String(endpoint.failures.consecutive),
      day(endpoint.createdAt),
    ]),
  );
}

export function attemptRows(attempts: WebhookAttempt[]): string {
  return table(
    ["at", "event", "attempt", "outcome", "status", "ms", "detail"],
    attempts.map((attempt) => [
      attempt.at,
      attempt.eventId,
      String(attempt.attempt),
      attempt.outcome,
      attempt.status === undefined ? undefined : String(attempt.status),
      String(attempt.latencyMs),
      attempt.error ?? attempt.excerpt,
    ]),
  );
}

/** One line per step of a change: `  ok     sign-out` or `  FAILED sign-out (NotAuthorizedException)`. */
export function stepsText(steps: StepOutcome[]): string {
  return steps
    .map((step) => `  ${step.ok ? "ok    " : "FAILED"} ${step.step}${step.error ? ` (${step.error})` : ""}\n`)
    .join("");
}

export function recordText(user: UserRecord): string {
  const fields: [string, string | undefined][] = [
    ["sub", user.sub],
    ["username", user.username],
    [
      "email",
      user.email ? `${user.email}${user.emailVerified ? " (verified)" : " (not verified)"}` : undefined,
    ],
    ["name", user.name],
    ["locale", user.locale],
    ["status", user.status],
    ["roles", user.roles.join(", ") || "(none)"],
    ["groups", user.groups.join(", ") || "(none)"],
    ["source", user.source],
    ["identities", user.identities.map((identity) => identity.providerName).join(", ") || undefined],
    ["created", user.createdAt],
    ["confirmed", user.confirmedAt],
    ["last sign-in", user.lastSignInAt],
    ["password changed", user.passwordChangedAt],
    [
      "welcome email",
      user.welcomeEmail
        ? `${user.welcomeEmail.status} (${user.welcomeEmail.attempts} attempts, ${user.welcomeEmail.at})`
        : undefined,
    ],
    ["version", String(user.version)],
    ["updated", user.updatedAt],
  ];
  const width = Math.max(...fields.map(([label]) => label.length));
  return `${fields
    .filter(([, value]) => value !== undefined)
    .map(([label, value]) => `${label.padEnd(width)}  ${value}`)
    .join("\n")}\n`;
}

export function reconcileText(report: ReconcileReport): string {
  const { counts } = report;
  const lines = [
    `Reconcile (${report.apply ? "applied" : "dry run"}): ${counts.cognitoUsers} Cognito users, ${counts.recordsChecked} records checked${report.complete ? "" : " (stopped early)"}`,
    `  created          ${counts.created}`,
    `  marked deleted   ${counts.markedDeleted}`,
    `  updated          ${counts.updated}`,
    `  welcome retried  ${counts.welcomeRetried}`,
    `  welcome unknown  ${counts.welcomeUnknown} (may have been sent; never resent automatically)`,
    `  unchanged        ${counts.unchanged}`,
    `  unconfirmed      ${counts.skippedUnconfirmed} (no record until they confirm)`,
    `  missed by signal ${counts.missedBySignal} (deletes and attribute changes the delete signal did not apply)`,
    `  errors           ${counts.errors}`,
  ];
  let text = `${lines.join("\n")}\n`;
  if (report.changes.length > 0) {
    text += `\n${table(
      ["change", "sub", "email", "details"],
      report.changes.map((change) => [change.kind, change.sub, change.email, change.changes.join(", ")]),
    )}`;
  }
  if (report.errors.length > 0) {
    text += `\n${table(
      ["sub", "error"],
      report.errors.map((error) => [error.sub, error.error]),
    )}`;
  }
  if (!report.complete && report.cursor)
    text += `\nContinue with: reconcile${report.apply ? " --apply" : ""} --cursor ${report.cursor}\n`;
  else if (!report.apply && report.changes.length > 0)
    text += "\nNothing was changed. Run again with --apply to make these changes.\n";
  return text;
}

export function previewText(preview: TokenPreview): string {
  const lines = [
    `Token claims for ${preview.email ?? preview.sub}`,
    preview.refused ? `  sign-in refused: ${preview.refused}` : undefined,
    `  groups       ${preview.groups.join(", ") || "(none)"}`,
    `  roles        ${preview.roles.join(", ") || "(none)"}`,
    `  permissions  ${preview.permissions.join(", ") || "(none)"}`,
    preview.dropped.length > 0
      ? `  left out     ${preview.dropped.join(", ")} (over claims.maxBytes)`
      : undefined,
    "",
    "V2/V3 events (ID and access token):",
    JSON.stringify(preview.claims, null, 2),
    "V1 events (ID token only):",
    JSON.stringify(preview.v1Claims, null, 2),
  ];
  return `${lines.filter((line) => line !== undefined).join("\n")}\n`;
}
