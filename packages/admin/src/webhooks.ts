import {
  activeSecrets,
  deliverWebhook,
  enableWebhookEndpoint,
  newWebhookEndpoint,
  replayEvents,
  rotateWebhookSecret,
  signWebhook,
  validateWebhookUrl,
  type WebhookAttempt,
  type WebhookEndpoint,
  WebhookUrlError,
} from "@cognito-lifecycle/aws/webhooks";
import {
  type AuditAction,
  LifecycleError,
  type LifecycleEventType,
  lifecycleEventSource,
  lifecycleSchemaVersion,
  type RangeReplayReport,
  type WebhookEndpointView,
  type WebhookWithSecret,
} from "@cognito-lifecycle/core";
import { NotFoundError, ValidationError } from "./errors.ts";

export type { WebhookEndpointView, WebhookWithSecret } from "@cognito-lifecycle/core";

import type { AdminRuntime } from "./runtime.ts";

export type ReplayRequest = { eventId: string } | { from: string; to: string };

/** Another admin changed the endpoint since it was read: try again. */
export class WebhookConflictError extends LifecycleError {
  override readonly name = "WebhookConflictError";
  constructor(id: string) {
    super(`Webhook endpoint ${id} changed meanwhile; read it again and retry.`, {
      code: "conflict",
      status: 409,
    });
  }
}

export function endpointView(endpoint: WebhookEndpoint): WebhookEndpointView {
  return {
    ...endpoint,
    secrets: endpoint.secrets.map(({ createdAt, expiresAt }) => ({
      createdAt,
      ...(expiresAt ? { expiresAt } : {}),
    })),
  };
}

/**
 * Audit keys hold `toISOString()` times, so bounds are compared in that form (`...00Z` sorts after
 * `...00.000Z`); a date alone as `to` means the whole of that day.
 */
function canonicalRange(range: { from: string; to: string }): { from: string; to: string } {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(range.to);
  return {
    from: new Date(range.from).toISOString(),
    to: dateOnly ? `${range.to}T23:59:59.999Z` : new Date(range.to).toISOString(),
  };
}

/** The newest secret: the one an added or rotated endpoint signs with from now on. */
function newestSecret(endpoint: WebhookEndpoint): string {
  return endpoint.secrets[endpoint.secrets.length - 1]?.secret as string;
}

/**
 * Webhook endpoint management for the admin API and the CLI: every change is a conditional
 * write of the endpoint and an audit entry (`webhook.*`, subject `webhook:<id>`). URLs pass the
 * SSRF guard (https, public addresses) when added.
 */
export class WebhookAdmin {
  constructor(private readonly runtime: AdminRuntime) {}

  private get store() {
    return this.runtime.webhooks.store;
  }

  private async audit(actor: string, id: string, action: AuditAction, details?: Record<string, unknown>) {
    await this.runtime.store.appendAudit({
      sub: `webhook:${id}`,
      id: this.runtime.newId(),
      at: this.runtime.now().toISOString(),
      actor,
      action,
      ...(details ? { details } : {}),
    });
  }

  async require(id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.store.getEndpoint(id);
    if (!endpoint) throw new NotFoundError(`No webhook endpoint ${id}.`);
    return endpoint;
  }

  /** Writes `next` over `current`, then audits; a concurrent change is a 409. */
  private async replace(
    actor: string,
    current: WebhookEndpoint,
    next: WebhookEndpoint,
    action: AuditAction,
    details?: Record<string, unknown>,
  ): Promise<WebhookEndpoint> {
    if (!(await this.store.putEndpoint(next, current.version))) throw new WebhookConflictError(current.id);
    await this.audit(actor, current.id, action, details);
    return next;
  }

  async add(
    actor: string,
    input: { url: string; eventTypes?: LifecycleEventType[]; description?: string },
  ): Promise<WebhookWithSecret> {
    let url: URL;
    try {
      url = await validateWebhookUrl(input.url, this.runtime.webhooks.policy);
    } catch (error) {
      if (error instanceof WebhookUrlError) throw new ValidationError({ url: error.message }, error.message);
      throw error;
    }
    const endpoint = newWebhookEndpoint({
      id: `wh_${this.runtime.newId().replaceAll("-", "")}`,
      url: url.toString(),
      ...(input.eventTypes ? { eventTypes: input.eventTypes } : {}),
      ...(input.description ? { description: input.description } : {}),
      now: this.runtime.now(),
    });
    if (!(await this.store.putEndpoint(endpoint))) throw new WebhookConflictError(endpoint.id);
    // The host only: a URL path may carry a receiver's token.
    await this.audit(actor, endpoint.id, "webhook.added", {
      host: url.host,
      eventTypes: endpoint.eventTypes,
    });
    return { endpoint: endpointView(endpoint), secret: newestSecret(endpoint) };
  }

  async list(): Promise<WebhookEndpointView[]> {
    const endpoints = await this.store.listEndpoints();
    return endpoints.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(endpointView);
  }

  async get(id: string): Promise<{ endpoint: WebhookEndpointView; pending: number }> {
    const endpoint = await this.require(id);
    return { endpoint: endpointView(endpoint), pending: (await this.store.pending(id)).length };
  }

