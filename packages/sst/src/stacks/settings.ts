import { z } from "zod";

/**
 * Deployment settings that vary per AWS account or stage and so do not belong in the committed
 * lifecycle.config.ts: read from the environment of `sst deploy`. Pure (no platform globals), so
 * it is unit-tested directly. Secrets never come from here: client secrets are `sst secret`s.
 */

/** A provider name usable as a Cognito provider name, an SST secret name and a logical name. */
const providerName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, "must be 1-32 letters or digits, starting with a letter");
const scopes = z.array(z.string().regex(/^[\w:./-]+$/, "must be an OAuth scope")).min(1);
/** Extra IdP claim -> pool attribute mappings. Only standard attributes: custom ones hold roles. */
const extraAttributes = z
  .record(
    z.string().regex(/^(?!custom:)[a-z_]+$/, "must be a standard attribute such as given_name"),
    z.string().min(1),
  )
  .default({});

const google = z.strictObject({
  type: z.literal("google"),
  clientId: z.string().min(1),
  scopes: scopes.default(["openid", "email", "profile"]),
  attributes: extraAttributes,
});
const oidc = z.strictObject({
  type: z.literal("oidc"),
  name: providerName,
  issuer: z.url({ protocol: /^https$/, error: "must be an https URL" }),
  clientId: z.string().min(1),
  scopes: scopes.default(["openid", "email", "profile"]),
  /** The claim holding the user's groups at the IdP (e.g. `groups`), mapped to the groups attribute. */
  groupsClaim: z.string().min(1).optional(),
  attributes: extraAttributes,
});
const saml = z.strictObject({
  type: z.literal("saml"),
  name: providerName,
  metadataUrl: z.url({ protocol: /^https$/, error: "must be an https URL" }),
  /** The assertion attribute holding the email address. */
  emailAttribute: z
    .string()
    .min(1)
    .default("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"),
  nameAttribute: z.string().min(1).optional(),
  /** The assertion attribute holding group names, e.g. Entra ID's `.../claims/groups`. */
  groupsAttribute: z.string().min(1).optional(),
  /** Sign the user out at the IdP too when they sign out of the hosted UI. */
  signOut: z.boolean().default(false),
  attributes: extraAttributes,
});

export const identityProviderSchema = z.discriminatedUnion("type", [google, oidc, saml]);
export type IdentityProviderSetting = z.output<typeof identityProviderSchema>;

const commaList = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/, "must be a domain name such as example.com");

const settingsSchema = z.strictObject({
  /** Verify this domain in SES and send from it; otherwise the config's sender address is verified. */
  emailDomain: domainName.optional(),
  /** `route53`: SST writes the DKIM and DMARC records to the domain's hosted zone; `none`: you do. */
  emailDns: z.enum(["route53", "none"]).default("route53"),
  identityProviders: z.array(identityProviderSchema).default([]),
  /** Prefix of the hosted UI domain `<prefix>.auth.<region>.amazoncognito.com` (needed by providers). */
  authDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be lower-case letters, digits and -")
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), "must not contain aws, amazon or cognito")
    .optional(),
  /** Where the hosted UI may send users back to after federated sign-in and sign-out. */
  callbackUrls: z.array(z.url({ protocol: /^https?$/ })).min(1),
  logoutUrls: z.array(z.url({ protocol: /^https?$/ })).min(1),
  /** A custom domain for the admin console (its Route 53 zone must be in the account). */
  consoleDomain: domainName.optional(),
  /** Where CloudWatch alarm notifications go (an SNS email subscription to confirm once). */
  alarmEmail: z.email().optional(),
  /** Passed through to the functions: emails that get the admin role once verified. */
  bootstrapAdmins: z.string().optional(),
  /**
   * `create`: the stack creates a CloudTrail trail (management events) and its S3 bucket, which
   * the delete signal needs. Unset: the account already has one (docs/data-rights.md).
   */
  cloudTrail: z.literal("create", { error: 'must be "create" or unset' }).optional(),
});
export type DeploySettings = z.output<typeof settingsSchema>;

/**
 * Reads and validates the deployment environment. `appUrl` (from the config) is the default
 * OAuth callback and sign-out URL. A bad value throws one message naming every bad variable.
 */
