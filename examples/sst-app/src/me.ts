import { AuthError, createTokenVerifier } from "@cognito-lifecycle/admin/jwt";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";

/** Once per container: the pool's signing keys are fetched once and cached. */
const verifier = createTokenVerifier({
  userPoolId: process.env.USER_POOL_ID ?? "",
  clientId: process.env.USER_POOL_CLIENT_ID ?? "",
  tokenUse: "access",
  // The local emulator's issuer is http://; a deployed pool's is derived from its id.
  ...(process.env.USER_POOL_ISSUER ? { issuer: process.env.USER_POOL_ISSUER } : {}),
});

/** `GET /me`: who the caller is, with the roles cognito-lifecycle put in the token. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  try {
    const caller = await verifier.authorize(event.headers.authorization, { permissions: ["profile:read"] });
    return json(200, { sub: caller.sub, roles: caller.roles, permissions: caller.permissions });
  } catch (error) {
    if (error instanceof AuthError) return json(error.status ?? 401, { error: error.code });
    throw error;
  }
}

function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
