import { type AdminRuntime, createAdminRuntime, reconcile } from "@cognito-lifecycle/admin";
import {
  type CognitoEvent,
  customMessageEvent,
  FaultInjector,
  type FaultRule,
  FaultSockets,
  faultKinds,
  instrumentedRuntime,
  pool,
  poolId,
  postAuthenticationEvent,
  postConfirmationEvent,
  preSignUpEvent,
  preTokenEvent,
  type Service,
  type TriggerName,
} from "@cognito-lifecycle/bench";
import { MalformedEventError, UserFacingError, userMessage } from "@cognito-lifecycle/core";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoEndpoint, emailsTo, sesEndpoint } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";
import {
  relayEvents,
  reliabilityConfig,
  reliabilityEnvironment,
  since,
  triggerHandlers,
  uniqueUser,
  userState,
} from "./support.ts";

/**
 * Faults injected at the SDK layer (throttling, 5xx, timeouts, connection resets) into the
 * DynamoDB, SES and Cognito calls each trigger makes, once (the SDK's own retry absorbs it) or on
 * every attempt. Whatever happens, a trigger answers within its 4 s budget, either normally or
 * with its user-facing message, and leaves no half-written record. After post confirmation, the
 * events function relays the user's `user.created` and sends the welcome email; faults on its
 * claim (UpdateItem) and send (SES) are injected there. Once the faults stop, token-time
 * creation and reconcile restore every missing record and pending welcome email.
 */

/** The triggers' budget (timeouts.budgetMs) plus scheduling slack on a shared test machine. */
const deadlineMs = reliabilityConfig.timeouts.budgetMs + 500;

checkIam(reliabilityConfig);
const unavailable = userMessage("temporarilyUnavailable", "en");

type Expected = "succeeds" | "succeeds-or-refuses";

interface Scenario {
  name: string;
  trigger: TriggerName;
  service: Service;
  rule: FaultRule;
  expected: Expected;
  user: ReturnType<typeof uniqueUser>;
  /** The user already has a record before the trigger runs. */
  seeded: boolean;
  event: () => CognitoEvent;
}

interface Outcome {
  result: "ok" | "refused" | "malformed" | "crashed";
  message?: string;
  ms: number;
  /** Faulty attempts injected into the trigger's calls. */
  injected: number;
  /** The events relay that sends the welcome email (post confirmation only). */
  relay?: { injected: number; failed: boolean };
}

/**
 * Post confirmation only commits the record with its welcome email `pending`: the claim
 * (UpdateItem) and the send (SES) happen in the events function, so these faults stay on while
 * it relays the user's `user.created`.
 */
function faultsTheRelay(scenario: Scenario): boolean {
  if (scenario.trigger !== "post-confirmation") return false;
  return scenario.service === "ses" || scenario.rule.commands?.includes("UpdateItem") === true;
}

const attemptsLabel = (attempts: number | undefined) => (attempts === undefined ? "every attempt" : "once");

function scenarios(): Scenario[] {
  const list: Scenario[] = [];
  const add = (
    trigger: TriggerName,
    service: Service,
    rule: FaultRule,
    expected: Expected,
    options: {
      seeded?: boolean;
      label?: string;
      event: (user: ReturnType<typeof uniqueUser>) => CognitoEvent;
    },
  ) => {
    const user = uniqueUser(`${trigger}-${rule.kind}`);
    list.push({
      name: `${trigger}${options.label ? ` (${options.label})` : ""}: ${rule.kind} on ${service}${rule.commands ? ` ${rule.commands.join("/")}` : ""}, ${attemptsLabel(rule.attempts)}`,
      trigger,
      service,
      rule,
      expected,
      user,
      seeded: options.seeded ?? false,
      event: () => options.event(user),
    });
  };
  const federated = (user: ReturnType<typeof uniqueUser>) =>
    preSignUpEvent(
      {
        sub: user.sub,
        email: user.email,
        extra: {
          email_verified: "true",
          identities: JSON.stringify([{ providerName: "Google", providerType: "Google", userId: user.sub }]),
        },
      },
      "PreSignUp_ExternalProvider",
      `Google_${user.sub}`,
    );
  for (const kind of faultKinds) {
    for (const attempts of [1, undefined]) {
      // One failed attempt is the SDK's to absorb (maxAttempts 2): the trigger must not notice.
      const once = attempts === 1;
      const orRefuses: Expected = once ? "succeeds" : "succeeds-or-refuses";
      add("pre-token-generation", "dynamodb", { kind, attempts }, orRefuses, {
        seeded: true,
        label: "existing record",
        event: (user) => preTokenEvent(user),
      });
      add("post-confirmation", "ses", { kind, attempts }, "succeeds", {
        event: (user) => postConfirmationEvent(user),
      });
      add("pre-sign-up", "cognito", { kind, attempts }, orRefuses, {
        label: "federated, linking",
        event: federated,
      });
    }
    add(
      "pre-token-generation",
      "dynamodb",
      { kind, commands: ["TransactWriteItems"] },
      "succeeds-or-refuses",
      {
        label: "record missing",
        event: (user) => preTokenEvent(user),
      },
    );
    add("post-confirmation", "dynamodb", { kind }, "succeeds", {
      event: (user) => postConfirmationEvent(user),
    });
    add("post-confirmation", "dynamodb", { kind, commands: ["UpdateItem"] }, "succeeds", {
      label: "outcome not recorded",
      event: (user) => postConfirmationEvent(user),
    });
    // The welcome email is the events function's, so even a hung optional group call cannot cost it.
    add("post-confirmation", "cognito", { kind }, "succeeds", {
      label: "default group",
      event: (user) => postConfirmationEvent(user),
    });
    add("post-authentication", "dynamodb", { kind }, "succeeds", {
      seeded: true,
      event: (user) => postAuthenticationEvent(user),
    });
    add("custom-message", "dynamodb", { kind }, "succeeds", { event: (user) => customMessageEvent(user) });
  }
  return list;
}

