import type { AuditFilter, Page, PersonName } from "@cognito-lifecycle/aws";
import { type AuditAction, type AuditEvent, isUserActor } from "@cognito-lifecycle/core";
import { ValidationError } from "./errors.ts";
import type { AdminRuntime } from "./runtime.ts";

/** What an admin filters the audit log by: users and actors by sub or email. */
export interface AuditQuery {
  user?: string;
  actor?: string;
  action?: AuditAction;
  from?: string;
  to?: string;
}

/** An audit page with the email and name of every user and actor on it that has a record. */
export interface NamedAuditPage extends Page<AuditEvent> {
  people: Record<string, PersonName>;
}

/** The sub of `value` when it is an email (one directory lookup); else `value` as given. */
async function subFor(runtime: AdminRuntime, field: string, value: string): Promise<string | undefined> {
  if (!value.includes("@") || value.startsWith("system:") || value.startsWith("cli:")) return value;
  const matches = await runtime.directory.findByEmail(value);
  if (matches.length > 1) {
    throw new ValidationError({ [field]: `${matches.length} users have this email; use a sub` });
  }
  return matches[0]?.sub;
}

/**
 * The audit log as admins read it: emails resolved to subs server-side, and the page's users
 * and actors named from the directory in one batched read (not one read per row).
 */
export async function auditLog(
  runtime: AdminRuntime,
  query: AuditQuery,
  page: { limit?: number; cursor?: string },
): Promise<NamedAuditPage> {
  const sub = query.user ? await subFor(runtime, "user", query.user) : undefined;
  const actor = query.actor ? await subFor(runtime, "actor", query.actor) : undefined;
  // An email nobody has matches no event.
  if ((query.user && !sub) || (query.actor && !actor)) return { items: [], people: {} };
  const filter: AuditFilter = {
    ...(sub ? { sub } : {}),
    ...(actor ? { actor } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
  };
  const result = await runtime.directory.listAudit(filter, page);
  const subs = result.items.flatMap((event) => [event.sub, event.actor]).filter(isUserActor);
  const names = subs.length > 0 ? await runtime.directory.namesOf(subs) : new Map<string, PersonName>();
  return { ...result, people: Object.fromEntries(names) };
}
