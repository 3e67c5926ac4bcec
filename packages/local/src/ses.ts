import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { RunningService } from "./dynamodb.ts";

const require = createRequire(import.meta.url);

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc?: string[]; bcc?: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** Starts aws-ses-v2-local in this process on 127.0.0.1:`port`. Its web page lists every email. */
export async function startSesLocal(options: { port: number }): Promise<RunningService> {
  const start = (
    require("aws-ses-v2-local") as { default: (o: { host: string; port: number }) => Promise<Server> }
  ).default;
  const server = await start({ host: "127.0.0.1", port: options.port });
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    port: options.port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Every email the local SES has received (optionally since an epoch second). */
export async function sesInbox(endpoint: string, since?: number): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/store${since === undefined ? "" : `?since=${since}`}`);
  if (!response.ok) throw new Error(`SES inbox answered ${response.status}`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

export async function clearSesInbox(endpoint: string): Promise<void> {
  await fetch(`${endpoint}/clear-store`, { method: "POST" });
}

/** The email's visible text: the text part, or the HTML part without its markup. */
export function emailText(email: StoredEmail): string {
  if (email.body.text) return email.body.text;
  return (email.body.html ?? "")
    .replace(/<(style|script|head)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** The six-digit code in a Cognito code email, as a person would read it off the message. */
export function codeIn(email: StoredEmail): string | undefined {
  return /(?<![\w#])(\d{6})(?!\w)/.exec(emailText(email))?.[1];
}

/** Emails the local SES received for `to`, oldest first. */
export async function inboxFor(endpoint: string, to: string): Promise<StoredEmail[]> {
  const wanted = to.toLowerCase();
  return (await sesInbox(endpoint)).filter((email) =>
    email.destination.to.some((address) => {
      const lower = address.toLowerCase();
      return lower === wanted || lower.endsWith(`<${wanted}>`);
    }),
  );
}
