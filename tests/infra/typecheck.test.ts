import { beforeAll, describe, expect, it } from "vitest";
import { requirePlatform, skipInfra, skipReason } from "./support/platform.ts";
import { type StackTypecheck, typecheckStacks } from "./support/typecheck.ts";

if (skipInfra) console.warn(`Skipping the stack type-check: ${skipReason}`);

/** Checked in the same program: proves the check sees SST's real types and can fail. */
const probe = "packages/sst/src/stacks/typecheck-probe.ts";
const probeText = `
new sst.aws.CognitoUserPool("Probe", {
  usernames: ["email"],
  triggers: { preTokenGeneration: "functions/pre-token-generation.handler", preTokenGenerationVersion: "v3" },
});
`;

describe.skipIf(skipInfra)(
  "sst.config.ts and the component (packages/sst) against the installed SST platform types",
  () => {
    let result: StackTypecheck;

    beforeAll(() => {
      requirePlatform();
      result = typecheckStacks({ [probe]: probeText });
    }, 240_000);

    it("type-check without errors", () => {
      expect(result.checked).toEqual(
        expect.arrayContaining([
          "sst.config.ts",
          "sst-env.d.ts",
          "packages/sst/src/stacks/auth.ts",
          "packages/sst/src/stacks/admin.ts",
          "packages/sst/src/stacks/jobs.ts",
          "packages/sst/src/component.ts",
          "tests/infra/fixtures/attach.sst.config.ts",
        ]),
      );
      expect(result.configReport).toBe("");
      const { [probe]: _probe, ...ours } = result.reports;
      expect(ours).toEqual({});
    });

    it("reports a trigger setting SST does not have (the check can fail)", () => {
      expect(result.reports[probe]).toMatch(/"v3"/);
    });
  },
);
