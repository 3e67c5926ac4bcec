import { selfServiceRoutes } from "@cognito-lifecycle/core";
import { type FunctionResources, selfServicePermissions } from "@cognito-lifecycle/core/least-privilege";
import { functionArn, type LambdaFactory } from "./functions.ts";

export interface SelfServiceApiInputs {
  /** The admin API's gateway: the self-service routes are added to it. */
  api: sst.aws.ApiGatewayV2;
  table: sst.aws.Dynamo;
  userPoolId: $util.Input<string>;
  resources: Pick<FunctionResources<$util.Input<string>>, "table" | "tableIndexes">;
  /** The pool's token issuer. */
  issuer: $util.Input<string>;
  /** The app clients whose users may call the routes (never the console's client). */
  appClientIds: $util.Input<string>[];
}

/**
 * The self-service data-rights API (docs/data-rights.md): its own function, grants and JWT
 * authorizer (the app's clients, not the console's), on the admin API's gateway.
 */
export function createSelfServiceApi(lambda: LambdaFactory, inputs: SelfServiceApiInputs) {
  const { api, table, userPoolId, resources, issuer, appClientIds } = inputs;
  const handler = lambda("SelfServiceApiHandler", {
    handler: "functions/self-service-api.handler",
    description: "Self-service account deletion and data export",
    permissions: selfServicePermissions(resources),
    memory: "512 MB",
    timeout: "29 seconds",
    environment: {
      LIFECYCLE_TABLE_NAME: table.name,
      LIFECYCLE_USER_POOL_ID: userPoolId,
      LIFECYCLE_USER_POOL_CLIENT_ID: $resolve(appClientIds).apply((ids) => ids.join(",")),
    },
  });
  const authorizer = api.addAuthorizer({ name: "AppUsers", jwt: { issuer, audiences: appClientIds } });
  const arn = functionArn(handler);
  for (const route of selfServiceRoutes) {
    api.route(route, arn, { auth: { jwt: { authorizer: authorizer.id } } });
  }
  return { handler, authorizer };
}
