import { disposableDomains } from "../config/disposable-domains.ts";
import type { LifecycleConfig } from "../config/schema.ts";
import { domainMatches, emailDomain, isCanonicalEmail, isPlausibleEmail, normaliseEmail } from "../email.ts";
import type { UserMessageKey } from "../errors.ts";

export type SignUpSource = "PreSignUp_SignUp" | "PreSignUp_AdminCreateUser" | "PreSignUp_ExternalProvider";

export interface SignUpRequest {
  source: SignUpSource;
  email: string | undefined;
  phoneNumber: string | undefined;
  /** Federated sign-ups: whether the IdP says the email is verified, and which IdP it is. */
  emailVerified?: boolean;
  providerName?: string | undefined;
}

export type SignUpDecision =
  | {
      allowed: true;
      email: string | undefined;
      autoConfirmUser: boolean;
      autoVerifyEmail: boolean;
      autoVerifyPhone: boolean;
    }
  | { allowed: false; key: UserMessageKey; reason: string };

const refuse = (key: UserMessageKey, reason: string): SignUpDecision => ({ allowed: false, key, reason });

/**
 * An allowed domain admits a federated user only if the address is theirs: the IdP says it
 * verified it, or the operator trusts this provider's emails (`signUp.federatedDomainTrust`,
 * e.g. a corporate SAML IdP that issues only its own domain). Otherwise an OIDC account with
 * `email_verified: "false"` and a corporate address would pass the gate.
 */
function federatedEmailUnproven(config: LifecycleConfig, request: SignUpRequest): string | undefined {
  if (request.source !== "PreSignUp_ExternalProvider" || request.emailVerified === true) return undefined;
  const provider = request.providerName?.toLowerCase();
  if (provider && config.signUp.federatedDomainTrust.some((name) => name.toLowerCase() === provider)) {
    return undefined;
  }
  return `federated email is not verified and provider ${request.providerName ?? "unknown"} is not in signUp.federatedDomainTrust`;
}

/**
 * The sign-up gate: a pure decision, no I/O. Admin-created users are invited by an admin, so
 * only the email's shape is checked for them; the domain rules apply to self and federated
 * sign-ups. Auto-confirm and auto-verify never apply to AdminCreateUser (Cognito ignores them)
 * or federated users, never verify an absent value, and never verify a bootstrap admin address,
 * whose owner must prove it.
 */
export function signUpPolicy(config: LifecycleConfig, request: SignUpRequest): SignUpDecision {
  const policy = config.signUp;
  const raw = request.email;
  const email = raw === undefined || raw === "" ? undefined : normaliseEmail(raw);

  if (email !== undefined) {
    if (!isPlausibleEmail(email)) return refuse("invalidEmail", "email is not a plausible address");
    if (request.source !== "PreSignUp_ExternalProvider" && raw !== undefined && !isCanonicalEmail(raw)) {
      return refuse("invalidEmail", "email is not in canonical (NFKC, trimmed) form");
    }
  } else if (request.source !== "PreSignUp_ExternalProvider" && !request.phoneNumber) {
    return refuse("invalidEmail", "no email and no phone number");
  }

  if (request.source === "PreSignUp_AdminCreateUser") {
    return { allowed: true, email, autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
  }

  if (policy.inviteOnly) return refuse("inviteOnly", `invite-only pool refused ${request.source}`);
  if (request.source === "PreSignUp_ExternalProvider" && !policy.allowFederated) {
    return refuse("signUpNotAllowed", "federated sign-up is disabled");
  }

  if (email !== undefined) {
    const domain = emailDomain(email);
    if (policy.deniedDomains.some((listed) => domainMatches(domain, listed))) {
      return refuse("emailDomainNotAllowed", `domain ${domain} is denied`);
    }
    if (
      policy.blockDisposable &&
      [...disposableDomains, ...policy.extraDisposableDomains].some((listed) => domainMatches(domain, listed))
    ) {
      return refuse("disposableEmail", `domain ${domain} is a disposable email provider`);
    }
    if (policy.allowedDomains.length > 0) {
      if (!policy.allowedDomains.some((listed) => domainMatches(domain, listed))) {
        return refuse("emailDomainNotAllowed", `domain ${domain} is not in allowedDomains`);
      }
      const unproven = federatedEmailUnproven(config, request);
      if (unproven) return refuse("emailDomainNotAllowed", unproven);
    }
  } else if (policy.allowedDomains.length > 0) {
    return refuse("emailDomainNotAllowed", "allowedDomains is set and the sign-up has no email");
  }

  if (request.source === "PreSignUp_ExternalProvider") {
    return { allowed: true, email, autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
  }

  const autoConfirmUser =
    email !== undefined &&
    policy.autoConfirmDomains.some((listed) => domainMatches(emailDomain(email), listed));
  const autoVerifyEmail =
    autoConfirmUser &&
    policy.autoVerifyEmail &&
    email !== undefined &&
    !config.bootstrapAdmins.includes(email);
  return { allowed: true, email, autoConfirmUser, autoVerifyEmail, autoVerifyPhone: false };
}
