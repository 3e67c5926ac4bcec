import { randomUUID } from "node:crypto";
import type {
  CognitoEvent,
  FaultInjector,
  FaultSockets,
  Handler,
  TriggerName,
} from "@cognito-lifecycle/bench";
import { type LifecycleConfig, triggerSources } from "@cognito-lifecycle/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * Logs never carry a code, a password, a token or a full email address. The triggers run at
 * DEBUG (set before their modules load, so the logger is built at that level) through their
 * success, refusal and failure paths, with those secrets planted in the events; everything
 * written to stdout and stderr is captured and searched.
 */
const secrets = {
  codePlaceholder: "{#CODE-7391#}",
  usernamePlaceholder: "{#USER-4410#}",
  code: "482913",
  password: "S3cret-Passw0rd!x",
  token: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsb2ctcHJvYmUifQ.c2lnbmF0dXJlLXByb2Jl",
};
const metadata = {
  password: secrets.password,
  refresh_token: secrets.token,
  code: secrets.code,
  locale: "en",
};

let output = "";
const emails: string[] = [];
const restore: (() => void)[] = [];

function capture(stream: NodeJS.WriteStream) {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  restore.push(() => {
    stream.write = original as typeof stream.write;
  });
}

let sockets: FaultSockets;
let stop: () => Promise<void>;
let run: (
  trigger: TriggerName,
  event: CognitoEvent,
  fault?: Parameters<FaultInjector["set"]>[0],
) => Promise<void>;
let bench: typeof import("@cognito-lifecycle/bench");

function probeUser(label: string) {
  const local = `logprobe${label}${randomUUID().slice(0, 8)}`;
  const email = `${local}@example.com`;
  emails.push(email);
  return {
    sub: randomUUID(),
    email,
    name: `Probe ${label}`,
    extra: { "custom:token": secrets.token, "custom:password": secrets.password },
  };
}

function withMetadata(event: CognitoEvent, field: "clientMetadata" | "validationData" = "clientMetadata") {
  (event.request as Record<string, unknown>)[field] = { ...metadata };
  return event;
}

beforeAll(async () => {
  vi.stubEnv("POWERTOOLS_LOG_LEVEL", "DEBUG");
  bench = await import("@cognito-lifecycle/bench");
  const { reliabilityConfig, reliabilityEnvironment } = await import("../reliability/support.ts");
  const environment = await reliabilityEnvironment();
  sockets = await bench.FaultSockets.start();
  const config: LifecycleConfig = { ...reliabilityConfig, signUp: { ...reliabilityConfig.signUp } };
  const faults = new bench.FaultInjector(sockets);
  const instrumented = bench.instrumentedRuntime({ config, tableName: environment.tableName, faults });
  const handlers: Record<TriggerName, Handler> = bench.triggerHandlers(instrumented.runtime);
  run = async (trigger, event, fault) => {
    faults.set(fault);
    try {
      await handlers[trigger](event);
    } catch {
      // Refusals and failures are part of what is logged; the test looks at the logs.
    } finally {
      faults.clear();
    }
  };
  stop = async () => {
    instrumented.destroy();
    await environment.stop();
  };
  capture(process.stdout);
  capture(process.stderr);
}, 60_000);

afterAll(async () => {
  for (const undo of restore) undo();
  await sockets?.stop();
  await stop?.();
});

