/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The production stack of cognito-lifecycle: the CognitoLifecycle component
 * (packages/sst), as any SST app adds it. `npx sst deploy --stage prod`; see
 * docs/infrastructure.md for prerequisites, settings, outputs and rollback.
 */
export default $config({
  async app(input) {
    const { isProductionStage } = await import("./packages/sst/src/stacks/stages.ts");
    const production = isProductionStage(input.stage);
    return {
      name: "cognito-lifecycle",
      home: "aws",
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    const { CognitoLifecycle } = await import("@cognito-lifecycle/sst");
    const { deploySettings } = await import("./packages/sst/src/stacks/settings.ts");
    const config = (await import("./lifecycle.config.ts")).default;
    // This repo's deploy reads its per-stage settings from the environment (LIFECYCLE_*).
    const settings = deploySettings(process.env, config.branding.appUrl);
    const auth = new CognitoLifecycle("Auth", {
      config,
      email: { domain: settings.emailDomain, dns: settings.emailDns },
      federation: {
        identityProviders: settings.identityProviders,
        authDomainPrefix: settings.authDomainPrefix,
        callbackUrls: settings.callbackUrls,
        logoutUrls: settings.logoutUrls,
      },
      admin: { console: { domain: settings.consoleDomain } },
      alarms: { email: settings.alarmEmail },
      bootstrapAdmins: settings.bootstrapAdmins,
      deleteSignal: { createTrail: settings.cloudTrail === "create" },
    });
    return {
      region: auth.region,
      userPoolId: auth.userPoolId,
      webClientId: auth.webClientId,
      consoleClientId: auth.consoleClientId,
      ...(auth.federatedClientId
        ? { federatedClientId: auth.federatedClientId, hostedUi: auth.hostedUi }
        : {}),
      issuer: auth.issuer,
      tableName: auth.tableName,
      emailIdentity: auth.emailIdentity,
      adminApiUrl: auth.adminApiUrl,
      consoleUrl: auth.consoleUrl,
      apiAuthorizerArn: auth.apiAuthorizerArn,
      reconcileFunction: auth.reconcileFunction,
      eventBusName: auth.nodes.events.bus.name,
      eventsDeadLetterQueueUrl: auth.nodes.events.deadLetterQueue.url,
      webhookDispatchFunction: auth.nodes.webhooks.dispatcher.name,
      deleteSignalFunction: auth.nodes.deleteSignal.handler.name,
      deleteSignalDeadLetterQueue: auth.nodes.deleteSignal.deadLetters.url,
    };
  },
});
