import type { WebhookAttempt, WebhookEndpoint } from "@cognito-lifecycle/core";

export type { WebhookAttempt } from "@cognito-lifecycle/core";

/** One event owed to one endpoint. Keyed by (endpointId, eventId): fanning out twice adds nothing. */
export interface WebhookDelivery {
  endpointId: string;
  eventId: string;
  eventType: string;
  sub: string;
  /** The record version the event carries: deliveries of one user go in this order. */
  version: number;
  /** The event's own timestamp; orders events of the same version (a sign-in after its change). */
  eventAt: string;
  /** The exact bytes that are signed and sent on every attempt. */
  payload: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
}

/**
 * Where endpoints, deliveries and attempts live. Writes are conditional, so two dispatchers
 * racing over the same delivery or endpoint cannot both win: the loser gets `false`.
 * `DynamoWebhookStore` (dynamo-store.ts) keeps them in the user table; tests also use a memory one.
 */
export interface WebhookStore {
  /** Creates the endpoint when `expectedVersion` is undefined, else replaces that version. */
  putEndpoint(endpoint: WebhookEndpoint, expectedVersion?: number): Promise<boolean>;
  getEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  listEndpoints(): Promise<WebhookEndpoint[]>;
  /** Adds the delivery unless one exists for the same endpoint and event. */
  enqueue(delivery: WebhookDelivery): Promise<boolean>;
  getDelivery(endpointId: string, eventId: string): Promise<WebhookDelivery | undefined>;
  /** Pending deliveries, all of them or one endpoint's. */
  pending(endpointId?: string): Promise<WebhookDelivery[]>;
  /** Replaces the delivery if it still has `expectedAttempts` attempts. */
  updateDelivery(delivery: WebhookDelivery, expectedAttempts: number): Promise<boolean>;
  /**
   * Replay: makes the delivery pending again, due at its `nextAttemptAt`, with its attempts
   * counted from 0 (a fresh schedule). Adds it when absent; leaves a pending one alone
   * (it is going out anyway) and answers `false` then.
   */
  requeue(delivery: WebhookDelivery): Promise<boolean>;
  appendAttempt(attempt: WebhookAttempt): Promise<void>;
  attempts(endpointId: string, eventId?: string): Promise<WebhookAttempt[]>;
}
