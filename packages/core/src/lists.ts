/**
 * The closed lists of the user record, written once: the types derive from them, and the admin
 * API, the CLI and the console (through `@cognito-lifecycle/core/lists`, which imports nothing)
 * validate and offer exactly these values.
 */

/** Where a record stands. `deleted` records stay as tombstones until erased or scrubbed. */
export const userStatuses = ["active", "disabled", "deleted"] as const;
export type UserStatus = (typeof userStatuses)[number];

/** How a record came to exist. */
export const userSources = [
  "sign-up",
  "admin-create",
  "federated",
  "reconcile",
  "token-jit",
  "migration",
] as const;
export type UserSource = (typeof userSources)[number];

/**
 * Where the welcome email stands. `sending` is the claim a sender takes before calling SES, so
 * retries and concurrent invocations never send twice; `pending` is waiting for a retry by
 * reconcile; `failed` is a permanent rejection (bad address) and is not retried; `unknown` is a
 * send that may have reached SES (timed out, cut off, 5xx) and is never resent automatically.
 */
export const welcomeEmailStatuses = ["sending", "sent", "pending", "failed", "skipped", "unknown"] as const;
export type WelcomeEmailStatus = (typeof welcomeEmailStatuses)[number];

/**
 * What SES told us about a user's address (functions/email-feedback.ts): `bouncing` after a
 * permanent bounce, `complained` after a complaint. Either stops non-essential mail (the welcome
 * email); codes still go out.
 */
export const emailDeliverabilityStatuses = ["bouncing", "complained"] as const;
export type EmailDeliverabilityStatus = (typeof emailDeliverabilityStatuses)[number];

/**
 * How long a profile value an admin edits may be, in characters: Cognito takes 2,048 per
 * attribute value; the record keeps a display name to 256 (`displayName`), so a longer name
 * would leave Cognito and the record different.
 */
export const profileLimits = { name: 256, attribute: 2048 } as const;

/**
 * Every action an audit entry may record. Triggers and reconcile write `user.created`; reconcile
 * `user.reconciled` (and `user.deleted` for users gone from Cognito); the admin tools the role
 * and status actions, `user.resynced` and `user.signed-out` (sessions revoked after a privileged
 * role was removed) and `user.invite-resent` (an invitation itself is `user.created`); the
 * retention job `user.scrubbed`; an export (admin or the user themself) `user.exported`. The
 * account actions: `user.signed-out` (also for an admin's "sign out everywhere"),
 * `user.password-reset` (AdminResetUserPassword sent a reset code), `user.email-verified` (an
 * admin marked the address verified) and `user.mfa-reset` (an admin turned the MFA factors off). `user.profile_updated`: an admin edited
 * the name, locale or an editable custom attribute.
 * `user.erased` and `user.signed_in` name the events whose meaning the record diff cannot show.
 * `webhook.*` are admin actions on webhook endpoints, audited under the subject
 * `webhook:<endpoint id>`. `import.*` are bulk imports of users (admin CLI or API), under the
 * subject `import:<job id>`; `bulk.*` are bulk actions (roles, disable, enable, export) under
 * `bulk:<job id>`, whose per-user changes are the usual user actions with the job id in details.
 */
export const auditActions = [
  "user.created",
  "user.reconciled",
  "user.roles.set",
  "user.disabled",
  "user.enabled",
  "user.deleted",
  "user.resynced",
  "user.signed-out",
  "user.invite-resent",
  "user.password-reset",
  "user.email-verified",
  "user.mfa-reset",
  "user.profile_updated",
  "user.scrubbed",
  "user.erased",
  "user.exported",
  "user.signed_in",
  "user.email-feedback",
  "webhook.added",
  "webhook.updated",
  "webhook.disabled",
  "webhook.enabled",
  "webhook.rotated",
  "webhook.tested",
  "webhook.replayed",
  "import.started",
  "import.finished",
  "bulk.started",
  "bulk.finished",
  "bulk.exported",
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * The self-service data-rights routes (API Gateway route keys): the app in packages/admin serves
 * exactly these and stacks/data-rights.ts deploys exactly these.
 */
export const selfServiceRoutes = ["DELETE /me", "GET /me/export"] as const;

/**
 * The lifecycle events apps receive (webhooks, EventBridge `detail-type`). One event per record
 * version, so "apply if newer than the version I hold" is all a consumer needs for order.
 * `user.roles_changed` is its own type, not a kind of `user.updated`: role changes are what
 * authorisation caches and session revocation listen for, and a type is what an endpoint's
 * filter and an EventBridge rule select on without content matching.
 * `user.signed_in` does not bump the version and is sent only when enabled.
 */
export const lifecycleEventTypes = [
  "user.created",
  "user.updated",
  "user.roles_changed",
  "user.disabled",
  "user.enabled",
  "user.deleted",
  "user.erased",
  "user.signed_in",
] as const;

export type LifecycleEventType = (typeof lifecycleEventTypes)[number];
