import {
  type CognitoAdmin,
  cognitoAdminFor,
  deadlineSignal,
  defineTrigger,
  logger,
  once,
  type TriggerRuntime,
  timeLeft,
  userStoreFor,
} from "@cognito-lifecycle/aws";
import {
  chooseLocale,
  federatedIdentity,
  isTrue,
  type LifecycleConfig,
  maskEmail,
  mayLink,
  mayLinkToRecord,
  normaliseEmail,
  type PreSignUpEvent,
  parseEvent,
  preSignUpEvent,
  type SignUpSource,
  signUpPolicy,
  triggerManifest,
  UserFacingError,
  userMessage,
  withEnvironment,
} from "@cognito-lifecycle/core";
import config from "../lifecycle.config.ts";

type Runtime = Pick<TriggerRuntime, "config" | "cognito" | "store">;
type NativeUser = Awaited<ReturnType<CognitoAdmin["nativeUsersByEmail"]>>[number];

/**
 * Pre sign-up: the registration gate. Parse, decide with the pure sign-up policy, optionally
 * link a federated identity to the native user with the same verified email, respond.
 * Writes nothing to our table: the user does not exist yet and may never be confirmed. Only
 * linking reads it, once, to learn how the native user's email was verified.
 */
export function createHandler(runtime: () => Runtime) {
  return defineTrigger<PreSignUpEvent & Record<string, unknown>>(
    triggerManifest.preSignUp.file,
    triggerManifest.preSignUp.sources,
    async (event, context, startedAt) => {
      const { config } = runtime();
      const parsed = parseEvent(preSignUpEvent, event);
      const { userAttributes, clientMetadata, validationData } = parsed.request;
      const locale = chooseLocale(
        [clientMetadata?.locale, validationData?.locale, userAttributes.locale],
        config.locales.supported,
        config.locales.default,
      );
      const source = parsed.triggerSource as SignUpSource;
      const provider =
        source === "PreSignUp_ExternalProvider"
          ? federatedIdentity(parsed.userName, userAttributes.identities, [
              ...config.linking.trustedProviders,
              ...config.signUp.federatedDomainTrust,
            ])
          : undefined;
      const decision = signUpPolicy(config, {
        source,
        email: userAttributes.email,
        phoneNumber: userAttributes.phone_number,
        emailVerified: isTrue(userAttributes.email_verified),
        providerName: provider?.providerName,
      });
      if (!decision.allowed) {
        throw new UserFacingError(userMessage(decision.key, locale), decision.key, decision.reason);
      }
      if (source === "PreSignUp_ExternalProvider" && decision.email) {
        await linkToNativeUser(
          config,
          runtime(),
          parsed,
          decision.email,
          locale,
          timeLeft(config.timeouts.budgetMs, startedAt, context),
        );
      }
      event.response = {
        ...((event.response as object | null) ?? {}),
        autoConfirmUser: decision.autoConfirmUser,
        autoVerifyEmail: decision.autoVerifyEmail,
        autoVerifyPhone: decision.autoVerifyPhone,
      };
      logger.info("sign-up allowed", {
        triggerSource: source,
        email: maskEmail(decision.email),
        autoConfirm: decision.autoConfirmUser,
      });
    },
  );
}

/**
 * Links the federated identity to the one native user with the same email. Only trusted
 * providers with verified emails; an ambiguous match links nothing. A failed link refuses the
 * sign-up (the user can retry) rather than creating a duplicate account.
 */
async function linkToNativeUser(
  config: LifecycleConfig,
  { cognito, store }: Pick<Runtime, "cognito" | "store">,
  event: PreSignUpEvent,
  email: string,
  locale: string,
  budgetMs: number,
): Promise<void> {
  const { userAttributes } = event.request;
  const identity = federatedIdentity(
    event.userName,
    userAttributes.identities,
    config.linking.trustedProviders,
  );
  if (!identity) {
    logger.info("no link: provider not recognised", { userNamePrefix: event.userName.split("_")[0] });
    return;
  }
  const permission = mayLink(config, identity.providerName, userAttributes);
  if (!permission.link) {
    logger.info("no link", { provider: identity.providerName, reason: permission.reason });
    return;
  }
  try {
    const signal = deadlineSignal(budgetMs);
    // Only a native user who proved the address: linking to an unverified one would hand the
    // federated user's sign-ins to whoever pre-registered the address with a password.
    const attribute = (user: NativeUser, name: string) =>
      user.Attributes?.find((entry) => entry.Name === name)?.Value;
    const matches = (
      await cognito.nativeUsersByEmail(event.userPoolId, email, { abortSignal: signal })
    ).filter(
      (user) =>
        normaliseEmail(attribute(user, "email") ?? "") === email &&
        attribute(user, "email_verified") === "true",
    );
    const native = matches.length === 1 ? matches[0] : undefined;
    const nativeSub = native && attribute(native, "sub");
    if (!native?.Username || !nativeSub) {
      logger.info("no link: not exactly one native user with this verified email", {
        provider: identity.providerName,
        matches: matches.length,
      });
      return;
    }
    // Cognito's email_verified says nothing of how: our record says whether the mailbox proved it.
    const proven = mayLinkToRecord(await store.get(nativeSub, { abortSignal: signal }), email);
    if (!proven.link) {
      logger.info("no link", { provider: identity.providerName, reason: proven.reason });
      return;
    }
    await cognito.linkProviderForUser(
      event.userPoolId,
      native.Username,
      identity.providerName,
      identity.providerUserId,
      { abortSignal: signal },
    );
    logger.info("federated identity linked", { provider: identity.providerName, email: maskEmail(email) });
  } catch (error) {
    throw new UserFacingError(
      userMessage("temporarilyUnavailable", locale),
      "temporarilyUnavailable",
      `linking failed: ${(error as Error).name}`,
      { cause: error },
    );
  }
}

const settings = withEnvironment(config);
const cognito = once(() => cognitoAdminFor(settings));
const store = once(() => userStoreFor(settings));
export const handler = createHandler(() => ({
  config: settings,
  cognito: cognito(),
  // Built on first use: only the linking path reads the table.
  get store() {
    return store();
  },
}));
