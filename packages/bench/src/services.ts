import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureUserTable } from "@cognito-lifecycle/aws";
import {
  freePort,
  localCredentials,
  localRegion,
  type RunningService,
  startDynamoDbLocal,
  startSesLocal,
} from "@cognito-lifecycle/local";
import { FakeCognito } from "./fake-cognito.ts";
import type { LocalEndpoints } from "./runtime.ts";

export interface BenchServices {
  endpoints: LocalEndpoints;
  cognito: FakeCognito;
  dynamodbPid?: number;
  /** A new, empty user table. */
  newTable(name: string): Promise<string>;
  /** The environment a worker process needs to reach these services. */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

/** DynamoDB Local, local SES and a fake Cognito, each on a free 127.0.0.1 port. */
export async function startServices(): Promise<BenchServices> {
  const started: RunningService[] = [];
  const cognito = new FakeCognito();
  try {
    const dynamo = await startDynamoDbLocal({ port: await freePort() });
    started.push(dynamo);
    const ses = await startSesLocal({ port: await freePort() });
    started.push(ses);
    await cognito.start();
    const endpoints = { dynamodb: dynamo.endpoint, ses: ses.endpoint, cognito: cognito.endpoint };
    const admin = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    return {
      endpoints,
      cognito,
      ...(dynamo.pid ? { dynamodbPid: dynamo.pid } : {}),
      newTable: async (name) => {
        await ensureUserTable(admin, name);
        return name;
      },
      env: () => ({
        AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
        AWS_ENDPOINT_URL_SESV2: endpoints.ses,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
        AWS_REGION: localRegion,
        AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
        POWERTOOLS_LOG_LEVEL: "INFO",
      }),
      stop: async () => {
        admin.destroy();
        await cognito.stop();
        await Promise.all(started.map((service) => service.stop()));
      },
    };
  } catch (error) {
    await cognito.stop();
    await Promise.all(started.map((service) => service.stop()));
    throw error;
  }
}
