import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { SmsError, smsSenderFor } from "@cognito-lifecycle/aws";
import {
  freePort,
  localCredentials,
  localRegion,
  type PublishedSms,
  type RunningService,
  startLocalSns,
} from "@cognito-lifecycle/local";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * The local SNS endpoint the custom SMS sender publishes to: SNS's query protocol as the SDK v3
 * client speaks it, Publish to a phone number only, SNS's error shape for what SNS refuses.
 */
let sns: RunningService;
let published: PublishedSms[] = [];
let failDelivery = false;
const timeouts = { requestMs: 2_000, maxAttempts: 1 };

beforeAll(async () => {
  sns = await startLocalSns({
    port: await freePort(),
    onPublish: async (sms) => {
      if (failDelivery) throw new Error("inbox down");
      published.push(sms);
    },
  });
});
afterAll(() => sns.stop());
afterEach(() => {
  published = [];
  failDelivery = false;
});

/** The client the SMS sender builds, pointed here as the local stack points it. */
function smsSender() {
  vi.stubEnv("AWS_ENDPOINT_URL_SNS", sns.endpoint);
  return smsSenderFor({ timeouts });
}

function postForm(fields: Record<string, string>) {
  return fetch(sns.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("the local SNS endpoint", () => {
  it("accepts the SMS sender's Publish to a phone number and records the transactional SMS", async () => {
    const { messageId } = await smsSender().send({ to: "+491701234567", text: "Acme: your code is 482913" });

    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(published).toEqual([
      {
        messageId,
        phoneNumber: "+491701234567",
        message: "Acme: your code is 482913",
        smsType: "Transactional",
      },
    ]);
  });

  it("refuses a malformed Publish with SNS's error response (HTTP 400, Sender, InvalidParameter)", async () => {
    const response = await postForm({
      Action: "Publish",
      Version: "2010-03-31",
      PhoneNumber: "0170 1234567",
      Message: "hello",
    });

    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("text/xml");
    const body = await response.text();
    expect(body).toMatch(
      /^<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>InvalidParameter<\/Code><Message>Invalid parameter: PhoneNumber Reason: 0170 1234567 is not valid to publish to<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
    expect(published).toEqual([]);
  });

  it.each([
    [
      "a number not in E.164",
      { PhoneNumber: "491701234567", Message: "hi" },
      "InvalidParameterException",
      400,
    ],
    ["an empty message", { PhoneNumber: "+491701234567", Message: "" }, "InvalidParameterException", 400],
    ["no target at all", { Message: "hi" }, "InvalidParameterException", 400],
    [
      "a topic (none exists locally)",
      { TopicArn: "arn:aws:sns:us-east-1:000000000000:t", Message: "hi" },
      "NotFoundException",
      404,
    ],
  ])("answers %s as SNS does, and the SDK client reads it", async (_case, input, name, status) => {
    const client = new SNSClient({
      endpoint: sns.endpoint,
      region: localRegion,
      credentials: localCredentials,
      maxAttempts: 1,
    });
    try {
      await expect(client.send(new PublishCommand(input))).rejects.toMatchObject({
        name,
        $metadata: { httpStatusCode: status },
      });
    } finally {
      client.destroy();
    }
    expect(published).toEqual([]);
  });

  it("makes the SMS sender treat a refused number as permanent and a failed delivery as transient", async () => {
    const refused = smsSender().send({ to: "+0123", text: "hi" });
    await expect(refused).rejects.toBeInstanceOf(SmsError);
    await expect(refused).rejects.toMatchObject({ permanent: true });

    failDelivery = true;
    await expect(smsSender().send({ to: "+491701234567", text: "hi" })).rejects.toMatchObject({
      permanent: false,
      cause: { name: "InternalErrorException", $metadata: { httpStatusCode: 500 } },
    });
  });
});
