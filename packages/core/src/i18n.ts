import type { UserMessageKey } from "./errors.ts";

export { chooseLocale } from "./locale.ts";

/**
 * User-facing messages for refusals. Short and free of internals: Cognito shows them to the
 * user as `<Trigger> failed with error <message>.`, so none ends with a full stop.
 */
const catalogs: Record<string, Partial<Record<UserMessageKey, string>>> = {
  en: {
    signUpNotAllowed: "Sign-up is not available for this account",
    emailDomainNotAllowed: "Please sign up with your work email address",
    disposableEmail: "Please use a permanent email address, not a disposable one",
    inviteOnly: "Sign-up is by invitation only",
    invalidEmail: "Please enter a valid email address",
    accountDisabled: "Your account is disabled. Please contact support",
    temporarilyUnavailable: "Sign-in is temporarily unavailable. Please try again in a moment",
  },
  de: {
    signUpNotAllowed: "Für dieses Konto ist keine Registrierung möglich",
    emailDomainNotAllowed: "Bitte registrieren Sie sich mit Ihrer geschäftlichen E-Mail-Adresse",
    disposableEmail: "Bitte verwenden Sie eine dauerhafte E-Mail-Adresse, keine Wegwerfadresse",
    inviteOnly: "Die Registrierung ist nur auf Einladung möglich",
    invalidEmail: "Bitte geben Sie eine gültige E-Mail-Adresse ein",
    accountDisabled: "Ihr Konto ist deaktiviert. Bitte wenden Sie sich an den Support",
    temporarilyUnavailable:
      "Die Anmeldung ist vorübergehend nicht möglich. Bitte versuchen Sie es gleich noch einmal",
  },
  es: {
    signUpNotAllowed: "El registro no está disponible para esta cuenta",
    emailDomainNotAllowed: "Regístrate con tu dirección de correo del trabajo",
    disposableEmail: "Usa una dirección de correo permanente, no una desechable",
    inviteOnly: "El registro es solo por invitación",
    invalidEmail: "Introduce una dirección de correo válida",
    accountDisabled: "Tu cuenta está desactivada. Ponte en contacto con soporte",
    temporarilyUnavailable:
      "El inicio de sesión no está disponible en este momento. Inténtalo de nuevo en un momento",
  },
};

/** The message in `locale`, falling back to English per message, never to an empty string. */
export function userMessage(key: UserMessageKey, locale: string): string {
  const language = locale.split("-")[0] ?? "en";
  return catalogs[locale]?.[key] ?? catalogs[language]?.[key] ?? (catalogs.en?.[key] as string);
}

export const userMessageLocales: readonly string[] = Object.keys(catalogs);
