import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";
import { iamMatrix, infrastructureDoc, withMatrix } from "../../packages/local/src/iam-matrix.ts";

describe("docs/infrastructure.md's IAM matrix", () => {
  it("is the one generated from packages/core/src/least-privilege.ts (run npm run docs:iam if this fails)", () => {
    const doc = readFileSync(infrastructureDoc, "utf8");
    expect(withMatrix(doc, iamMatrix(lifecycleConfig))).toBe(doc);
  });
});
