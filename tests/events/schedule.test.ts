import {
  type DeliveryOutcome,
  dueDeliveries,
  newWebhookEndpoint,
  nextRetryDelay,
  parseRetryAfter,
  retryDelaysMs,
  verdictOf,
  type WebhookDelivery,
} from "@cognito-lifecycle/aws/webhooks";
import { describe, expect, it } from "vitest";

const now = new Date("2030-01-01T00:00:00.000Z");

describe("the retry schedule", () => {
  it("follows the Standard Webhooks waits, then gives up", () => {
    const waits = retryDelaysMs.map((_, made) => nextRetryDelay(made, { random: () => 0.5 }));
    expect(waits).toEqual([...retryDelaysMs]);
    expect(nextRetryDelay(retryDelaysMs.length)).toBeUndefined();
  });

  it("jitters each wait by at most a tenth either way", () => {
    expect(nextRetryDelay(2, { random: () => 0 })).toBe(270_000);
    expect(nextRetryDelay(2, { random: () => 0.999999 })).toBe(330_000);
  });

  it("waits at least as long as Retry-After asks", () => {
    expect(nextRetryDelay(1, { random: () => 0.5, retryAfterMs: 60_000 })).toBe(60_000);
    expect(nextRetryDelay(2, { random: () => 0.5, retryAfterMs: 60_000 })).toBe(300_000);
  });

  it.each([
    ["120", 120_000],
    ["Tue, 01 Jan 2030 00:10:00 GMT", 600_000],
    ["999999999", 24 * 3_600_000],
    ["0", undefined],
    ["soon", undefined],
    [undefined, undefined],
  ])("reads Retry-After %s as %s ms (capped at a day)", (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([
    [200, "delivered"],
    [204, "delivered"],
    [301, "retry"],
    [400, "retry"],
    [410, "gone"],
    [429, "retry"],
    [500, "retry"],
  ] as const)("treats status %d as %s", (status, verdict) => {
    expect(verdictOf({ kind: "response", status, latencyMs: 1, excerpt: "" })).toBe(verdict);
  });

  it("retries timeouts and network errors", () => {
    const outcome: DeliveryOutcome = { kind: "timeout", latencyMs: 1, error: "no answer" };
    expect(verdictOf(outcome)).toBe("retry");
  });
});

describe("which deliveries may go now", () => {
  const endpoint = newWebhookEndpoint({ id: "ep", url: "https://hooks.example.com", now });
  const delivery = (sub: string, version: number, nextAttemptAt = now.toISOString()): WebhookDelivery => ({
    endpointId: "ep",
    eventId: `${sub}-${version}`,
    eventType: "user.updated",
    sub,
    version,
    eventAt: now.toISOString(),
    payload: "{}",
    status: "pending",
    attempts: 0,
    nextAttemptAt,
    createdAt: now.toISOString(),
  });

  it("sends only each user's earliest pending version", () => {
    const due = dueDeliveries([delivery("a", 3), delivery("a", 2), delivery("b", 7)], [endpoint], now);
    expect(due.map((entry) => entry.eventId).sort()).toEqual(["a-2", "b-7"]);
  });

  it("holds a user's later events while the earliest waits for its retry", () => {
    const due = dueDeliveries(
      [delivery("a", 1, "2030-01-01T00:05:00.000Z"), delivery("a", 2)],
      [endpoint],
      now,
    );
    expect(due).toEqual([]);
  });

  it("sends nothing to a disabled endpoint", () => {
    const disabled = { ...endpoint, disabled: { at: now.toISOString(), reason: "410" } };
    expect(dueDeliveries([delivery("a", 1)], [disabled], now)).toEqual([]);
  });

  it("orders events of one version by time (a sign-in after the change it follows)", () => {
    const change = delivery("a", 4);
    const signIn = { ...delivery("a", 4), eventId: "a-4-sign-in", eventAt: "2030-01-01T00:00:01.000Z" };
    expect(dueDeliveries([signIn, change], [endpoint], now)).toEqual([change]);
  });
});
