import type {
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookStore,
} from "@cognito-lifecycle/aws/webhooks";

/** A WebhookStore in memory, with the conditional semantics the interface promises. Tests only. */
export class MemoryWebhookStore implements WebhookStore {
  readonly endpoints = new Map<string, WebhookEndpoint>();
  readonly deliveries = new Map<string, WebhookDelivery>();
  readonly log: WebhookAttempt[] = [];

  async putEndpoint(endpoint: WebhookEndpoint, expectedVersion?: number): Promise<boolean> {
    const current = this.endpoints.get(endpoint.id);
    if (expectedVersion === undefined ? current !== undefined : current?.version !== expectedVersion)
      return false;
    this.endpoints.set(endpoint.id, structuredClone(endpoint));
    return true;
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const endpoint = this.endpoints.get(id);
    return endpoint && structuredClone(endpoint);
  }

  async listEndpoints(): Promise<WebhookEndpoint[]> {
    return [...this.endpoints.values()].map((endpoint) => structuredClone(endpoint));
  }

  async enqueue(delivery: WebhookDelivery): Promise<boolean> {
    const key = `${delivery.endpointId}/${delivery.eventId}`;
    if (this.deliveries.has(key)) return false;
    this.deliveries.set(key, structuredClone(delivery));
    return true;
  }

  async pending(endpointId?: string): Promise<WebhookDelivery[]> {
    return [...this.deliveries.values()]
      .filter(
        (delivery) => delivery.status === "pending" && (!endpointId || delivery.endpointId === endpointId),
      )
      .map((delivery) => structuredClone(delivery));
  }

  async updateDelivery(delivery: WebhookDelivery, expectedAttempts: number): Promise<boolean> {
    const key = `${delivery.endpointId}/${delivery.eventId}`;
    if (this.deliveries.get(key)?.attempts !== expectedAttempts) return false;
    this.deliveries.set(key, structuredClone(delivery));
    return true;
  }

  async requeue(delivery: WebhookDelivery): Promise<boolean> {
    const key = `${delivery.endpointId}/${delivery.eventId}`;
    if (this.deliveries.get(key)?.status === "pending") return false;
    this.deliveries.set(key, structuredClone({ ...delivery, status: "pending", attempts: 0 }));
    return true;
  }

  async appendAttempt(attempt: WebhookAttempt): Promise<void> {
    this.log.push(structuredClone(attempt));
  }

  async attempts(endpointId: string, eventId?: string): Promise<WebhookAttempt[]> {
    return this.log.filter(
      (attempt) => attempt.endpointId === endpointId && (!eventId || attempt.eventId === eventId),
    );
  }

  async getDelivery(endpointId: string, eventId: string): Promise<WebhookDelivery | undefined> {
    const delivery = this.deliveries.get(`${endpointId}/${eventId}`);
    return delivery && structuredClone(delivery);
  }
}
