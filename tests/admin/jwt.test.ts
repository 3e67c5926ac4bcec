import {
  type AuthError,
  awsIssuer,
  bearerToken,
  createTokenVerifier,
  ForbiddenError,
  JwksUnavailableError,
  type TokenVerifier,
  UnauthorizedError,
} from "@cognito-lifecycle/admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JwksServer, rsaKey, signJwt, startJwksServer, tamperedJwt, unsignedJwt } from "./tokens.ts";

const clientId = "client-a";

describe("createTokenVerifier (aws-jwt-verify against a JWKS server)", () => {
  let jwks: JwksServer;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    jwks = await startJwksServer(clientId);
    verifier = createTokenVerifier({ userPoolId: jwks.userPoolId, clientId, issuer: jwks.issuer });
  });
  afterAll(() => jwks.stop());

  async function refusal(token: string, options = verifier): Promise<AuthError> {
    const error = await options.verify(token).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    return error as AuthError;
  }

  it("accepts an ID token and reads V1 (JSON string) role and permission claims", async () => {
    const caller = await verifier.verify(jwks.token());
    expect(caller).toMatchObject({
      sub: "11111111-2222-3333-4444-555555555555",
      tokenUse: "id",
      clientId,
      email: "ada@example.com",
      roles: ["admin", "member"],
      permissions: ["users:read", "users:write"],
    });
  });

  it("accepts an access token for the client, with V2 array claims", async () => {
    const token = jwks.token({
      token_use: "access",
      aud: undefined,
      client_id: clientId,
      username: "ada",
      roles: ["support"],
      permissions: ["users:read"],
      "cognito:groups": ["admins"],
    });
    const caller = await verifier.verify(token);
    expect(caller).toMatchObject({
      tokenUse: "access",
      username: "ada",
      roles: ["support"],
      groups: ["admins"],
    });
  });

  it("caches the JWKS across verifications", async () => {
    const before = jwks.hits();
    for (let index = 0; index < 5; index++) await verifier.verify(jwks.token());
    expect(jwks.hits()).toBe(before);
  });

  it.each([
    ["expired", () => jwks.token({ exp: Math.floor(Date.now() / 1000) - 60 }), "token expired"],
    ["not yet valid", () => jwks.token({ nbf: Math.floor(Date.now() / 1000) + 600 }), "token not yet valid"],
    ["issued by another pool", () => jwks.token({ iss: "http://127.0.0.1:1/local_other" }), "wrong issuer"],
    ["for another app client (ID token)", () => jwks.token({ aud: "client-b" }), "wrong audience"],
    [
      "for another app client (access token)",
      () => jwks.token({ token_use: "access", aud: undefined, client_id: "client-b" }),
      "wrong client_id",
    ],
    [
      "with an unknown token_use",
      () => jwks.token({ token_use: "refresh" }),
      "token_use is neither id nor access",
    ],
    ["signed with alg none", () => unsignedJwt({ sub: "x", iss: jwks.issuer, aud: clientId }), "unsupported"],
    [
      "with a tampered payload",
      () => tamperedJwt(jwks.token(), { roles: '["admin","root"]' }),
      "bad signature",
    ],
    [
      "signed by another key under the same kid",
      () =>
        signJwt(
          rsaKey(),
          { sub: "x", iss: jwks.issuer, aud: clientId, token_use: "id", exp: 9e9 },
          { kid: jwks.kid },
        ),
      "bad signature",
    ],
    ["malformed", () => "not-a-jwt", "malformed token"],
  ])("refuses a token %s (401)", async (_case, token, reason) => {
    const error = await refusal(token());
    expect(error.status).toBe(401);
    expect(error.code).toBe("unauthorized");
    expect(error.reason).toContain(reason);
  });

  it("refuses a token signed by an unknown key id", async () => {
    const error = await refusal(
      signJwt(rsaKey(), { sub: "x", iss: jwks.issuer, aud: clientId, exp: 9e9 }, { kid: "rotated" }),
    );
    expect(error.reason).toBe("signed by an unknown key");
  });

  it("accepts only the configured token use", async () => {
    const idOnly = createTokenVerifier({
      userPoolId: jwks.userPoolId,
      clientId,
      issuer: jwks.issuer,
      tokenUse: "id",
    });
    await expect(idOnly.verify(jwks.token())).resolves.toMatchObject({ tokenUse: "id" });
    const error = await refusal(
      jwks.token({ token_use: "access", aud: undefined, client_id: clientId }),
      idOnly,
    );
    expect(error.reason).toBe("token_use access not accepted");
  });

  it("authorize: 401 without a bearer token, 403 without the role or a permission, the caller otherwise", async () => {
    await expect(verifier.authorize(undefined)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(verifier.authorize(`Basic ${jwks.token()}`)).rejects.toBeInstanceOf(UnauthorizedError);
    const member = jwks.token({ roles: '["member"]', permissions: '["profile:read"]' });
    const denied = await verifier
      .authorize(`Bearer ${member}`, { roles: ["admin", "support"] })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ForbiddenError);
    expect((denied as ForbiddenError).status).toBe(403);
    await expect(
      verifier.authorize(`Bearer ${member}`, { permissions: ["profile:read", "users:write"] }),
    ).rejects.toMatchObject({ status: 403, reason: "missing permissions users:write" });
    await expect(
      verifier.authorize(`bearer ${member}`, { roles: ["member"], permissions: ["profile:read"] }),
    ).resolves.toMatchObject({ roles: ["member"] });
  });

  it("reports an unreachable JWKS as a server-side failure, not as a bad token", async () => {
    const fresh = createTokenVerifier({ userPoolId: jwks.userPoolId, clientId, issuer: jwks.issuer });
    jwks.failWith(503);
    try {
      await expect(fresh.verify(jwks.token())).rejects.toBeInstanceOf(JwksUnavailableError);
    } finally {
      jwks.failWith(undefined);
    }
  });

  it("uses the AWS issuer for real pools and rejects tokens from any other issuer", async () => {
    expect(awsIssuer("eu-west-1_AbC123")).toBe(
      "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
    );
    const aws = createTokenVerifier({ userPoolId: "eu-west-1_AbC123", clientId });
    expect(aws.issuer).toBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
    const error = await refusal(jwks.token(), aws);
    expect(error.reason).toBe("wrong issuer");
  });

  it("bearerToken reads the token and refuses anything else", () => {
    expect(bearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(() => bearerToken("")).toThrow(UnauthorizedError);
    expect(() => bearerToken("Bearer")).toThrow(UnauthorizedError);
    expect(() => bearerToken("Token abc")).toThrow(UnauthorizedError);
  });
});
