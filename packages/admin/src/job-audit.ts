import type { AuditAction } from "@cognito-lifecycle/core";
import type { AdminRuntime } from "./runtime.ts";

/**
 * An audit entry about a job rather than a user, under the subject `<kind>:<job id>`
 * (`import:imp_…`, `bulk:blk_…`): who started it, what it was asked to do, and its counts.
 */
export async function auditJob(
  runtime: AdminRuntime,
  entry: { subject: string; actor: string; action: AuditAction; details: Record<string, unknown> },
): Promise<void> {
  await runtime.store.appendAudit({
    sub: entry.subject,
    id: runtime.newId(),
    at: runtime.now().toISOString(),
    actor: entry.actor,
    action: entry.action,
    details: entry.details,
  });
}
