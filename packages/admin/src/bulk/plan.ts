import { createHash } from "node:crypto";
import type { UserFilter, UserSummary } from "@cognito-lifecycle/aws";
import { type LifecycleConfig, LifecycleError, unknownRoles } from "@cognito-lifecycle/core";
import { ValidationError } from "../errors.ts";
import type { AdminRuntime } from "../runtime.ts";

/** The changes a bulk job makes to each user; exports are answered at once, not as a job. */
export const bulkActions = ["roles", "disable", "enable"] as const;
export type BulkAction = (typeof bulkActions)[number];

/** Who a bulk action is for: a selection of subs, or every user a directory filter matches. */
export type BulkTarget = { subs: string[] } | { filter: UserFilter };

/** What a bulk change does, without its reason: the dry run's token binds exactly this. */
export interface BulkChange {
  action: BulkAction;
  target: BulkTarget;
  /** Role deltas (`roles` only): applied to each user's current roles, never a whole set. */
  add?: string[];
  remove?: string[];
  /** The caller's own account is skipped unless this is true (it is then also the confirmation). */
  includeSelf?: boolean;
}

export const bulkLimits = {
  /** Subs a selection may name (the request body stays small). */
  maxSubs: 1000,
  /** Users a filter may match: counting them is one index read of this size at most. */
  maxFilterUsers: 250_000,
  sampleSize: 10,
  /** Users read per listing page while a filter job runs; the run stops only between pages. */
  pageSize: 25,
  /** A run stops cleanly after this long (the function has 29 s); the client continues it. */
  runBudgetMs: 20_000,
};

/** A user as a dry run's sample names them. */
export type SampleUser = Pick<UserSummary, "sub" | "email" | "name" | "roles" | "status">;

/** What a dry run answers: how many users, who (a sample), and the token the real run echoes. */
export interface BulkPreview {
  count: number;
  token: string;
  sample: SampleUser[];
  /** Subs of a selection that have no record (each would fail as `not_found`). */
  missing?: number;
}

/** The selection's refusal when the users it names changed between the dry run and the run. */
export class BulkChangedError extends LifecycleError {
  override readonly name = "BulkChangedError";
  constructor(message: string) {
    super(message, { code: "bulk_changed", status: 409, expose: true });
  }
}

export const isFilterTarget = (target: BulkTarget): target is { filter: UserFilter } => "filter" in target;

/** The selection's subs, each once, in the order given. */
export const uniqueSubs = (subs: readonly string[]) => [...new Set(subs)];

const sampleOf = (user: UserSummary): SampleUser => ({
  sub: user.sub,
  ...(user.email ? { email: user.email } : {}),
  ...(user.name ? { name: user.name } : {}),
  roles: user.roles ?? [],
  status: user.status,
});

/** Refuses a change whose roles are unknown, empty or contradictory, or that is not a role change but names roles. */
export function validateChange(config: LifecycleConfig, change: BulkChange): void {
  const add = change.add ?? [];
  const remove = change.remove ?? [];
  const fields: Record<string, string> = {};
  const unknown = unknownRoles(config, [...add, ...remove]);
  if (change.action !== "roles") {
    if (add.length + remove.length > 0) fields.add = "only the roles action takes add/remove";
  } else if (unknown.length > 0) fields.add = `unknown role: ${unknown.join(", ")}`;
  else if (add.length + remove.length === 0) fields.add = "give add and/or remove: the roles to change";
  else if (add.some((role) => remove.includes(role))) fields.remove = "must not name a role that add names";
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
}

/** A digest of the change and its count: a real run must echo it, so a different count is caught. */
export function bulkToken(change: BulkChange, count: number): string {
  const canonical = JSON.stringify({
    action: change.action,
    target: isFilterTarget(change.target)
      ? { filter: Object.fromEntries(Object.entries(change.target.filter).sort()) }
      : { subs: uniqueSubs(change.target.subs) },
    add: [...(change.add ?? [])].sort(),
    remove: [...(change.remove ?? [])].sort(),
    includeSelf: change.includeSelf === true,
    count,
  });
  const digest = createHash("sha256").update(canonical).digest("base64url").slice(0, 22);
  return `${count}.${digest}`;
}

/** How many users the target names now, and a sample of them. */
export async function previewTarget(runtime: AdminRuntime, target: BulkTarget) {
  if (isFilterTarget(target)) {
    const { count, exact } = await runtime.bulk.countUsers(target.filter);
    if (!exact) {
      throw new LifecycleError(
        `More than ${bulkLimits.maxFilterUsers} users match this filter; narrow it (by role, status or creation date).`,
        { code: "too_many_users", status: 413, expose: true },
      );
    }
    const page = await runtime.directory.listUsers(target.filter, { limit: bulkLimits.sampleSize });
    return { count, sample: page.items.map(sampleOf) };
  }
  const subs = uniqueSubs(target.subs);
  const records = await runtime.directory.getMany(subs);
  const sample = subs
    .map((sub) => records.get(sub))
    .filter((record) => record !== undefined)
    .slice(0, bulkLimits.sampleSize)
    .map(sampleOf);
  return { count: subs.length, sample, missing: subs.length - records.size };
}

/** The dry run: counts and samples the target, and signs the change with its count. */
export async function dryRun(runtime: AdminRuntime, change: BulkChange): Promise<BulkPreview> {
  const preview = await previewTarget(runtime, change.target);
  return { ...preview, token: bulkToken(change, preview.count) };
}

/**
 * Before a real run: the target counted again must give the dry run's token. A filter that now
 * matches another number of users (or a token from another change) is refused; nothing is changed.
 */
export async function checkToken(runtime: AdminRuntime, change: BulkChange, token: string): Promise<number> {
  const { count } = await previewTarget(runtime, change.target);
  if (bulkToken(change, count) === token) return count;
  const counted = Number(token.split(".")[0]);
  if (Number.isInteger(counted) && counted !== count) {
    throw new BulkChangedError(
      `The dry run counted ${counted} users, but ${count} match now; nothing was changed. Run the dry run again and check who is included.`,
    );
  }
  throw new BulkChangedError(
    "The token is not the dry run's for this change (another action, roles or selection); nothing was changed. Run the dry run again.",
  );
}
