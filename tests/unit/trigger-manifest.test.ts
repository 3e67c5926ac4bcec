import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { triggerNames as benchTriggers } from "@cognito-lifecycle/bench";
import {
  activeTriggers,
  defineConfig,
  senderManifest,
  senderNames,
  triggerEntry,
  triggerManifest,
  triggerNames,
  triggerSources,
} from "@cognito-lifecycle/core";
import { functionPermissions } from "@cognito-lifecycle/core/least-privilege";
import { HandlerRegistry, triggerHandlers } from "@cognito-lifecycle/local";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const names = {
  table: "t",
  tableIndexes: "i",
  emailIdentity: "e",
  emailConfigurationSet: "c",
  userPool: "p",
  tableStream: "s",
  eventBus: "b",
  eventsDeadLetterQueue: "q",
  senderKey: "k",
  userPoolId: "pool-id",
};

describe("the trigger manifest", () => {
  it.each(triggerNames)(
    "%s: its entry file exists and its boundary takes name and sources from the manifest",
    (trigger) => {
      const entry = triggerEntry(trigger);
      expect(existsSync(join(root, entry))).toBe(true);
      const source = readFileSync(join(root, entry), "utf8");
      expect(source).toContain(`triggerManifest.${trigger}.file`);
      expect(source).toContain(`triggerManifest.${trigger}.sources`);
    },
  );

  it("covers every trigger source core parses, each in exactly one trigger", () => {
    expect(triggerNames.toSorted()).toEqual(Object.keys(triggerSources).toSorted());
    for (const trigger of triggerNames)
      expect(triggerManifest[trigger].sources).toBe(triggerSources[trigger]);
  });

  it("is what the local invoke server serves: every function name loads its file", () => {
    const registry = new HandlerRegistry(join(root, "functions"));
    expect(Object.keys(triggerHandlers).toSorted()).toEqual(
      triggerNames.map((trigger) => triggerManifest[trigger].functionName).toSorted(),
    );
    for (const trigger of triggerNames) {
      const { functionName } = triggerManifest[trigger];
      expect(registry.fileFor(functionName)).toBe(join(root, triggerEntry(trigger)));
    }
  });

  it("is what the IAM check and the stacks grant: each trigger's function gets its manifest grants", () => {
    const config = defineConfig({
      linking: { enabled: true, trustedProviders: ["Okta"] },
      defaultGroup: "members",
      groups: { members: { roles: ["member"] } },
    });
    const permissions = functionPermissions(config, names);
    for (const trigger of triggerNames) {
      const { functionName, grants } = triggerManifest[trigger];
      expect(permissions[functionName]).toEqual(grants(config, names));
    }
  });

  it("gives the senders grants only with delivery custom-sender: Decrypt bound to this pool's encryption context", () => {
    const permissions = functionPermissions(defineConfig(), names);
    for (const sender of senderNames) expect(permissions[senderManifest[sender].functionName]).toEqual([]);
    const withSenders = functionPermissions(defineConfig({ delivery: "custom-sender" }), names);
    const poolBound = {
      actions: ["kms:Decrypt"],
      resources: ["k"],
      conditions: [
        { test: "StringEquals", variable: "kms:EncryptionContext:userpool-id", values: ["pool-id"] },
      ],
    };
    expect(withSenders.CustomEmailSender).toEqual([
      poolBound,
      { actions: ["ses:SendEmail"], resources: ["e", "c"] },
    ]);
    expect(withSenders.CustomSmsSender).toEqual([poolBound, { actions: ["sns:Publish"], resources: ["*"] }]);
  });

  it("wires the custom message trigger only while Cognito delivers", () => {
    expect(activeTriggers(defineConfig())).toContain("customMessage");
    expect(activeTriggers(defineConfig({ delivery: "custom-sender" }))).not.toContain("customMessage");
    // Every other trigger is unchanged (user migration stays off by default either way).
    expect(activeTriggers(defineConfig({ delivery: "custom-sender" }))).toEqual(
      activeTriggers(defineConfig()).filter((trigger) => trigger !== "customMessage"),
    );
    expect(activeTriggers(defineConfig({ migration: { enabled: true } }))).toContain("userMigration");
  });

  it("is what the benchmark runs", () => {
    expect([...benchTriggers].toSorted()).toEqual(
      triggerNames.map((trigger) => triggerManifest[trigger].file).toSorted(),
    );
  });
});