const all = scenarios();
const outcomes = new Map<Scenario, Outcome>();
let environment: Awaited<ReturnType<typeof reliabilityEnvironment>>;
let sockets: FaultSockets;

async function run(scenario: Scenario): Promise<Outcome> {
  const faults = new FaultInjector(sockets);
  const instrumented = instrumentedRuntime({
    config: reliabilityConfig,
    tableName: environment.tableName,
    faults,
  });
  const handler = triggerHandlers(instrumented.runtime)[scenario.trigger];
  try {
    if (scenario.seeded) {
      await triggerHandlers(instrumented.runtime)["post-confirmation"](postConfirmationEvent(scenario.user));
    }
    faults.set({ ...scenario.rule, service: scenario.service });
    const started = performance.now();
    let result: Outcome["result"] = "ok";
    let message: string | undefined;
    try {
      await handler(scenario.event());
    } catch (error) {
      message = (error as Error).message;
      result =
        error instanceof UserFacingError
          ? "refused"
          : error instanceof MalformedEventError
            ? "malformed"
            : "crashed";
    }
    const ms = since(started);
    const injected = faults.totalInjected();
    if (!faultsTheRelay(scenario)) faults.clear();
    const relay =
      scenario.trigger === "post-confirmation" ? await relayWelcome(scenario, instrumented) : undefined;
    faults.clear();
    return {
      result,
      ...(message ? { message } : {}),
      ms,
      injected,
      ...(relay ? { relay: { ...relay, injected: faults.totalInjected() - injected } } : {}),
    };
  } finally {
    instrumented.destroy();
  }
}

/**
 * The events function over what post confirmation committed for the user (the stream would
 * deliver it), with the scenario's faulty store and mailer. A failure is what the stream
 * retries, so it is noted, not thrown.
 */
async function relayWelcome(
  scenario: Scenario,
  instrumented: ReturnType<typeof instrumentedRuntime>,
): Promise<{ failed: boolean }> {
  try {
    const response = await relayEvents({ environment, instrumented }, [scenario.user.sub]);
    return { failed: response.batchItemFailures.length > 0 };
  } catch {
    return { failed: true };
  }
}

beforeAll(async () => {
  environment = await reliabilityEnvironment();
  // The black hole lets go only after Cognito's own 5 s, so a client whose timeout does not work
  // is caught by the trigger's deadline (or not at all), never rescued by the socket closing.
  sockets = await FaultSockets.start();
  for (const scenario of all) {
    environment.cognito.addUser(
      scenario.user.sub,
      {
        sub: scenario.user.sub,
        email: scenario.user.email,
        email_verified: "true",
        name: scenario.user.name,
      },
      // A user who is sent a sign-up code has not confirmed yet.
      { status: scenario.trigger === "custom-message" ? "UNCONFIRMED" : "CONFIRMED" },
    );
  }
  // A few at a time: enough to overlap the waits, few enough not to slow the emulators down.
  const results = await pool(6, all.length, (index) => run(all[index] as Scenario));
  for (const [index, scenario] of all.entries()) outcomes.set(scenario, results[index] as Outcome);
}, 60_000);

afterAll(async () => {
  await sockets?.stop();
  await environment?.stop();
});

