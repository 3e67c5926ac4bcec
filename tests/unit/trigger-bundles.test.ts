import { functionEntries, shippedBuildOptions } from "@cognito-lifecycle/build";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * The custom senders' KMS decryption (AWS Encryption SDK) reaches other handlers only through
 * the package index, and with it the aggregated DynamoDB client (its waiters and 41 KB of
 * schemas): about 48 KB more to load on every trigger's cold start. It lives behind
 * `@cognito-lifecycle/aws/senders` so no other handler bundles it.
 */
describe("the senders' decryption stays out of other handlers", () => {
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
  });
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
