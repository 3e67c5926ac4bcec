import { useState } from "react";
import { ApiError } from "../../api.ts";
import { useApp } from "../../context.tsx";
import { describeCount } from "../../format.ts";
import { messageOf } from "../../load.ts";
import type { LifecycleEventType } from "../../types.ts";
import {
  delivered,
  describeAttempt,
  describeEventTypes,
  type ReplayReport,
  type WebhookAttempt,
  type WebhookEndpointView,
  type WebhookWithSecret,
  webhookPath,
} from "./model.ts";

export interface ActionFailure {
  message: string;
  fields: Record<string, string>;
}

function describeReplay(report: ReplayReport): string {
  const parts = [`Queued ${describeCount(report.queued, "event")} again`];
  if (report.filtered > 0) parts.push(`${report.filtered} left out by the type filter`);
  if (report.alreadyPending > 0) parts.push(`${report.alreadyPending} already pending`);
  const more = report.truncated ? ` Stopped at ${report.lastAt}: replay again from there for the rest.` : "";
  return `${parts.join("; ")}. The dispatcher sends them within a minute.${more}`;
}

/**
 * The changes an admin makes to one endpoint, each reported in words; `rotated` holds the new
 * secret until dismissed (shown once). Each calls `reload` for the endpoint and its attempts.
 */
export function useWebhookActions(id: string, reload: () => void) {
  const { api } = useApp();
  const path = webhookPath(id);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string>();
  const [failure, setFailure] = useState<ActionFailure>();
  const [rotated, setRotated] = useState<WebhookWithSecret>();

  const perform = async (action: () => Promise<string>): Promise<boolean> => {
    setBusy(true);
    setResult(undefined);
    setFailure(undefined);
    try {
      setResult(await action());
      return true;
    } catch (error) {
      setFailure({ message: messageOf(error), fields: error instanceof ApiError ? error.fields : {} });
      return false;
    } finally {
      setBusy(false);
      reload();
    }
  };

  const saveEventTypes = (eventTypes: LifecycleEventType[]) =>
    perform(async () => {
      const { endpoint } = await api.send<{ endpoint: WebhookEndpointView }>("PATCH", path, { eventTypes });
      return `Event types saved: ${describeEventTypes(endpoint.eventTypes)}.`;
    });

  const disable = (reason: string) =>
    perform(async () => {
      await api.send("POST", `${path}/disable`, reason ? { reason } : {});
      return "Endpoint disabled. Its deliveries wait until it is enabled again.";
    });

  const enable = () =>
    perform(async () => {
      await api.send("POST", `${path}/enable`);
      return "Endpoint enabled. Waiting deliveries go out with the next dispatch.";
    });

  const rotate = (overlapHours: number) =>
    perform(async () => {
      const answer = await api.send<WebhookWithSecret>("POST", `${path}/rotate`, { overlapHours });
      setRotated(answer);
      return "Secret rotated.";
    });

  const test = () =>
    perform(async () => {
      const { attempt } = await api.send<{ attempt: WebhookAttempt }>("POST", `${path}/test`);
      const outcome = `${describeAttempt(attempt)} in ${attempt.latencyMs} ms`;
      if (!delivered(attempt))
        throw new ApiError(0, "test_failed", `Test event ${attempt.eventId}: ${outcome}.`);
      return `Test event ${attempt.eventId}: ${outcome}.`;
    });

  const replay = (request: { eventId: string } | { from: string; to: string }) =>
    perform(async () => describeReplay(await api.send<ReplayReport>("POST", `${path}/replay`, request)));

  return {
    busy,
    result,
    failure,
    rotated,
    dismissSecret: () => setRotated(undefined),
    saveEventTypes,
    disable,
    enable,
    rotate,
    test,
    replay,
  };
}
