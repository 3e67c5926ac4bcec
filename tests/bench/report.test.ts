import { describe, expect, it } from "vitest";
import type { LatencyResult } from "../../packages/bench/src/latency.ts";
import { judgeGoals, renderMarkdown } from "../../packages/bench/src/report.ts";
import { fixtureReport } from "./fixture.ts";

function withInterval(low: number, high: number, ratio: number) {
  const report = fixtureReport();
  const latency = report.latency.map(
    (result): LatencyResult =>
      result.p99_ratio === null
        ? result
        : { ...result, p99_ratio: ratio, p99_ratio_interval: { low, high, resamples: 1000, batches: 20 } },
  );
  return { ...report, latency };
}

const warmGoals = (report: ReturnType<typeof fixtureReport>) =>
  judgeGoals(report).filter((goal) => goal.area === "warm latency" && goal.goal.includes("p99 ratio"));

describe("the bench's goals", () => {
  it("judge a p99 ratio on its interval, not on its one value", () => {
    // A point ratio over 1.2 whose interval reaches under it is not a miss: the run cannot tell.
    const unsure = warmGoals(withInterval(1.05, 1.41, 1.22));
    expect(unsure.map((goal) => [goal.verdict, goal.met])).toEqual([
      ["inconclusive", null],
      ["inconclusive", null],
      ["inconclusive", null],
    ]);
    expect(unsure[0]?.measured).toBe("1.22 [1.05, 1.41] (p99 9.9 ms vs 8.1 ms; p50 ratio 1.1)");

    expect(warmGoals(withInterval(0.9, 1.2, 1.19)).every((goal) => goal.verdict === "met" && goal.met)).toBe(
      true,
    );
    expect(
      warmGoals(withInterval(1.21, 1.6, 1.3)).every(
        (goal) => goal.verdict === "missed" && goal.met === false,
      ),
    ).toBe(true);
  });

  it("judge a cold start's import ratio on its interval: noise makes it inconclusive, not a miss", () => {
    const importGoals = (low: number, high: number, ratio: number) => {
      const report = fixtureReport();
      const coldStart = report.cold_start.map((result) => ({
        ...result,
        import_ratio: ratio,
        import_ratio_low: low,
        import_ratio_high: high,
      }));
      return judgeGoals({ ...report, cold_start: coldStart }).filter((goal) =>
        goal.goal.includes("import ratio to floor"),
      );
    };
    const unsure = importGoals(1.12, 1.41, 1.32);
    expect(unsure.length).toBeGreaterThan(0);
    expect(unsure.every((goal) => goal.verdict === "inconclusive" && goal.met === null)).toBe(true);
    expect(unsure[0]?.measured).toMatch(/^1\.32 \[1\.12, 1\.41\] \(/);
    expect(importGoals(1.05, 1.29, 1.2).every((goal) => goal.verdict === "met" && goal.met)).toBe(true);
    expect(importGoals(1.31, 1.5, 1.4).every((goal) => goal.verdict === "missed" && goal.met === false)).toBe(
      true,
    );
  });

  it("print each verdict and say how the interval is made", () => {
    const partial = withInterval(1.05, 1.41, 1.22);
    const markdown = renderMarkdown({ ...partial, goals: judgeGoals(partial), duration_seconds: 1 });
    expect(markdown).toContain("| 1.22 [1.05, 1.41] (p99 9.9 ms vs 8.1 ms; p50 ratio 1.1) | inconclusive |");
    expect(markdown).toContain("| 1 dynamodb:GetItem | met |");
    expect(markdown).toContain("resamples the batch pairs");
    expect(markdown).toContain("interleaved batches of 25");
  });

  it("judge yes/no goals as before: a figure that was not measured is not run", () => {
    const partial = { ...fixtureReport(), end_to_end: { skipped: "the local stack run failed" } };
    const goal = judgeGoals(partial).find((entry) => entry.area === "end to end");
    expect(goal).toMatchObject({ verdict: "not run", met: null, measured: "the local stack run failed" });
  });
});
