import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { runAs, SmsError, smsSenderFor } from "@cognito-lifecycle/aws";
import { defineConfig, senderManifest } from "@cognito-lifecycle/core";
import { enforceIam, stopEnforcingIam } from "@cognito-lifecycle/local";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * The custom SMS sender's SNS client goes through the offline IAM check like every other client:
 * its Publish is evaluated against the sender's grants before it leaves the process.
 */
const target = {
  region: "us-east-1",
  account: "000000000000",
  tableName: "users",
  userPoolId: "us-east-1_pool",
  emailIdentity: "no-reply@example.com",
  configurationSet: "mail",
};
const config = defineConfig({ delivery: "custom-sender" });
const timeouts = { requestMs: 2000, maxAttempts: 1 };
const sms = { to: "+491701234567", text: "Your code is 482913" };

let server: Server;
let received: string[] = [];

beforeAll(async () => {
  // SNS's Query API: a form-encoded POST answered with XML.
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push(body);
      response.writeHead(200, { "content-type": "text/xml" });
      response.end(
        "<PublishResponse><PublishResult><MessageId>local-1</MessageId></PublishResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></PublishResponse>",
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  stopEnforcingIam();
  received = [];
});

function sender() {
  vi.stubEnv("AWS_ENDPOINT_URL_SNS", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return smsSenderFor({ timeouts });
}

describe("the SMS sender under the offline IAM check", () => {
  it("lets the custom SMS sender publish to a phone number (sns:Publish on *)", async () => {
    const checker = await enforceIam(config, target);
    const principal = senderManifest.customSmsSender.functionName;
    await expect(runAs(principal, () => sender().send(sms))).resolves.toEqual({ messageId: "local-1" });
    expect([...(checker.requests.get(principal) ?? [])]).toEqual(["sns:Publish *"]);
    expect(received).toHaveLength(1);
  });

  it("refuses Publish from a function without the grant, as SNS does, before anything is sent", async () => {
    const checker = await enforceIam(config, target);
    const refused = runAs("PostConfirmation", () => sender().send(sms));
    await expect(refused).rejects.toBeInstanceOf(SmsError);
    await expect(refused).rejects.toMatchObject({
      permanent: false,
      cause: { name: "AuthorizationErrorException", $metadata: { httpStatusCode: 403 } },
    });
    expect(checker.denials.join("\n")).toContain("sns:Publish on resource: *");
    expect(received).toEqual([]);
  });
});
