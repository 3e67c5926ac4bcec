import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export interface ClientTimeouts {
  /** One request, connection included. */
  requestMs: number;
  /** Attempts per call; the SDK's standard retry strategy backs off between them. */
  maxAttempts: number;
}

/**
 * SDK clients tuned for a 5 s trigger: a short connection timeout, a per-request timeout,
 * few attempts, keep-alive on. Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>`
 * variables, so the same code runs against AWS and the local emulators.
 */
function clientOptions({ requestMs, maxAttempts }: ClientTimeouts) {
  return {
    maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(requestMs, 500),
      requestTimeout: requestMs,
      // Without this, smithy only logs a slow request: the call would hang until the trigger's deadline.
      throwOnRequestTimeout: true,
    }),
  };
}

export function dynamoClient(timeouts: ClientTimeouts): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions(timeouts)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function sesClient(timeouts: ClientTimeouts): SESv2Client {
  return new SESv2Client(clientOptions(timeouts));
}

export function cognitoClient(timeouts: ClientTimeouts): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient(clientOptions(timeouts));
}
