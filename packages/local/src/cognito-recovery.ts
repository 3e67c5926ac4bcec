import type { Router as RouterFactory } from "cognito-local/lib/server/Router";
import type { Services } from "cognito-local/lib/services";
import type { User, UserPool } from "cognito-local/lib/services/userPoolService";

type Route = ReturnType<ReturnType<typeof RouterFactory>>;

function attribute(user: User, name: string): string | undefined {
  return user.Attributes.find((entry) => entry.Name === name)?.Value;
}

/** The user may get a reset code by SMS: a verified number, and (with a recovery setting) no SMS MFA. */
function phoneQualifies(user: User, excludeSmsMfa: boolean): boolean {
  if (!attribute(user, "phone_number") || attribute(user, "phone_number_verified") !== "true") return false;
  const smsMfa =
    (user.UserMFASettingList ?? []).includes("SMS_MFA") ||
    (user.MFAOptions ?? []).some((option) => option.DeliveryMedium === "SMS");
  return !(excludeSmsMfa && smsMfa);
}

/**
 * Whether Cognito sends this user's password reset code by SMS: the pool's
 * `AccountRecoverySetting` in priority order (a phone with SMS MFA does not qualify), or without
 * one, the legacy rule that prefers a verified phone over email. cognito-local does not mark an
 * email verified on confirmation, so a present email stands in for a verified one.
 */
export function recoversByPhone(pool: UserPool, user: User): boolean {
  const mechanisms = pool.AccountRecoverySetting?.RecoveryMechanisms;
  if (!mechanisms?.length) return phoneQualifies(user, false);
  const ordered = [...mechanisms].sort((a, b) => a.Priority - b.Priority);
  for (const { Name } of ordered) {
    if (Name === "verified_phone_number" && phoneQualifies(user, true)) return true;
    if (Name === "verified_email" && attribute(user, "email")) return false;
  }
  return false;
}

/**
 * cognito-local 5.3.0's ForgotPassword always emails the code. Where Cognito would text it
 * (`recoversByPhone`), this sends it by SMS instead, through the same messages service, and
 * stores it as cognito-local does; every other reset stays cognito-local's.
 */
export function recoveringByPhone(
  router: ReturnType<typeof RouterFactory>,
  services: Services,
): ReturnType<typeof RouterFactory> {
  return (target: string): Route => {
    const route = router(target);
    if (target !== "ForgotPassword") return route;
    return async (ctx, req) => {
      const request = req as { ClientId: string; Username: string; ClientMetadata?: Record<string, string> };
      const userPool = await services.cognito.getUserPoolForClientId(ctx, request.ClientId);
      const user = await userPool.getUserByUsername(ctx, request.Username);
      const phoneNumber = user && attribute(user, "phone_number");
      if (!user || !phoneNumber || !recoversByPhone(userPool.options, user)) return route(ctx, req);
      const details = {
        AttributeName: "phone_number",
        DeliveryMedium: "SMS",
        Destination: phoneNumber,
      } as const;
      const code = services.otp();
      await services.messages.deliver(
        ctx,
        "ForgotPassword",
        request.ClientId,
        userPool.options.Id,
        user,
        code,
        request.ClientMetadata,
        details,
      );
      await userPool.saveUser(ctx, {
        ...user,
        UserLastModifiedDate: services.clock.get(),
        ConfirmationCode: code,
      });
      return { CodeDeliveryDetails: details };
    };
  };
}
