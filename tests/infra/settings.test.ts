import { describe, expect, it } from "vitest";
import {
  attributeMapping,
  checkedSettings,
  clientSecretName,
  deploySettings,
  identityProviderSchema,
} from "../../packages/sst/src/stacks/settings.ts";
import { isProductionStage } from "../../packages/sst/src/stacks/stages.ts";

const appUrl = "https://app.example.com";

describe("deployment settings from the environment", () => {
  it("default to the config's sender, no providers and the app URL for redirects", () => {
    expect(deploySettings({}, appUrl)).toEqual({
      emailDns: "route53",
      identityProviders: [],
      callbackUrls: [appUrl],
      logoutUrls: [appUrl],
    });
  });

  it("name every bad variable in one message", () => {
    expect(() =>
      deploySettings(
        {
          LIFECYCLE_EMAIL_DOMAIN: "not a domain",
          LIFECYCLE_ALARM_EMAIL: "nobody",
          LIFECYCLE_EMAIL_DNS: "cloudflare",
        },
        appUrl,
      ),
    ).toThrow(
      /LIFECYCLE_EMAIL_DOMAIN: must be a domain name[\s\S]*LIFECYCLE_EMAIL_DNS[\s\S]*LIFECYCLE_ALARM_EMAIL/,
    );
  });

  it("refuse identity providers that are not JSON, listed twice, or lack a hosted UI domain", () => {
    expect(() => deploySettings({ LIFECYCLE_IDENTITY_PROVIDERS: "[{" }, appUrl)).toThrow(
      "Invalid LIFECYCLE_IDENTITY_PROVIDERS: expected a JSON array of identity providers",
    );
    const google = { type: "google", clientId: "id" };
    expect(() =>
      deploySettings(
        {
          LIFECYCLE_IDENTITY_PROVIDERS: JSON.stringify([google, google]),
          LIFECYCLE_AUTH_DOMAIN_PREFIX: "acme",
        },
        appUrl,
      ),
    ).toThrow('"Google" is listed twice');
    expect(() => deploySettings({ LIFECYCLE_IDENTITY_PROVIDERS: JSON.stringify([google]) }, appUrl)).toThrow(
      "LIFECYCLE_AUTH_DOMAIN_PREFIX is required with identity providers",
    );
    expect(() =>
      deploySettings(
        {
          LIFECYCLE_IDENTITY_PROVIDERS: JSON.stringify([google]),
          LIFECYCLE_AUTH_DOMAIN_PREFIX: "my-cognito-login",
        },
        appUrl,
      ),
    ).toThrow("LIFECYCLE_AUTH_DOMAIN_PREFIX: must not contain aws, amazon or cognito");
  });

  it("read comma-separated redirect URLs", () => {
    const settings = deploySettings(
      { LIFECYCLE_CALLBACK_URLS: "https://a.example.com/cb, https://b.example.com/cb" },
      appUrl,
    );
    expect(settings.callbackUrls).toEqual(["https://a.example.com/cb", "https://b.example.com/cb"]);
    expect(settings.logoutUrls).toEqual([appUrl]);
  });
});

describe("identity provider attribute mapping", () => {
  const groups = "custom:idp_groups";

  it("maps the IdP's groups into the groups attribute, and nothing else into a custom attribute", () => {
    const okta = identityProviderSchema.parse({
      type: "oidc",
      name: "Okta",
      issuer: "https://acme.okta.com",
      clientId: "id",
      groupsClaim: "groups",
      attributes: { given_name: "given_name" },
    });
    expect(attributeMapping(okta, groups)).toEqual({
      username: "sub",
      email: "email",
      email_verified: "email_verified",
      name: "name",
      given_name: "given_name",
      [groups]: "groups",
    });
    expect(clientSecretName(okta)).toBe("OktaClientSecret");
    expect(() =>
      identityProviderSchema.parse({
        type: "google",
        clientId: "id",
        attributes: { "custom:roles": "roles" },
      }),
    ).toThrow(/must be a standard attribute/);
  });

  it("gives SAML no client secret and the standard email claim by default", () => {
    const entra = identityProviderSchema.parse({
      type: "saml",
      name: "Entra",
      metadataUrl: "https://login.microsoftonline.com/t/federationmetadata.xml",
    });
    expect(clientSecretName(entra)).toBeUndefined();
    expect(attributeMapping(entra, groups)).toEqual({
      email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    });
  });
});

describe("production stages", () => {
  it("are prod and production only", () => {
    expect(["prod", "production", "dev", "staging", undefined].map(isProductionStage)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe("deployment settings given as the component's props", () => {
  const messages = {
    title: "Invalid CognitoLifecycle props",
    names: { alarmEmail: "alarms.email", authDomainPrefix: "federation.authDomainPrefix" },
  };

  it("are checked by the same rules and name the bad prop", () => {
    expect(() =>
      checkedSettings({ alarmEmail: "nobody", callbackUrls: [appUrl], logoutUrls: [appUrl] }, messages),
    ).toThrow(/^Invalid CognitoLifecycle props:\n {2}- alarms\.email: /);
  });

  it("require the hosted UI domain prefix with identity providers, by its prop name", () => {
    expect(() =>
      checkedSettings(
        {
          identityProviders: [{ type: "google", clientId: "google-client" }],
          callbackUrls: [appUrl],
          logoutUrls: [appUrl],
        },
        messages,
      ),
    ).toThrow("federation.authDomainPrefix is required with identity providers");
  });
});
