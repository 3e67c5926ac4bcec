import { config, settings } from "./config.ts";

/**
 * The SES identity every email is sent from: Cognito's own messages (verification codes,
 * invitations, password resets, all rendered by the custom message trigger) and our welcome
 * emails. With LIFECYCLE_EMAIL_DOMAIN the whole domain is verified (DKIM and DMARC records go to
 * its Route 53 zone unless LIFECYCLE_EMAIL_DNS=none); otherwise the config's sender address is
 * verified by the link SES mails to it.
 */
const senderAddress = config.branding.sender.address;
const domain = settings.emailDomain;
if (domain && !(senderAddress.endsWith(`@${domain}`) || senderAddress.endsWith(`.${domain}`))) {
  throw new Error(
    `branding.sender.address (${senderAddress}) must be an address at LIFECYCLE_EMAIL_DOMAIN (${domain})`,
  );
}

export const email = domain
  ? new sst.aws.Email("Email", { sender: domain, ...(settings.emailDns === "none" ? { dns: false } : {}) })
  : new sst.aws.Email("Email", { sender: senderAddress });

/** `"Name" <address>`, the From header Cognito and the welcome email use. */
export const fromAddress = `"${config.branding.sender.name.replace(/["\\\r\n]/g, "")}" <${senderAddress}>`;
