import { randomBytes } from "node:crypto";
import type { LifecycleEventType, WebhookEndpoint, WebhookSecret } from "@cognito-lifecycle/core";

export type { WebhookEndpoint, WebhookSecret } from "@cognito-lifecycle/core";

/** How long an old secret stays valid after a rotation, unless the admin says otherwise. */
export const defaultRotationOverlapMs = 24 * 60 * 60 * 1000;

export function newWebhookSecret(random: (size: number) => Buffer = randomBytes): string {
  return `whsec_${random(32).toString("base64")}`;
}

export interface NewEndpointInput {
  id: string;
  url: string;
  eventTypes?: LifecycleEventType[];
  description?: string;
  now: Date;
  secret?: string;
}

/** A new, enabled endpoint with one secret. The URL must have passed `validateWebhookUrl`. */
export function newWebhookEndpoint(input: NewEndpointInput): WebhookEndpoint {
  const at = input.now.toISOString();
  return {
    id: input.id,
    url: input.url,
    eventTypes: [...new Set(input.eventTypes ?? [])].sort(),
    secrets: [{ secret: input.secret ?? newWebhookSecret(), createdAt: at }],
    ...(input.description ? { description: input.description } : {}),
    failures: { consecutive: 0 },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/**
 * Adds a new secret and lets the current ones expire after `overlapMs`: during the overlap
 * every delivery carries a signature per secret, so a receiver may hold either.
 */
export function rotateWebhookSecret(
  endpoint: WebhookEndpoint,
  now: Date,
  options: { overlapMs?: number; secret?: string } = {},
): WebhookEndpoint {
  const expiresAt = new Date(now.getTime() + (options.overlapMs ?? defaultRotationOverlapMs)).toISOString();
  const kept = activeSecrets(endpoint, now).map((secret) => ({
    ...secret,
    expiresAt: secret.expiresAt && secret.expiresAt < expiresAt ? secret.expiresAt : expiresAt,
  }));
  return {
    ...endpoint,
    secrets: [...kept, { secret: options.secret ?? newWebhookSecret(), createdAt: now.toISOString() }],
    updatedAt: now.toISOString(),
    version: endpoint.version + 1,
  };
}

/** Secrets that still sign deliveries at `now`. */
export function activeSecrets(endpoint: WebhookEndpoint, now: Date): WebhookSecret[] {
  const at = now.toISOString();
  return endpoint.secrets.filter((secret) => !secret.expiresAt || secret.expiresAt > at);
}

export function wantsEvent(endpoint: WebhookEndpoint, type: LifecycleEventType): boolean {
  return !endpoint.disabled && (endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type));
}

/** Enabling starts a clean failure run, so one old failure does not disable it again at once. */
export function enableWebhookEndpoint(endpoint: WebhookEndpoint, now: Date): WebhookEndpoint {
  const { disabled: _, ...rest } = endpoint;
  return {
    ...rest,
    failures: { consecutive: 0 },
    updatedAt: now.toISOString(),
    version: endpoint.version + 1,
  };
}
