import type { AuditAction } from "./lists.ts";

/** One append-only audit entry: who did what to which user, and why. */
export interface AuditEvent {
  sub: string;
  id: string;
  at: string;
  /** `system:<trigger>` for trigger decisions, the admin's sub for admin actions. */
  actor: string;
  action: AuditAction;
  reason?: string;
  details?: Record<string, unknown>;
  /** When its personal data was removed (erasure or retention); such an entry is never rewritten. */
  scrubbedAt?: string;
}

/** A user's newest audit entry, as a 409 shows it: the actor named by email when a user. */
export type LastChange = Pick<AuditEvent, "actor" | "action" | "at" | "details"> & { actorEmail?: string };

/** Whether an audit actor is a user's sub; system (`system:<trigger>`) and CLI (`cli:<login>`) actors are not. */
export function isUserActor(actor: string): boolean {
  return !actor.includes(":");
}
