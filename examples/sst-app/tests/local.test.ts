import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { codeIn, freeStackPorts, inboxFor, localCredentials, type StackInfo } from "@cognito-lifecycle/local";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const appRoot = new URL("..", import.meta.url).pathname;

/**
 * The app's local loop: `npx cognito-lifecycle dev` from the installed package runs the offline
 * stack with this app's lifecycle.config.ts (data in the app's .local/); a user signs up,
 * confirms with the emailed code and signs in; src/me.ts, served by a tiny HTTP wrapper as API
 * Gateway would call it, answers with their claims.
 */
describe("the example app's local sign-up-to-API loop", () => {
  let dev: ChildProcess;
  let output = "";
  let info: StackInfo;
  let api: Server;
  let apiUrl: string;
  let accessToken: string;
  let idToken: string;
  const email = "ada@example.com";

  beforeAll(async () => {
    const ports = await freeStackPorts();
    dev = spawn("npx", ["--no-install", "cognito-lifecycle", "dev", "--fresh"], {
      cwd: appRoot,
      // Its own process group: stopping it stops npx and the stack it runs.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        LIFECYCLE_LOCAL_DYNAMODB_PORT: String(ports.dynamodb),
        LIFECYCLE_LOCAL_SES_PORT: String(ports.ses),
        LIFECYCLE_LOCAL_COGNITO_PORT: String(ports.cognito),
        LIFECYCLE_LOCAL_INVOKE_PORT: String(ports.invoke),
        LIFECYCLE_LOCAL_ADMIN_PORT: String(ports.admin),
        LIFECYCLE_LOCAL_EVENTBRIDGE_PORT: String(ports.eventbridge),
        LIFECYCLE_LOCAL_WEBHOOK_INBOX_PORT: String(ports.webhookInbox),
        LIFECYCLE_LOCAL_KMS_PORT: String(ports.kms),
      },
    });
    dev.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    dev.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (output.includes("Local stack ready")) {
          clearInterval(check);
          resolve();
        }
      }, 200);
      dev.once("exit", (code) => {
        clearInterval(check);
        reject(new Error(`cognito-lifecycle dev exited (${code}):\n${output}`));
      });
    });
    info = JSON.parse(readFileSync(`${appRoot}.local/stack.json`, "utf8")) as StackInfo;

    // src/me.ts reads its settings when it loads, as a Lambda does at cold start.
    process.env.USER_POOL_ID = info.userPoolId;
    process.env.USER_POOL_CLIENT_ID = info.clientId;
    process.env.USER_POOL_ISSUER = info.issuer;
    const { handler } = await import("../src/me.ts");
    api = createServer((request, response) => {
      const event = {
        rawPath: request.url ?? "/",
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
        ),
        requestContext: { http: { method: request.method ?? "GET" } },
      } as unknown as APIGatewayProxyEventV2;
      void (handler(event) as Promise<APIGatewayProxyStructuredResultV2>).then((result) => {
        response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
        response.end(result.body);
      });
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/me`;

    const cognito = new CognitoIdentityProviderClient({
      endpoint: info.endpoints.cognito,
      region: info.region,
      credentials: localCredentials,
    });
    const password = "Correct-horse-1";
    await cognito.send(new SignUpCommand({ ClientId: info.clientId, Username: email, Password: password }));
    const [codeEmail] = await inboxFor(info.endpoints.ses, email);
    if (!codeEmail) throw new Error(`no code email for ${email}`);
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: info.clientId,
        Username: email,
        ConfirmationCode: codeIn(codeEmail) as string,
      }),
    );
    const signedIn = await cognito.send(
      new InitiateAuthCommand({
        ClientId: info.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    cognito.destroy();
    accessToken = signedIn.AuthenticationResult?.AccessToken ?? "";
    idToken = signedIn.AuthenticationResult?.IdToken ?? "";
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (api ? api.close(() => resolve()) : resolve()));
    if (dev?.pid && dev.exitCode === null) {
      const exited = new Promise<void>((resolve) => dev.once("exit", () => resolve()));
      process.kill(-dev.pid, "SIGTERM");
      await exited;
    }
  });

  const claimsOf = (token: string) =>
    JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;

  it("runs from the installed package with this app's config, data in the app's .local/", () => {
    expect(output).toContain(`Admin console and API    ${info.endpoints.admin}`);
    expect(output).toContain(`Cognito (cognito-local)  ${info.endpoints.cognito}`);
    expect(existsSync(`${appRoot}.local/dynamodb`)).toBe(true);
    // The table is named after the config's appName, as on AWS.
    expect(info.tableName).toMatch(/-users$/);
  });

  it("serves the admin console the package ships, and its config.json", async () => {
    const page = await fetch(info.endpoints.admin);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const config = (await (await fetch(`${info.endpoints.admin}/config.json`)).json()) as Record<
      string,
      string
    >;
    expect(config).toMatchObject({ userPoolId: info.userPoolId, clientId: info.clientId, apiBase: "/api" });
  });

  it("GET /me with the user's access token: 200 and their claims, roles from the app's config", async () => {
    const response = await fetch(apiUrl, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { sub: string; roles: string[]; permissions: string[] };
    expect(body.sub).toBe(claimsOf(idToken).sub);
    expect(body.roles).toEqual(["member"]);
    expect(body.permissions).toEqual(expect.arrayContaining(["profile:read", "profile:write"]));
  });

  it("401 without a token, with a tampered one, and with an ID token (the route takes access tokens)", async () => {
    expect((await fetch(apiUrl)).status).toBe(401);
    const [header, payload, signature] = accessToken.split(".") as [string, string, string];
    const claims = { ...claimsOf(accessToken), roles: ["admin"] };
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    expect(payload).not.toBe(tampered.split(".")[1]);
    const bad = await fetch(apiUrl, { headers: { authorization: `Bearer ${tampered}` } });
    expect(bad.status).toBe(401);
    const id = await fetch(apiUrl, { headers: { authorization: `Bearer ${idToken}` } });
    expect(id.status).toBe(401);
  });
});
