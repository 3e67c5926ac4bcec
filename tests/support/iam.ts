import { runAs, setCallInterceptor } from "@cognito-lifecycle/aws";
import { poolId } from "@cognito-lifecycle/bench";
import {
  type LifecycleConfig,
  type TriggerName,
  triggerManifest,
  triggerNames,
} from "@cognito-lifecycle/core";
import {
  type FunctionName,
  functionPermissions,
  type Statement,
} from "@cognito-lifecycle/core/least-privilege";
import {
  arnsFor,
  assertKnownActions,
  IamChecker,
  type IamTarget,
  localAccount,
  localRegion,
  stopEnforcingIam,
  writeUnusedGrants,
} from "@cognito-lifecycle/local";
import { afterAll, afterEach, beforeAll, expect } from "vitest";

/**
 * The offline IAM check for tests that run handlers directly (no local stack): the checker of
 * packages/local/src/iam.ts, installed for one test file, with the grants packages/core/src/least-privilege.ts
 * gives each function for the config in use. Calls made inside `runAs(<function>)` are checked and
 * a denied one throws AccessDeniedException; the test's own seeding and reading stay outside any
 * principal and are not checked, as in the stack.
 */
interface Harness {
  checker: IamChecker;
  config: LifecycleConfig;
  /** Every table the file's handlers may use: the role is granted on each (as if deployed once per table). */
  tables: Set<string>;
  /** Denials already seen when the current test started. */
  seen: number;
}

let active: Harness | undefined;

function target(
  tableName: string,
  base: Pick<IamTarget, "userPoolId" | "configurationSet">,
  config: LifecycleConfig,
) {
  return {
    region: localRegion,
    account: localAccount,
    tableName,
    userPoolId: base.userPoolId,
    emailIdentity: config.branding.sender.address,
    configurationSet: base.configurationSet,
  };
}

function grantsFor(harness: Harness): Record<string, Statement<string>[]> {
  const merged: Record<string, Statement<string>[]> = {};
  for (const table of harness.tables.size ? harness.tables : [""]) {
    const perTable = functionPermissions(
      harness.config,
      arnsFor({ ...harness.checker.target, tableName: table }),
    );
    for (const [principal, statements] of Object.entries(perTable)) {
      merged[principal] = [...(merged[principal] ?? []), ...statements];
    }
  }
  return merged;
}

/** The kind of a resource ARN ("table", "tableIndexes", "userPool"...) over every table of the file. */
function kindOf(harness: Harness, resource: string): string | undefined {
  for (const table of harness.tables) {
    const kind = Object.entries(arnsFor({ ...harness.checker.target, tableName: table })).find(
      ([, arn]) => arn === resource,
    );
    if (kind) return kind[0];
  }
  return undefined;
}

/** Writes what the grants so far were used for (the run's unused-grant report reads it). */
function flushUsage(harness: Harness): void {
  writeUnusedGrants(harness.checker, undefined, (resource) => kindOf(harness, resource));
  harness.checker.requests.clear();
}

/**
 * Turns the check on for the calling test file: before all its tests, with `config`'s grants.
 * Each test fails if any call was denied during it, also one the code swallowed (a welcome
 * email that "failed" because of IAM would otherwise pass as a transient failure).
 */
export function checkIam(
  config: LifecycleConfig,
  options: { userPoolId?: string; configurationSet?: string } = {},
): {
  readonly checker: IamChecker;
  /** The denials of this test so far, taken: a test that expects a denial says so. */
  takeDenials(): string[];
} {
  beforeAll(async () => {
    const checker = new IamChecker(
      {},
      target(
        "",
        { userPoolId: options.userPoolId ?? poolId, configurationSet: options.configurationSet ?? "" },
        config,
      ),
    );
    active = { checker, config, tables: new Set(), seen: 0 };
    const grants = grantsFor(active);
    await assertKnownActions(grants);
    checker.replaceGrants(grants);
    setCallInterceptor((call) => checker.check(call));
  });
  afterEach(() => {
    if (!active) return;
    const denials = active.checker.denials.slice(active.seen);
    active.seen = active.checker.denials.length;
    expect(denials, "calls the offline IAM check denied in this test").toEqual([]);
  });
  afterAll(() => {
    if (active) flushUsage(active);
    active = undefined;
    stopEnforcingIam();
  });
  const current = () => {
    if (!active) throw new Error("checkIam: the check is on only inside the file's tests");
    return active;
  };
  return {
    get checker() {
      return current().checker;
    },
    takeDenials() {
      const harness = current();
      const denials = harness.checker.denials.slice(harness.seen);
      harness.seen = harness.checker.denials.length;
      return denials;
    },
  };
}

/** A table the file's handlers use (fresh stores call this): the roles are granted on it too. */
export function iamTable(tableName: string): void {
  if (!active || active.tables.has(tableName)) return;
  active.tables.add(tableName);
  active.checker.replaceGrants(grantsFor(active));
}

/**
 * The config the next invocations run with (a test building a handler with its own config):
 * from now on each function has that config's grants, as if the stack were deployed with it.
 */
export function iamConfig(config: LifecycleConfig): void {
  if (!active || JSON.stringify(active.config) === JSON.stringify(config)) return;
  flushUsage(active);
  active.config = config;
  active.checker.replaceGrants(grantsFor(active));
}

/** The function a trigger source belongs to ("PreSignUp_SignUp" -> PreSignUp), from its prefix. */
export function functionForSource(triggerSource: unknown): FunctionName | undefined {
  if (typeof triggerSource !== "string") return undefined;
  const prefix = triggerSource.split("_")[0];
  const trigger = triggerNames.find((name) =>
    triggerManifest[name].sources.some((source) => source.split("_")[0] === prefix),
  );
  return trigger ? triggerManifest[trigger].functionName : undefined;
}

/** Runs `work` as the function that handles `triggerSource`; outside any principal if none does. */
export function asTrigger<T>(triggerSource: unknown, work: () => T): T {
  const principal = functionForSource(triggerSource);
  return principal ? runAs(principal, work) : work();
}

/**
 * Bench-style handlers ("pre-sign-up", "post-confirmation"...) that each run as their function
 * (the trigger manifest's function names), so their calls are checked against its role.
 */
export function asFunctions<Handlers extends Record<string, (...args: never[]) => unknown>>(
  handlers: Handlers,
): Handlers {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => {
      const trigger = name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()) as TriggerName;
      const principal = trigger in triggerManifest ? triggerManifest[trigger].functionName : undefined;
      if (!principal) throw new Error(`asFunctions: no function for the trigger ${name}`);
      return [name, (...args: never[]) => runAs(principal, () => handler(...args))];
    }),
  ) as Handlers;
}

/**
 * `target` with each of its methods running as `principal`: a component a function uses (the
 * admin API's directory), called directly by a test, checked against that function's role.
 */
export function actingAs<Target extends object>(principal: FunctionName, target: Target): Target {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      return typeof value === "function"
        ? (...args: unknown[]) => runAs(principal, () => value.apply(object, args))
        : value;
    },
  });
}
