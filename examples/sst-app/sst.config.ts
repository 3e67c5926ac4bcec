/// <reference path="./.sst/platform/config.d.ts" />

/**
 * An app with its own API that adds cognito-lifecycle: the component creates the pool, its
 * triggers, the user table and the tools; the app's route checks our tokens itself.
 */
export default $config({
  app(input) {
    return {
      name: "lifecycle-example",
      home: "aws",
      removal: input.stage === "production" ? "retain" : "remove",
    };
  },
  async run() {
    const { CognitoLifecycle } = await import("@cognito-lifecycle/sst");
    const config = (await import("./lifecycle.config.ts")).default;
    const auth = new CognitoLifecycle("Auth", { config, configPath: "./lifecycle.config.ts" });
    const webClientId = auth.webClientId;
    if (!webClientId) throw new Error("the component created no web client");

    const api = new sst.aws.ApiGatewayV2("Api");
    api.route("GET /me", {
      handler: "src/me.handler",
      link: [auth.usersTable],
      environment: { USER_POOL_ID: auth.userPoolId, USER_POOL_CLIENT_ID: webClientId },
    });
    return { api: api.url, userPoolId: auth.userPoolId, webClientId, issuer: auth.issuer };
  },
});
