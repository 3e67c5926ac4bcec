import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { createTableInput, ensureUserTable } from "@cognito-lifecycle/aws";
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
  /**
   * A new, empty user table. `stream: false` leaves out the table's stream, for the admin-scale
   * sections that write 100,000 users and never read the stream. DynamoDB Local keeps every
   * stream record, and its writes slow down as they pile up (a 100,000-user seed took over an
   * hour on a streamed table, five minutes in an earlier run without a stream), a cost DynamoDB
   * does not have; the sections count queries and read units, which the stream does not change.
   */
  newTable(name: string, options?: { stream?: boolean }): Promise<string>;
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
      newTable: async (name, { stream = true } = {}) => {
        if (stream) {
          await ensureUserTable(admin, name);
          return name;
        }
        const { StreamSpecification: _stream, ...input } = createTableInput(name);
        await admin.send(new CreateTableCommand(input));
        await waitUntilTableExists({ client: admin, maxWaitTime: 30 }, { TableName: name });
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
