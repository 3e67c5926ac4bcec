import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createLegacyCredentialStore, type DynamoUserStore } from "@cognito-lifecycle/aws";
import type { TriggerName } from "@cognito-lifecycle/bench";
import { defineConfig, MalformedEventError, UserFacingError } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler as customMessage } from "../../functions/custom-message.ts";
import { createHandler as postAuthentication } from "../../functions/post-authentication.ts";
import { createHandler as postConfirmation } from "../../functions/post-confirmation.ts";
import { createHandler as preSignUp } from "../../functions/pre-sign-up.ts";
import { createHandler as preTokenGeneration } from "../../functions/pre-token-generation.ts";
import { createHandler as userMigration } from "../../functions/user-migration.ts";
import { freshStore } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";
import { docJson, publishedEvents } from "./fixtures/published.ts";
import { captureLogs, clone, expectOnlyResponseChanged, invoke, runtime } from "./support.ts";

/**
 * Every published Cognito event we could find (AWS's documentation examples and public sample
 * collections, verbatim in fixtures/published.ts) goes through its handler: answered as
 * documented, or refused cleanly, never with a raw JS error and never writing a record keyed by
 * a value the event does not have.
 */
const config = defineConfig({});
checkIam(config);

let store: DynamoUserStore;
let db: DynamoDBDocumentClient;
let tableName: string;
let handlers: Record<TriggerName, (event: never) => Promise<unknown>>;

beforeAll(async () => {
  ({ store, db, tableName } = await freshStore());
  const deps = runtime({ config, store });
  handlers = {
    "pre-sign-up": preSignUp(deps),
    "post-confirmation": postConfirmation(deps),
    "pre-token-generation": preTokenGeneration(deps),
    "custom-message": customMessage(config, renderMessage),
    "post-authentication": postAuthentication(deps),
    "user-migration": userMigration(() => ({
      config,
      legacy: createLegacyCredentialStore({ db, tableName }),
      now: () => new Date(),
    })),
  };
});

async function tableKeys(): Promise<string[]> {
  const { Items = [] } = await db.send(new ScanCommand({ TableName: tableName }));
  return Items.map((item) => String(item.pk));
}

type Event = Record<string, unknown> & { request: Record<string, unknown>; response: unknown };

function checkAnswer(trigger: TriggerName, event: Event, result: Event): void {
  expectOnlyResponseChanged(event, result);
  const response = result.response as Record<string, unknown>;
  if (trigger === "pre-sign-up") {
    for (const flag of ["autoConfirmUser", "autoVerifyEmail", "autoVerifyPhone"]) {
      expect(response[flag]).toBeTypeOf("boolean");
    }
  }
  if (trigger === "pre-token-generation") {
    const v1 = String(event.version) === "1";
    expect(Object.keys(response)).toEqual([v1 ? "claimsOverrideDetails" : "claimsAndScopeOverrideDetails"]);
  }
  if (trigger === "custom-message") {
    const { codeParameter, usernameParameter } = event.request as Record<string, string>;
    expect(response.emailMessage).toContain(codeParameter);
    expect(response.smsMessage).toContain(codeParameter);
    if (event.triggerSource === "CustomMessage_AdminCreateUser") {
      expect(response.emailMessage).toContain(usernameParameter);
    }
  }
}

describe("published Cognito events", () => {
  it("were kept verbatim with their source", () => {
    expect(publishedEvents.length).toBeGreaterThanOrEqual(20);
    for (const sample of publishedEvents) {
      expect(sample.source).toMatch(/^https:\/\//);
      expect(() => docJson(sample.text)).not.toThrow();
    }
  });

  it.each(publishedEvents)("$name ($expected)", async (sample) => {
    const event = docJson(sample.text) as Event;
    const logs = captureLogs();
    const keysBefore = await tableKeys();
    const outcome = await invoke(handlers[sample.trigger], clone(event)).then(
      (result) => ({ result: result as Event }),
      (error: unknown) => ({ error }),
    );
    const keysAfter = await tableKeys();
    // Never a record keyed by a missing value, whatever the outcome.
    for (const key of keysAfter) expect(key).not.toMatch(/#(undefined|null)?$|#(undefined|null)#/);

    if (sample.expected === "unchanged") {
      expect(outcome).toEqual({ result: event });
      return;
    }
    if (sample.expected === "answered") {
      if ("error" in outcome) throw outcome.error;
      checkAnswer(sample.trigger, event, outcome.result);
      if (sample.trigger === "post-confirmation" || sample.trigger === "pre-token-generation") {
        const sub = (event.request.userAttributes as Record<string, unknown>).sub as string;
        expect((await store.get(sub))?.sub).toBe(sub);
      }
      return;
    }
    expect("error" in outcome).toBe(true);
    const error = (outcome as { error: unknown }).error;
    expect(keysAfter).toEqual(keysBefore);
    if (sample.expected === "policy") {
      expect(error).toBeInstanceOf(UserFacingError);
      expect((error as UserFacingError).key).not.toBe("temporarilyUnavailable");
      return;
    }
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as MalformedEventError).issues.length).toBeGreaterThan(0);
    expect(logs.some((line) => line.includes("malformed event"))).toBe(true);
  });
});