export function deploySettings(env: Record<string, string | undefined>, appUrl: string): DeploySettings {
  let identityProviders: unknown = [];
  if (env.LIFECYCLE_IDENTITY_PROVIDERS?.trim()) {
    try {
      identityProviders = JSON.parse(env.LIFECYCLE_IDENTITY_PROVIDERS);
    } catch {
      throw new Error("Invalid LIFECYCLE_IDENTITY_PROVIDERS: expected a JSON array of identity providers");
    }
  }
  const callbackUrls = commaList(env.LIFECYCLE_CALLBACK_URLS);
  const logoutUrls = commaList(env.LIFECYCLE_LOGOUT_URLS);
  return checkedSettings(
    {
      emailDomain: env.LIFECYCLE_EMAIL_DOMAIN || undefined,
      emailDns: (env.LIFECYCLE_EMAIL_DNS || undefined) as DeploySettingsInput["emailDns"],
      identityProviders: identityProviders as DeploySettingsInput["identityProviders"],
      authDomainPrefix: env.LIFECYCLE_AUTH_DOMAIN_PREFIX || undefined,
      callbackUrls: callbackUrls.length > 0 ? callbackUrls : [appUrl],
      logoutUrls: logoutUrls.length > 0 ? logoutUrls : [appUrl],
      consoleDomain: env.LIFECYCLE_CONSOLE_DOMAIN || undefined,
      alarmEmail: env.LIFECYCLE_ALARM_EMAIL || undefined,
      bootstrapAdmins: env.LIFECYCLE_BOOTSTRAP_ADMINS || undefined,
      cloudTrail: (env.LIFECYCLE_CLOUDTRAIL || undefined) as DeploySettingsInput["cloudTrail"],
    },
    { title: "Invalid deployment settings", names: environmentNames },
  );
}

/** The environment variable of each setting, for messages about `sst deploy`'s environment. */
const environmentNames: Record<string, string> = {
  emailDomain: "LIFECYCLE_EMAIL_DOMAIN",
  emailDns: "LIFECYCLE_EMAIL_DNS",
  identityProviders: "LIFECYCLE_IDENTITY_PROVIDERS",
  authDomainPrefix: "LIFECYCLE_AUTH_DOMAIN_PREFIX",
  callbackUrls: "LIFECYCLE_CALLBACK_URLS",
  logoutUrls: "LIFECYCLE_LOGOUT_URLS",
  cloudTrail: "LIFECYCLE_CLOUDTRAIL",
  consoleDomain: "LIFECYCLE_CONSOLE_DOMAIN",
  alarmEmail: "LIFECYCLE_ALARM_EMAIL",
};

export type DeploySettingsInput = z.input<typeof settingsSchema>;

/**
 * Validates settings however they were given (the environment above, or the CognitoLifecycle
 * component's props). A bad value throws one message naming every bad setting by `names`.
 */
export function checkedSettings(
  input: DeploySettingsInput,
  messages: { title: string; names: Record<string, string> },
): DeploySettings {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const [head, ...rest] = issue.path.map(String);
      const name = [messages.names[head ?? ""] ?? head, ...rest].join(".");
      return `  - ${name}: ${issue.message}`;
    });
    throw new Error(`${messages.title}:\n${lines.join("\n")}`);
  }
  const settings = parsed.data;
  const providers = messages.names.identityProviders ?? "identityProviders";
  const names = settings.identityProviders.map(providerNameOf);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`Invalid ${providers}: "${duplicate}" is listed twice`);
  if (settings.identityProviders.length > 0 && !settings.authDomainPrefix) {
    throw new Error(
      `${messages.names.authDomainPrefix ?? "authDomainPrefix"} is required with identity providers: federated sign-in runs on the hosted UI domain`,
    );
  }
  return settings;
}

/** The provider's name in the pool (Cognito requires exactly `Google` for Google). */
export function providerNameOf(provider: IdentityProviderSetting): string {
  return provider.type === "google" ? "Google" : provider.name;
}

/**
 * IdP attribute -> pool attribute mapping. Every mapped pool attribute must be writable by the
 * federated app client, so the client's write list is derived from this too.
 */
export function attributeMapping(
  provider: IdentityProviderSetting,
  groupsAttribute: string,
): Record<string, string> {
  switch (provider.type) {
    case "google":
      return {
        username: "sub",
        email: "email",
        email_verified: "email_verified",
        name: "name",
        ...provider.attributes,
      };
    case "oidc":
      return {
        username: "sub",
        email: "email",
        email_verified: "email_verified",
        name: "name",
        ...(provider.groupsClaim ? { [groupsAttribute]: provider.groupsClaim } : {}),
        ...provider.attributes,
      };
    case "saml":
      return {
        email: provider.emailAttribute,
        ...(provider.nameAttribute ? { name: provider.nameAttribute } : {}),
        ...(provider.groupsAttribute ? { [groupsAttribute]: provider.groupsAttribute } : {}),
        ...provider.attributes,
      };
  }
}

/** The secret holding a provider's OAuth client secret (`sst secret set <name> <value>`). */
export function clientSecretName(provider: IdentityProviderSetting): string | undefined {
  return provider.type === "saml" ? undefined : `${providerNameOf(provider)}ClientSecret`;
}
