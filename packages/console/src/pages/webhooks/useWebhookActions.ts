import { useState } from "react";
import { ApiError } from "../../api.ts";
import { useApp } from "../../context.tsx";
import { t } from "../../i18n/locale.ts";
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
  const parts = [t("webhook.queued", { count: report.queued })];
  if (report.filtered > 0) parts.push(t("webhook.leftOut", { count: report.filtered }));
  if (report.alreadyPending > 0) parts.push(t("webhook.alreadyPending", { count: report.alreadyPending }));
  const sentence = t("webhook.replaySent", { parts: parts.join("; ") });
  return report.truncated ? t("webhook.replayStopped", { sentence, time: report.lastAt ?? "" }) : sentence;
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
      return t("webhook.typesSaved", { types: describeEventTypes(endpoint.eventTypes) });
    });

  const disable = (reason: string) =>
    perform(async () => {
      await api.send("POST", `${path}/disable`, reason ? { reason } : {});
      return t("webhook.disabled");
    });

  const enable = () =>
    perform(async () => {
      await api.send("POST", `${path}/enable`);
      return t("webhook.enabled");
    });

  const rotate = (overlapHours: number) =>
    perform(async () => {
      const answer = await api.send<WebhookWithSecret>("POST", `${path}/rotate`, { overlapHours });
      setRotated(answer);
      return t("webhook.rotated");
    });

  const test = () =>
    perform(async () => {
      const { attempt } = await api.send<{ attempt: WebhookAttempt }>("POST", `${path}/test`);
      const outcome = t("webhook.testOutcome", {
        event: attempt.eventId,
        outcome: describeAttempt(attempt),
        ms: attempt.latencyMs,
      });
      if (!delivered(attempt)) throw new ApiError(0, "test_failed", outcome);
      return outcome;
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
