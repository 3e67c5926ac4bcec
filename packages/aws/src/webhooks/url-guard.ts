import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { LifecycleError } from "@cognito-lifecycle/core";

/** A webhook URL we will not call: the message says why, for the admin who entered it. */
export class WebhookUrlError extends LifecycleError {
  override readonly name = "WebhookUrlError";
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has; injected in tests. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export interface UrlPolicy {
  /** Local stack only: plain http (and https) to 127.0.0.1, for a receiver on this machine. */
  allowLocalHttp?: boolean;
}

/**
 * The policy from the environment: `LIFECYCLE_WEBHOOKS_ALLOW_LOCAL_HTTP=true` is set by the local
 * stack and tests only; a deployed stack never sets it, so there only public https URLs pass.
 */
export function webhookUrlPolicy(env: Record<string, string | undefined> = process.env): UrlPolicy {
  return env.LIFECYCLE_WEBHOOKS_ALLOW_LOCAL_HTTP === "true" ? { allowLocalHttp: true } : {};
}

/**
 * Addresses a webhook must never reach (SSRF): this host, private networks, link-local (the
 * instance metadata service at 169.254.169.254), CGNAT, multicast, reserved and documentation
 * ranges, and their IPv6 counterparts.
 */
const forbidden = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  forbidden.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["100::", 64],
] as const) {
  forbidden.addSubnet(network, prefix, "ipv6");
}

/** IPv6 forms that carry an IPv4 address: mapped, compatible, NAT64 and 6to4. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::|::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4})(?::|$)/.exec(lower);
  const parts = hex ?? sixToFour;
  if (!parts) return undefined;
  const high = Number.parseInt(parts[1] as string, 16);
  const low = Number.parseInt(parts[2] as string, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

function isLocalLoopback(address: string): boolean {
  return address === "127.0.0.1";
}

/** Why an address is refused, or undefined when a webhook may reach it. */
export function refusedAddress(address: string, policy: UrlPolicy = {}): string | undefined {
  const family = isIP(address);
  if (family === 0) return "not an IP address";
  if (policy.allowLocalHttp && isLocalLoopback(address)) return undefined;
  if (family === 4) return forbidden.check(address, "ipv4") ? "a private or reserved address" : undefined;
  const inner = embeddedIpv4(address);
  if (inner !== undefined) return refusedAddress(inner, { ...policy, allowLocalHttp: false });
  return forbidden.check(address, "ipv6") ? "a private or reserved address" : undefined;
}

/** The URL's host without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * Checks what can be checked without DNS: scheme, credentials, and an IP literal's range.
 * The URL parser has already turned `http://2130706433/` and `0x7f.1` into dotted form.
 */
export function checkWebhookUrl(raw: string, policy: UrlPolicy = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError("The webhook URL is not a valid URL.");
  }
  const host = hostOf(url);
  const localHttp = policy.allowLocalHttp === true && isLocalLoopback(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && localHttp)) {
    throw new WebhookUrlError("The webhook URL must use https.");
  }
  if (url.username || url.password) {
    throw new WebhookUrlError("The webhook URL must not carry a user name or password.");
  }
  if (host === "localhost" || host.endsWith(".localhost")) {
    throw new WebhookUrlError("The webhook URL must not point at this host.");
  }
  if (isIP(host) !== 0) {
    const reason = refusedAddress(host, policy);
    if (reason) throw new WebhookUrlError(`The webhook URL points at ${reason}.`);
  }
  return url;
}

/** Every address the host resolves to must be allowed: one private answer refuses the URL. */
export async function checkResolvedAddresses(
  hostname: string,
  resolve: Resolver,
  policy: UrlPolicy = {},
): Promise<ResolvedAddress[]> {
  if (isIP(hostname) !== 0) return [{ address: hostname, family: isIP(hostname) }];
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(hostname);
  } catch (error) {
    throw new WebhookUrlError(`The webhook host ${hostname} does not resolve.`, { cause: error });
  }
  if (addresses.length === 0) throw new WebhookUrlError(`The webhook host ${hostname} does not resolve.`);
  for (const { address } of addresses) {
    const reason = refusedAddress(address, policy);
    if (reason) throw new WebhookUrlError(`The webhook host ${hostname} resolves to ${reason}.`);
  }
  return addresses;
}

/** The full check an endpoint gets when it is added or changed. Delivery checks again at connect time. */
export async function validateWebhookUrl(
  raw: string,
  options: UrlPolicy & { resolve?: Resolver } = {},
): Promise<URL> {
  const url = checkWebhookUrl(raw, options);
  await checkResolvedAddresses(hostOf(url), options.resolve ?? systemResolver, options);
  return url;
}
