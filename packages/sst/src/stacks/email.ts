import { childOptions, type StackContext, transformed } from "./context.ts";

/**
 * The SES identity every email is sent from: Cognito's own messages (verification codes,
 * invitations, password resets, all rendered by the custom message trigger) and our welcome
 * emails. With an email domain the whole domain is verified (DKIM and DMARC records go to its
 * Route 53 zone unless dns is "none"); otherwise the config's sender address is verified by the
 * link SES mails to it.
 */
export function createEmail(ctx: StackContext): { email: sst.aws.Email; fromAddress: string } {
  const { config, settings } = ctx;
  const senderAddress = config.branding.sender.address;
  const domain = settings.emailDomain;
  if (domain && !(senderAddress.endsWith(`@${domain}`) || senderAddress.endsWith(`.${domain}`))) {
    throw new Error(
      `branding.sender.address (${senderAddress}) must be an address at the email domain (${domain})`,
    );
  }
  const args: sst.aws.EmailArgs = domain
    ? { sender: domain, ...(settings.emailDns === "none" ? { dns: false } : {}) }
    : { sender: senderAddress };
  const email = new sst.aws.Email(...transformed(ctx.transform.email, "Email", args, childOptions(ctx)));
  /** `"Name" <address>`, the From header Cognito and the welcome email use. */
  const fromAddress = `"${config.branding.sender.name.replace(/["\\\r\n]/g, "")}" <${senderAddress}>`;
  return { email, fromAddress };
}
