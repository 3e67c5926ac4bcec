import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { functionEntries, repoRoot, shippedBuildOptions } from "@cognito-lifecycle/build";
import { compiledConfigDefine, triggerEntry, triggerNames } from "@cognito-lifecycle/core";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";

/**
 * The custom senders' KMS decryption (AWS Encryption SDK) reaches other handlers only through
 * the package index, and with it the aggregated DynamoDB client (its waiters and 41 KB of
 * schemas): about 48 KB more to load on every trigger's cold start. It lives behind
 * `@cognito-lifecycle/aws/senders` so no other handler bundles it.
 */
describe("the senders' decryption stays out of other handlers", () => {
  // It bundles every handler at once: seconds on a quiet machine, far more on a loaded one.
  it("no handler but the custom senders bundles @aws-crypto or the aggregated DynamoDB client", async () => {
    const entries = functionEntries().filter((entry) => !/custom-(email|sms)-sender\.ts$/u.test(entry));
    expect(entries.some((entry) => entry.endsWith("pre-sign-up.ts"))).toBe(true);
    const result = await build({
      ...shippedBuildOptions,
      entryPoints: entries,
      outdir: "/dev/null/unused",
      write: false,
      minify: false,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.includes("node_modules/@aws-crypto/"))).toEqual([]);
    const shipped = Object.values(result.metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, used]) => used.bytesInOutput > 0)
        .map(([input]) => input),
    );
    expect(shipped.filter((input) => input.endsWith("client-dynamodb/dist-es/DynamoDB.js"))).toEqual([]);
  }, 180_000);
});

/**
 * Post confirmation is one conditional transaction since the welcome email moved to the events
 * function (issue #14); it had kept building a mailer it never called, which put the SES client
 * and the compiled templates (about 100 KB) into its bundle and its cold start, the worst of the
 * triggers.
 */
describe("post confirmation bundles no email sending", () => {
  it("ships neither the SES client nor the email templates", async () => {
    const entry = functionEntries().find((candidate) => candidate.endsWith("functions/post-confirmation.ts"));
    expect(entry).toBeDefined();
    const result = await build({
      ...shippedBuildOptions,
      entryPoints: [entry as string],
      outdir: "/dev/null/unused",
      write: false,
      minify: false,
    });
    const shipped = Object.values(result.metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, used]) => used.bytesInOutput > 0)
        .map(([input]) => input),
    );
    expect(shipped.some((input) => input.includes("client-dynamodb"))).toBe(true);
    expect(shipped.filter((input) => /client-sesv2|packages\/emails\//u.test(input))).toEqual([]);
  });
});

/**
 * What a trigger builds at import is on Cognito's 5 s path. Its config comes validated with its
 * bundle (the stacks' define), and schemas it never parses with are dropped (`pureSchema`). It
 * had built the config schema (266 zod nodes) and every other trigger's, the custom senders' and
 * the lifecycle events' schemas: 390 to 510 nodes in all. zod counts each node it builds through
 * its global post-processor hook, which this sets before the bundle loads.
 */
describe("a trigger's cold start builds only the schemas it parses with", () => {
  const outdir = mkdtempSync(join(tmpdir(), "trigger-schemas-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const count = `let built = 0;
globalThis.__zod_globalConfig = { postProcessor: () => { built += 1; } };
await import(process.env.BUNDLE);
process.stdout.write(String(built));`;

  it.each(triggerNames)("%s", async (trigger) => {
    const outfile = join(outdir, `${trigger}.mjs`);
    await build({
      ...shippedBuildOptions,
      entryPoints: [join(repoRoot, triggerEntry(trigger))],
      outfile,
      define: compiledConfigDefine(lifecycleConfig),
    });
    const built = Number(
      execFileSync(process.execPath, ["--input-type=module", "-e", count], {
        env: { ...process.env, BUNDLE: pathToFileURL(outfile).href },
        encoding: "utf8",
      }),
    );
    // At least its own event's schema (so the hook counted); the config schema alone is 266.
    expect(built).toBeGreaterThan(10);
    expect(built).toBeLessThan(150);
  });
});
