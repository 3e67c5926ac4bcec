import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startDynamoDbLocal, startSesLocal, unusedAcrossRun } from "@cognito-lifecycle/local";
import type { TestProject } from "vitest/node";
import { bundleCacheEnv } from "../infra/support/cli-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

/** One DynamoDB Local and one local SES for the whole run; each test file makes its own table. */
/** Where each local stack of the run records the grants it never used (the reverse IAM check). */
export const usageDir = join(process.cwd(), ".local", "iam-usage");
export const unusedGrantsReport = join(process.cwd(), ".local", "iam-unused-grants.txt");

export default async function setup(project: TestProject) {
  rmSync(usageDir, { recursive: true, force: true });
  process.env.LIFECYCLE_IAM_USAGE_DIR = usageDir;
  // Handler bundles of the infrastructure tests, built once per run (see cli-server.ts).
  const bundleCache = mkdtempSync(join(tmpdir(), "infra-bundles-"));
  process.env[bundleCacheEnv] = bundleCache;
  const [dynamo, ses] = await Promise.all([
    freePort().then((port) => startDynamoDbLocal({ port })),
    freePort().then((port) => startSesLocal({ port })),
  ]);
  project.provide("dynamoEndpoint", dynamo.endpoint);
  project.provide("sesEndpoint", ses.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), ses.stop()]);
    rmSync(bundleCache, { recursive: true, force: true });
    // A report, not a failure: a suite run alone exercises only some functions.
    const unused = unusedAcrossRun(usageDir);
    mkdirSync(join(process.cwd(), ".local"), { recursive: true });
    writeFileSync(unusedGrantsReport, unused.length ? `${unused.join("\n")}\n` : "");
    if (unused.length)
      console.log(
        `IAM grants no local-stack call used in this run (${unusedGrantsReport}):\n${unused.join("\n")}`,
      );
  };
}
