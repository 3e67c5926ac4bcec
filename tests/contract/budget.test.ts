import {
  type ColdStart,
  cognitoTimeoutMs,
  defineTrigger,
  InvocationClock,
  type InvocationContext,
  processColdStart,
  timeLeft,
} from "@cognito-lifecycle/aws";
import { describe, expect, it } from "vitest";

/**
 * The 4 s trigger budget counts from when the container's work for the invocation began: on an
 * on-demand cold start, the process start, because Cognito's 5 s clock includes init.
 */
const budgetMs = 4000;

/** A trigger that reports the budget its run would have left, like the handlers compute it. */
function budgetProbe(clock: InvocationClock) {
  const seen: number[] = [];
  const handler = defineTrigger(
    "probe",
    ["Probe_Source"],
    async (_event, context: InvocationContext | undefined, startedAt) => {
      seen.push(timeLeft(budgetMs, startedAt, context));
    },
    clock,
  );
  const call = (context?: InvocationContext) =>
    handler({ triggerSource: "Probe_Source", response: {} }, context);
  return { seen, call };
}

function coldStart(parts: Partial<ColdStart> & { initMs: number }): ColdStart {
  const now = Date.now();
  return {
    processStartedAt: now - parts.initMs,
    loadedAt: parts.loadedAt ?? now,
    countsInit: parts.countsInit ?? true,
  };
}

describe("the trigger budget counts a cold start's init", () => {
  it("a slow init leaves less budget for the first invocation only", async () => {
    const { seen, call } = budgetProbe(new InvocationClock(coldStart({ initMs: 3000 })));
    await call();
    await call();
    expect(seen[0]).toBeLessThanOrEqual(budgetMs - 3000);
    expect(seen[1]).toBeGreaterThan(budgetMs - 500);
  });

  it("an init longer than the budget leaves nothing: the calls give up at once", async () => {
    const { seen, call } = budgetProbe(new InvocationClock(coldStart({ initMs: 4500 })));
    await call();
    expect(seen[0]).toBe(0);
  });

  it("Lambda's remaining time still caps the budget (less a margin)", async () => {
    const { seen, call } = budgetProbe(new InvocationClock(coldStart({ initMs: 0 })));
    await call({ getRemainingTimeInMillis: () => 1200 });
    expect(seen[0]).toBeLessThanOrEqual(950);
  });

  it("does not count init off the request's path (provisioned concurrency, SnapStart, tests)", async () => {
    const { seen, call } = budgetProbe(new InvocationClock(coldStart({ initMs: 3000, countsInit: false })));
    await call();
    expect(seen[0]).toBeGreaterThan(budgetMs - 500);
  });

  it("does not count init that ended long before the first request (proactive initialisation)", async () => {
    const loadedAt = Date.now() - cognitoTimeoutMs - 60_000;
    const { seen, call } = budgetProbe(new InvocationClock(coldStart({ initMs: 70_000, loadedAt })));
    await call();
    expect(seen[0]).toBeGreaterThan(budgetMs - 500);
  });

  it("counts init only in on-demand Lambda processes, from the process start", () => {
    const onDemand = processColdStart({ AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand" });
    expect(onDemand.countsInit).toBe(true);
    expect(onDemand.processStartedAt).toBe(performance.timeOrigin);
    expect(onDemand.loadedAt).toBeGreaterThanOrEqual(onDemand.processStartedAt);
    for (const type of ["provisioned-concurrency", "snap-start", undefined]) {
      expect(processColdStart({ AWS_LAMBDA_INITIALIZATION_TYPE: type }).countsInit).toBe(false);
    }
  });
});
