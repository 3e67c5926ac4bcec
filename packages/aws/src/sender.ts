import {
  type CustomSenderEvent,
  cognitoPlaceholders,
  composeMessage,
  customSenderEvent,
  fillPlaceholders,
  type LifecycleConfig,
  type MessageInput,
  type MessageKind,
  type MessageRenderer,
  messageInputFor,
  messageLimits,
  parseEvent,
  type RenderedMessage,
  type RiskySignIn,
  unescapeTemporaryPassword,
} from "@cognito-lifecycle/core";
import { type CodeDecryptor, CodeRefusedError } from "./code-decrypt.ts";
import { logger } from "./logger.ts";
import { defineTrigger } from "./trigger.ts";

/** A message our sender delivered, for the user's record (kept by the storage redesign). */
export interface SentCodeMessage {
  channel: "email" | "sms";
  triggerSource: string;
  userPoolId: string;
  sub?: string;
  messageId: string;
  at: string;
}

export interface DeliveryRecorder {
  record(sent: SentCodeMessage): Promise<void>;
}

/** Until the user record has a place for deliveries: the message id goes to the log. */
export const loggedDeliveries: DeliveryRecorder = {
  async record(sent) {
    logger.info("code message sent", { ...sent });
  },
};

/** Where a code message goes and who it is for, as logged and recorded. */
export interface CodeDelivery {
  channel: SentCodeMessage["channel"];
  triggerSource: string;
  userPoolId: string;
  sub?: string;
}

/**
 * Sends once and records the message id. Transient failures throw for Lambda's retry; a
 * message the provider refuses for good (`permanent`) is logged and dropped, since retrying it
 * can only fail again. Shared by the email and SMS senders so both keep the same error rules.
 */
export async function sendAndRecord(
  deps: { recorder: DeliveryRecorder; now: () => Date },
  delivery: CodeDelivery,
  send: () => Promise<{ messageId: string }>,
): Promise<void> {
  const { channel, userPoolId, ...where } = delivery;
  let messageId: string;
  try {
    ({ messageId } = await send());
  } catch (error) {
    if (!(error as { permanent?: unknown })?.permanent) throw error;
    logger.warn(
      channel === "sms" ? "code SMS refused by SNS: not retried" : "code email refused by SES: not retried",
      {
        ...where,
        reason: (error as Error).message,
      },
    );
    return;
  }
  await deps.recorder.record({ channel, ...where, userPoolId, messageId, at: deps.now().toISOString() });
}

/** Our sender path sends the email itself: no 20,000-character limit; every other rule stays. */
export const senderLimits = { ...messageLimits, emailChars: Number.POSITIVE_INFINITY } as const;

export interface CodeMessageDependencies {
  config: LifecycleConfig;
  decryptor: CodeDecryptor;
  renderer: MessageRenderer;
}

/**
 * The name to show for `{username}` in an invitation: what the user signs in with. In a pool
 * whose username is the email address, Cognito's `userName` is the sub, so the address it is.
 */
function signInName(event: CustomSenderEvent): string {
  const { sub, email } = event.request.userAttributes;
  return event.userName === sub && email ? email : event.userName;
}

/** The event's code in plain text; a refusal is logged here (never the code) and rethrown. */
async function decryptLogged(decryptor: CodeDecryptor, event: CustomSenderEvent): Promise<string> {
  try {
    if (!event.request.code) throw new CodeRefusedError("the event carries no code");
    return await decryptor.decrypt(event.request.code, { userPoolId: event.userPoolId });
  } catch (error) {
    if (error instanceof CodeRefusedError) {
      const sub = event.request.userAttributes.sub;
      logger.error("code refused", {
        triggerSource: event.triggerSource,
        ...(sub ? { sub } : {}),
        reason: error.reason,
      });
    }
    throw error;
  }
}

/**
 * The branded message of `kind` with the real code in it: decrypted (and, for an invitation,
 * unescaped), rendered with Cognito's placeholders so every template rule is checked exactly
 * as on the custom-message path, then filled. Throws `CodeRefusedError` for a code it cannot
 * trust; the code itself never leaves this function except inside the message.
 */
