import type { ReactNode } from "react";
import { useI18n } from "../i18n/useI18n.ts";
import { LocalePicker } from "./LocalePicker.tsx";

/** The card of the pages before the console opens (sign-in, MFA setup, Not allowed, errors). */
export function AuthCard({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <main id="main" className="auth">
      <div className="auth-card">
        <div className="auth-head">
          <p className="brand">{t("app.name")}</p>
          <LocalePicker />
        </div>
        {children}
      </div>
    </main>
  );
}
