import { useState } from "react";
import type { CognitoClient, SignInResult } from "../cognito.ts";
import { AuthCard } from "../components/AuthCard.tsx";
import type { Session } from "../session.ts";
import { type Challenge, NewPasswordStep } from "./sign-in/NewPasswordStep.tsx";
import { PasswordStep } from "./sign-in/PasswordStep.tsx";
import { TotpStep } from "./sign-in/TotpStep.tsx";

type Step = { kind: "password" } | ({ kind: "new-password" | "totp" } & Challenge);

/** Sign-in in steps: the password, then Cognito's challenge (a new password, a TOTP code) if any. */
export function SignIn({
  cognito,
  session,
  notice,
}: {
  cognito: CognitoClient;
  session: Session;
  notice: string | undefined;
}) {
  const [step, setStep] = useState<Step>({ kind: "password" });
  // Kept across the steps, so Back returns to the form with the email still in it.
  const [email, setEmail] = useState("");
  const next = (result: SignInResult) => {
    if (result.kind === "signed-in") session.start(result.tokens);
    else setStep({ kind: result.kind, username: result.username, challenge: result.session });
  };
  const back = () => setStep({ kind: "password" });

  return (
    <AuthCard>
      {step.kind === "password" ? (
        <PasswordStep cognito={cognito} notice={notice} email={email} onEmail={setEmail} onResult={next} />
      ) : step.kind === "totp" ? (
        <TotpStep
          cognito={cognito}
          challenge={step}
          onSignedIn={(tokens) => session.start(tokens)}
          onBack={back}
        />
      ) : (
        <NewPasswordStep cognito={cognito} challenge={step} onResult={next} onBack={back} />
      )}
    </AuthCard>
  );
}
