/** One step of a change as the API reports it (`StepOutcome` in packages/admin). */
export interface StepOutcome {
  step: string;
  ok: boolean;
  error?: string;
}

const stepNames: Record<string, [done: string, failed: string]> = {
  "cognito-disable": ["Disabled in Cognito", "Disabling in Cognito failed"],
  "sign-out": ["signed out everywhere", "signing out everywhere failed"],
  record: ["record updated", "updating the record failed"],
};

/**
 * The outcome of a disable in words, step by step, as the API reported it: never "signed out
 * everywhere" when the sign-out failed.
 */
export function stepsMessage(steps: StepOutcome[]): string {
  // No step: the user was disabled already and the API changed nothing.
  if (steps.length === 0) return "The user was already disabled; nothing changed.";
  const parts = steps.map((step, index) => {
    const [done, failed] = stepNames[step.step] ?? [step.step, `${step.step} failed`];
    const text = step.ok ? done : `${failed}${step.error ? ` (${step.error})` : ""}`;
    return index === 0 ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  });
  const signOutFailed = steps.some((step) => step.step === "sign-out" && !step.ok);
  return `${parts.join("; ")}.${signOutFailed ? " Sessions they already have may last until their tokens expire." : ""}`;
}
