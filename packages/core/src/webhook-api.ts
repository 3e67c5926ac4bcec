import type { LifecycleEventType } from "./lists.ts";

/**
 * The webhook endpoints' shapes, shared by the store (packages/aws), the admin API and CLI
 * (packages/admin) and the console, so what the API answers and what the console reads cannot
 * drift apart.
 */
export interface WebhookSecret {
  /** `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
  secret: string;
  createdAt: string;
  /** Set on rotation: the old secret keeps signing until then, so receivers can switch over. */
  expiresAt?: string;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** Event types this endpoint receives; empty means every type. */
  eventTypes: LifecycleEventType[];
  secrets: WebhookSecret[];
  description?: string;
  disabled?: { at: string; reason: string };
  /** Failed attempts in a row, and when the run began; reset by any success. */
  failures: { consecutive: number; since?: string };
  createdAt: string;
  updatedAt: string;
  /** Bumped on every write; stores write conditionally on it. */
  version: number;
}

/** An endpoint as the API shows it: never a secret, only when each was made and expires. */
export type WebhookEndpointView = Omit<WebhookEndpoint, "secrets"> & {
  secrets: Omit<WebhookSecret, "secret">[];
};

/** Answers of add and rotate: the only time a secret leaves the store. */
export interface WebhookWithSecret {
  endpoint: WebhookEndpointView;
  secret: string;
}

/** What the attempt log keeps: never the payload, never a secret, a capped response excerpt. */
export interface WebhookAttempt {
  endpointId: string;
  eventId: string;
  attempt: number;
  at: string;
  outcome: "response" | "timeout" | "refused" | "network";
  status?: number;
  latencyMs: number;
  excerpt?: string;
  error?: string;
}

export interface ReplayReport {
  /** Deliveries made pending again (or added). */
  queued: number;
  /** Events the endpoint's type filter leaves out. */
  filtered: number;
  /** Events already pending for the endpoint: they go anyway. */
  alreadyPending: number;
}

/** A replay of a time range: it stops at the replay limit, and says where to go on from. */
export interface RangeReplayReport extends ReplayReport {
  truncated?: boolean;
  lastAt?: string;
}