  async update(
    actor: string,
    id: string,
    input: { eventTypes?: LifecycleEventType[]; description?: string },
  ): Promise<WebhookEndpointView> {
    const current = await this.require(id);
    const next: WebhookEndpoint = {
      ...current,
      ...(input.eventTypes ? { eventTypes: [...new Set(input.eventTypes)].sort() } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      updatedAt: this.runtime.now().toISOString(),
      version: current.version + 1,
    };
    const details = { eventTypes: next.eventTypes };
    return endpointView(await this.replace(actor, current, next, "webhook.updated", details));
  }

  async disable(actor: string, id: string, reason?: string): Promise<WebhookEndpointView> {
    const current = await this.require(id);
    if (current.disabled) return endpointView(current);
    const at = this.runtime.now().toISOString();
    const next: WebhookEndpoint = {
      ...current,
      disabled: { at, reason: reason ? `disabled by an admin: ${reason}` : "disabled by an admin" },
      updatedAt: at,
      version: current.version + 1,
    };
    return endpointView(await this.replace(actor, current, next, "webhook.disabled"));
  }

  async enable(actor: string, id: string): Promise<WebhookEndpointView> {
    const current = await this.require(id);
    if (!current.disabled) return endpointView(current);
    const next = enableWebhookEndpoint(current, this.runtime.now());
    return endpointView(await this.replace(actor, current, next, "webhook.enabled"));
  }

  /** A new secret; the old ones keep signing for `overlapHours` (24 by default). */
  async rotate(actor: string, id: string, overlapHours?: number): Promise<WebhookWithSecret> {
    const current = await this.require(id);
    const next = rotateWebhookSecret(current, this.runtime.now(), {
      ...(overlapHours !== undefined ? { overlapMs: overlapHours * 3_600_000 } : {}),
    });
    const saved = await this.replace(actor, current, next, "webhook.rotated", {
      overlapHours: overlapHours ?? 24,
    });
    return { endpoint: endpointView(saved), secret: newestSecret(saved) };
  }

  /**
   * Sends a signed `webhook.test` event now, outside the queue, and answers how it went; the
   * attempt is logged like any other. Receivers should answer 2xx to types they do not know.
   */
  async test(actor: string, id: string): Promise<WebhookAttempt> {
    const endpoint = await this.require(id);
    const now = this.runtime.now();
    const eventId = `evt_test_${this.runtime.newId().replaceAll("-", "")}`;
    const payload = JSON.stringify({
      id: eventId,
      type: "webhook.test",
      timestamp: now.toISOString(),
      schemaVersion: lifecycleSchemaVersion,
      source: lifecycleEventSource,
      data: { endpointId: id },
    });
    const headers = signWebhook(
      eventId,
      payload,
      activeSecrets(endpoint, now).map((entry) => entry.secret),
      now,
    );
    const outcome = await deliverWebhook(
      { url: endpoint.url, headers: { ...headers }, body: payload },
      { ...this.runtime.webhooks.policy, timeoutMs: 10_000 },
    );
    const common = { endpointId: id, eventId, attempt: 1, at: this.runtime.now().toISOString() };
    const attempt: WebhookAttempt =
      outcome.kind === "response"
        ? {
            ...common,
            outcome: "response",
            status: outcome.status,
            latencyMs: outcome.latencyMs,
            excerpt: outcome.excerpt,
          }
        : { ...common, outcome: outcome.kind, latencyMs: outcome.latencyMs, error: outcome.error };
    await this.store.appendAttempt(attempt);
    await this.audit(actor, id, "webhook.tested", { outcome: attempt.outcome, status: attempt.status });
    return attempt;
  }

  /** The attempt log, newest first. */
  async attempts(id: string, options: { eventId?: string; limit: number }): Promise<WebhookAttempt[]> {
    await this.require(id);
    const attempts = await this.store.attempts(id, options.eventId);
    return attempts.reverse().slice(0, options.limit);
  }

  /**
   * Queues events again for one endpoint: one event (its stored delivery, the same bytes as
   * first sent) or every event committed in a time range (read from the audit items).
   */
  async replay(actor: string, id: string, request: ReplayRequest): Promise<RangeReplayReport> {
    const endpoint = await this.require(id);
    const now = this.runtime.now();
    if ("eventId" in request) {
      const delivery = await this.store.getDelivery(id, request.eventId);
      if (!delivery) {
        throw new NotFoundError(
          `Endpoint ${id} never had event ${request.eventId}; replay the time range it was committed in.`,
        );
      }
      const queued = await this.store.requeue({ ...delivery, nextAttemptAt: now.toISOString() });
      await this.audit(actor, id, "webhook.replayed", { eventId: request.eventId });
      return { queued: queued ? 1 : 0, filtered: 0, alreadyPending: queued ? 0 : 1 };
    }
    const { events, truncated, lastAt } = await this.runtime.webhooks.eventsBetween(canonicalRange(request));
    const report = await replayEvents(this.store, endpoint, events, now);
    await this.audit(actor, id, "webhook.replayed", { from: request.from, to: request.to, ...report });
    return { ...report, truncated, ...(lastAt ? { lastAt } : {}) };
  }
}