describe("faults injected at the SDK layer", () => {
  for (const scenario of all) {
    it(scenario.name, async () => {
      const outcome = outcomes.get(scenario) as Outcome;
      const expectedFaults = scenario.trigger === "custom-message" ? 0 : 1;
      // Faults on the welcome claim or send reach the events function, not the trigger.
      if (faultsTheRelay(scenario)) expect(outcome.relay?.injected).toBeGreaterThanOrEqual(1);
      else expect(outcome.injected).toBeGreaterThanOrEqual(expectedFaults);
      // Without faults, the relay goes through.
      if (scenario.trigger === "post-confirmation" && !faultsTheRelay(scenario))
        expect(outcome.relay).toMatchObject({ injected: 0, failed: false });
      expect(outcome.ms).toBeLessThan(deadlineMs);
      if (scenario.expected === "succeeds") {
        expect(outcome).toMatchObject({ result: "ok" });
      } else {
        expect(["ok", "refused"]).toContain(outcome.result);
        if (outcome.result === "refused") expect(outcome.message).toBe(unavailable);
      }
      const state = await userState(environment.db, environment.tableName, scenario.user.sub);
      expect(state.problems).toEqual([]);
      // A refusal writes nothing: a user refused at token time has no record yet.
      if (outcome.result === "refused" && !scenario.seeded) expect(state.profile).toBeUndefined();
      if (scenario.trigger === "post-confirmation" && state.profile) {
        const emails = await emailsTo(scenario.user.email);
        const status = state.profile.welcomeEmail?.status;
        // An email went out exactly when the record says so; `sending` (outcome not recorded) and
        // `unknown` (SES did not answer clearly) may hide one send, never two.
        if (status === "sent") expect(emails).toHaveLength(1);
        else if (status === "sending" || status === "unknown") expect(emails.length).toBeLessThanOrEqual(1);
        else expect(emails).toHaveLength(0);
        // SendEmail gets one attempt: a throttle proves nothing went out, anything else may have.
        if (scenario.service === "ses")
          expect(status).toBe(scenario.rule.kind === "throttle" ? "pending" : "unknown");
        // A claim that cannot be written leaves it pending; one whose outcome cannot be, sending.
        else if (faultsTheRelay(scenario)) expect(["sending", "pending"]).toContain(status);
        // A fault the SDK absorbs, or one on the optional group call, must not cost the welcome email.
        else if (scenario.rule.attempts === 1 || scenario.service === "cognito") expect(status).toBe("sent");
      }
    });
  }

  it("once the faults stop, every user has a record and one welcome email, or at most one when its send is unknown", async () => {
    const confirmed = all.filter((scenario) => scenario.trigger === "post-confirmation");
    const healthy = instrumentedRuntime({ config: reliabilityConfig, tableName: environment.tableName });
    const handlers = triggerHandlers(healthy.runtime);
    let restoredAtTokenTime = 0;
    for (const scenario of [...confirmed, ...all.filter((s) => s.name.includes("record missing"))]) {
      const before = await userState(environment.db, environment.tableName, scenario.user.sub);
      if (before.profile) continue;
      // The user is confirmed in Cognito; their next sign-in creates the record.
      await handlers["pre-token-generation"](preTokenEvent(scenario.user));
      restoredAtTokenTime++;
    }
    healthy.destroy();

    const admin = adminRuntime();
    const report = await reconcile(admin, { apply: true }).finally(() => admin.close());
    const wrong: string[] = [];
    for (const scenario of confirmed) {
      const state = await userState(environment.db, environment.tableName, scenario.user.sub);
      const emails = (await emailsTo(scenario.user.email)).length;
      // An unknown send is reported by reconcile and never repeated: at most one email.
      const unknown = state.profile?.welcomeEmail?.status === "unknown";
      if (state.problems.length > 0 || !state.profile || (unknown ? emails > 1 : emails !== 1)) {
        wrong.push(
          `${scenario.name}: ${state.profile ? `welcome ${state.profile.welcomeEmail?.status}` : "no record"}, ${emails} emails ${state.problems.join("; ")}`,
        );
      }
    }
    expect(wrong).toEqual([]);
    const summary = {
      scenarios: all.length,
      succeeded: [...outcomes.values()].filter((outcome) => outcome.result === "ok").length,
      refused: [...outcomes.values()].filter((outcome) => outcome.result === "refused").length,
      slowestMs: Math.max(...[...outcomes.values()].map((outcome) => outcome.ms)),
      faultsInjected: [...outcomes.values()].reduce(
        (sum, outcome) => sum + outcome.injected + (outcome.relay?.injected ?? 0),
        0,
      ),
      recordsRestoredAtTokenTime: restoredAtTokenTime,
      recordsRestoredByReconcile: report.counts.created,
      welcomeEmailsSentByReconcile: report.counts.welcomeRetried,
    };
    console.log(
      `[reliability] ${summary.scenarios} fault scenarios: ${summary.succeeded} answered normally, ${summary.refused} refused with the user-facing message, slowest ${summary.slowestMs} ms, ${summary.faultsInjected} faulty attempts injected; after recovery: ${summary.recordsRestoredAtTokenTime} records restored at token time, ${summary.recordsRestoredByReconcile} by reconcile, ${summary.welcomeEmailsSentByReconcile} pending welcome emails sent by reconcile`,
    );
  });
});

/** packages/admin's runtime for reconcile, on the same emulators and the fake Cognito. */
function adminRuntime(): AdminRuntime {
  return createAdminRuntime({
    config: reliabilityConfig,
    region: localRegion,
    tableName: environment.tableName,
    userPoolId: poolId,
    clientId: "reliability-client",
    endpoints: { dynamodb: dynamoEndpoint(), ses: sesEndpoint(), cognito: environment.cognito.endpoint },
    credentials: localCredentials,
  });
}
