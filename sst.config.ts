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
    const { userPool, webClient, consoleClient, federatedClient, region, issuer, resourceArns } =
      await import("./stacks/auth.ts");
    const { api, site, apiAuthorizer } = await import("./stacks/admin.ts");
    const { selfServiceApi } = await import("./stacks/data-rights.ts");
    selfServiceApi({
      api,
      table,
      userPool,
      resources: resourceArns,
      issuer,
      appClientIds: federatedClient ? [webClient.id, federatedClient.id] : [webClient.id],
    });
    const { reconcileHandler } = await import("./stacks/jobs.ts");
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
    };
  },
});