export async function codeMessage(
  deps: CodeMessageDependencies,
  event: CustomSenderEvent,
  kind: Exclude<MessageKind, "welcome" | "accountTakeOver">,
): Promise<{ input: MessageInput; message: RenderedMessage }> {
  const decrypted = await decryptLogged(deps.decryptor, event);
  const code = kind === "adminCreateUser" ? unescapeTemporaryPassword(decrypted) : decrypted;
  const input = messageInputFor(deps.config, kind, event.request, {
    codeParameter: cognitoPlaceholders.code,
  });
  const { message, problems } = composeMessage(deps.renderer, input, senderLimits);
  if (problems.length > 0) {
    logger.error("branded message broke a rule: using the plain message", {
      kind,
      locale: input.locale,
      problems,
    });
  }
  return { input, message: fillPlaceholders(input, message, { code, username: signInName(event) }) };
}

/**
 * What an account take-over event reports about the sign-in, from the attributes Cognito adds
 * for that source (`LOGIN_TIME`, `DEVICE_NAME`, `CITY`, `COUNTRY`, `IP_ADDRESS`); absent parts stay absent.
 */
export function riskySignIn(userAttributes: Readonly<Record<string, string>>): RiskySignIn {
  const location = [userAttributes.CITY, userAttributes.COUNTRY].filter(Boolean).join(", ");
  const parts = {
    time: userAttributes.LOGIN_TIME,
    device: userAttributes.DEVICE_NAME,
    location,
    ip: userAttributes.IP_ADDRESS,
  };
  return Object.fromEntries(Object.entries(parts).filter(([, value]) => value)) as RiskySignIn;
}

/**
 * The branded account take-over notice: no code, the sign-in's details from the event. Checked
 * against the same rules as every other message; a broken one falls back to the plain notice.
 */
export function accountTakeOverMessage(
  deps: Pick<CodeMessageDependencies, "config" | "renderer">,
  event: CustomSenderEvent,
): { input: MessageInput; message: RenderedMessage } {
  const { codeParameter: _none, ...base } = messageInputFor(deps.config, "accountTakeOver", event.request, {
    codeParameter: cognitoPlaceholders.code,
  });
  const input: MessageInput = { ...base, signIn: riskySignIn(event.request.userAttributes) };
  const { message, problems } = composeMessage(deps.renderer, input, senderLimits);
  if (problems.length > 0) {
    logger.error("branded message broke a rule: using the plain message", {
      kind: input.kind,
      locale: input.locale,
      problems,
    });
  }
  return { input, message };
}

/**
 * One custom sender: the kinds its trigger sources stand for, where a message goes, and how one
 * is built and sent. `defineSender` does the rest the same way for email and SMS.
 */
export interface SenderChannel<Deps, Kinds extends Record<string, string>, Message> {
  /** The function's file in `functions/` (the sender manifest's `file`), for logs. */
  file: string;
  channel: SentCodeMessage["channel"];
  /** Trigger source -> message kind; the sources are exactly its keys. */
  kinds: Kinds;
  /** The address or number from the user's attributes; without one, `missing` is logged and nothing sent. */
  recipient: (attributes: Readonly<Record<string, string>>) => string | undefined;
  missing: string;
  message: (deps: Deps, event: CustomSenderEvent, kind: Kinds[keyof Kinds]) => Promise<Message> | Message;
  send: (deps: Deps, to: string, message: Message) => Promise<{ messageId: string }>;
}

/**
 * A custom sender trigger: parse Cognito's event, find its recipient (or log and drop it), build
 * the message (a code that cannot be trusted throws here, before anything is sent), then send once
 * and record it with the shared error rules (`sendAndRecord`).
 */
export function defineSender<
  Deps extends { recorder: DeliveryRecorder; now: () => Date },
  Kinds extends Record<string, string>,
  Message,
>(sender: SenderChannel<Deps, Kinds, Message>, dependencies: () => Deps) {
  return defineTrigger<CustomSenderEvent & Record<string, unknown>>(
    sender.file,
    Object.keys(sender.kinds),
    async (event) => {
      const deps = dependencies();
      const parsed = parseEvent(customSenderEvent, event);
      const kind = sender.kinds[parsed.triggerSource as keyof Kinds] as Kinds[keyof Kinds];
      const { sub } = parsed.request.userAttributes;
      const where = { triggerSource: parsed.triggerSource, ...(sub ? { sub } : {}) };
      const to = sender.recipient(parsed.request.userAttributes);
      if (!to) {
        logger.warn(sender.missing, where);
        return;
      }
      const message = await sender.message(deps, parsed, kind);
      await sendAndRecord(deps, { channel: sender.channel, userPoolId: parsed.userPoolId, ...where }, () =>
        sender.send(deps, to, message),
      );
    },
  );
}
