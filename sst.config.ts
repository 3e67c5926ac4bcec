/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The production stack of cognito-lifecycle. `npx sst deploy --stage prod`; see
 * docs/infrastructure.md for prerequisites, settings, outputs and rollback.
 */
export default $config({
  async app(input) {
    const { isProductionStage } = await import("./stacks/stages.ts");
    const production = isProductionStage(input.stage);
    return {
      name: "cognito-lifecycle",
      home: "aws",
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    // Order matters: each stack uses what the ones before it created.
    const { table } = await import("./stacks/storage.ts");
    const { email } = await import("./stacks/email.ts");
    const { userPool, webClient, consoleClient, federatedClient, region } = await import("./stacks/auth.ts");
    const { api, site, apiAuthorizer } = await import("./stacks/admin.ts");
    const { reconcileHandler } = await import("./stacks/jobs.ts");
    const { settings } = await import("./stacks/config.ts");
    const { resourceArns } = await import("./stacks/auth.ts");
    const { cognitoApiEvents } = await import("./stacks/cognito-api-events.ts");
    const signal = cognitoApiEvents({
      table,
      userPool,
      clientId: consoleClient.id,
      resources: resourceArns,
      createTrail: settings.cloudTrail === "create",
    });
    return {
      region,
      userPoolId: userPool.id,
      webClientId: webClient.id,
      consoleClientId: consoleClient.id,
      ...(federatedClient ? { federatedClientId: federatedClient.id, hostedUi: userPool.domainUrl } : {}),
      tableName: table.name,
      emailIdentity: email.sender,
      adminApiUrl: api.url,
      consoleUrl: site.url,
      apiAuthorizerArn: apiAuthorizer.arn,
      reconcileFunction: reconcileHandler.name,
      deleteSignalFunction: signal.handler.name,
      deleteSignalDeadLetterQueue: signal.deadLetters.url,
    };
  },
});