describe("logs", () => {
  it("carry no code, password, token or full email address on any path", async () => {
    const {
      customMessageEvent,
      postAuthenticationEvent,
      postConfirmationEvent,
      preSignUpEvent,
      preTokenEvent,
    } = bench;

    // Pre sign-up: allowed, refused by policy, malformed, federated with linking (ok and failing).
    await run("pre-sign-up", withMetadata(preSignUpEvent(probeUser("signup")), "validationData"));
    await run(
      "pre-sign-up",
      withMetadata(
        preSignUpEvent({ ...probeUser("denied"), email: `x${randomUUID().slice(0, 6)}@example.invalid` }),
      ),
    );
    await run(
      "pre-sign-up",
      withMetadata(
        preSignUpEvent({ ...probeUser("disposable"), email: `y${randomUUID().slice(0, 6)}@mailinator.com` }),
      ),
    );
    const malformed = withMetadata(preSignUpEvent(probeUser("malformed")));
    (malformed.request as Record<string, unknown>).userAttributes = { email: 42, password: secrets.password };
    await run("pre-sign-up", malformed);
    const federatedUser = probeUser("federated");
    const federated = withMetadata(
      preSignUpEvent(
        {
          ...federatedUser,
          extra: {
            email_verified: "true",
            identities: JSON.stringify([{ providerName: "Google", userId: federatedUser.sub }]),
          },
        },
        "PreSignUp_ExternalProvider",
        `Google_${federatedUser.sub}`,
      ),
    );
    await run("pre-sign-up", structuredClone(federated));
    await run("pre-sign-up", structuredClone(federated), { kind: "server-error", service: "cognito" });

    // Custom message: every source, with planted placeholders.
    for (const source of triggerSources.customMessage) {
      const event = withMetadata(customMessageEvent(probeUser("message"), source, secrets.codePlaceholder));
      if (source === "CustomMessage_AdminCreateUser") {
        (event.request as Record<string, unknown>).usernameParameter = secrets.usernamePlaceholder;
      }
      await run("custom-message", event);
    }

    // Post confirmation: new, retried, SES down, table down, password reset.
    const confirmed = probeUser("confirmed");
    await run("post-confirmation", withMetadata(postConfirmationEvent(confirmed)));
    await run("post-confirmation", withMetadata(postConfirmationEvent(confirmed)));
    await run("post-confirmation", withMetadata(postConfirmationEvent(probeUser("nomail"))), {
      kind: "throttle",
      service: "ses",
    });
    await run("post-confirmation", withMetadata(postConfirmationEvent(probeUser("notable"))), {
      kind: "reset",
      service: "dynamodb",
    });
    await run(
      "post-confirmation",
      withMetadata(postConfirmationEvent(probeUser("reset"), "PostConfirmation_ConfirmForgotPassword")),
    );

    // Pre token generation: existing, created just in time, store unavailable, malformed.
    await run("pre-token-generation", withMetadata(preTokenEvent(confirmed)));
    await run("pre-token-generation", withMetadata(preTokenEvent(probeUser("jit"), { version: "1" })));
    await run("pre-token-generation", withMetadata(preTokenEvent(probeUser("down"))), {
      kind: "timeout",
      service: "dynamodb",
    });
    const badToken = withMetadata(preTokenEvent(probeUser("badtoken")));
    (badToken.request as Record<string, unknown>).groupConfiguration = { groupsToOverride: secrets.token };
    await run("pre-token-generation", badToken);

    // Post authentication: recorded, and with the table failing.
    await run("post-authentication", withMetadata(postAuthenticationEvent(confirmed)));
    await run("post-authentication", withMetadata(postAuthenticationEvent(confirmed)), {
      kind: "server-error",
      service: "dynamodb",
    });

    // The capture works and the triggers did log, at DEBUG, on these paths.
    expect(output).toContain('"level":"INFO"');
    expect(output).toContain('"level":"WARN"');
    expect(output).toContain('"level":"ERROR"');
    expect(output).toContain("***@example.com");

    for (const value of Object.values(secrets)) expect(output).not.toContain(value);
    for (const email of emails) {
      expect(output).not.toContain(email);
      expect(output).not.toContain(email.slice(0, email.indexOf("@")));
    }
    const lines = output.split("\n").filter((line) => line.startsWith("{"));
    console.log(
      `[logs] ${lines.length} log lines from ${emails.length} probe users searched: no secret found`,
    );
  });
});
