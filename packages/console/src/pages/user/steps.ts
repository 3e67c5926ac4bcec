/** One step of a change as the API reports it (`StepOutcome` in packages/admin). */
export interface StepOutcome {
  step: string;
  ok: boolean;
  error?: string;
}

import type { PlainKey } from "../../i18n/messages.ts";
import type { useI18n } from "../../i18n/useI18n.ts";

const stepNames: Record<string, [done: PlainKey, failed: PlainKey]> = {
  "cognito-disable": ["steps.cognitoDisabled", "steps.cognitoDisableFailed"],
  "sign-out": ["steps.signedOut", "steps.signOutFailed"],
  record: ["steps.recordUpdated", "steps.recordFailed"],
};

/**
 * The outcome of a disable in words, step by step, as the API reported it: never "signed out
 * everywhere" when the sign-out failed.
 */
export function stepsMessage(t: ReturnType<typeof useI18n>["t"], steps: StepOutcome[]): string {
  // No step: the user was disabled already and the API changed nothing.
  if (steps.length === 0) return t("steps.alreadyDisabled");
  const parts = steps.map((step, index) => {
    const names = stepNames[step.step];
    const done = names ? t(names[0]) : step.step;
    const failed = names ? t(names[1]) : t("steps.failed", { step: step.step });
    const text = step.ok ? done : `${failed}${step.error ? ` (${step.error})` : ""}`;
    return index === 0 ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  });
  const signOutFailed = steps.some((step) => step.step === "sign-out" && !step.ok);
  return `${parts.join("; ")}.${signOutFailed ? ` ${t("steps.sessionsMayLast")}` : ""}`;
}
