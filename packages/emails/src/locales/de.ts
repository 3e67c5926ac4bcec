import type { Translation } from "../catalog.ts";

/** German, formal ("Sie"), as the refusal messages in core. */
export const de: Translation = {
  "common.greeting": "Hallo {name},",
  "common.greetingNoName": "Hallo,",
  "common.help": "Fragen? Schreiben Sie uns an",

  "signUp.subject": "Bestätigen Sie Ihr {product}-Konto",
  "signUp.preheader": "Geben Sie den Code aus dieser E-Mail ein, um die Registrierung abzuschließen.",
  "signUp.heading": "Bestätigen Sie Ihre E-Mail-Adresse",
  "signUp.intro":
    "Danke für Ihre Registrierung bei {product}. Geben Sie diesen Code ein, um Ihre E-Mail-Adresse zu bestätigen und Ihr Konto fertig einzurichten.",
  "signUp.codeLabel": "Ihr Bestätigungscode",
  "signUp.action": "{product} öffnen",
  "signUp.note": "Wenn Sie sich nicht bei {product} registriert haben, können Sie diese E-Mail ignorieren.",
  "signUp.sms": "{product}: Ihr Bestätigungscode lautet {code}",

  "adminCreateUser.subject": "Ihre Einladung zu {product}",
  "adminCreateUser.preheader": "Hier finden Sie Ihren Benutzernamen und Ihr vorläufiges Passwort.",
  "adminCreateUser.heading": "Sie wurden zu {product} eingeladen",
  "adminCreateUser.intro":
    "Ein Administrator hat ein {product}-Konto für Sie angelegt. Melden Sie sich mit den folgenden Daten an; bei der ersten Anmeldung wählen Sie Ihr eigenes Passwort.",
  "adminCreateUser.usernameLabel": "Benutzername",
  "adminCreateUser.codeLabel": "Vorläufiges Passwort",
  "adminCreateUser.action": "Bei {product} anmelden",
  "adminCreateUser.note":
    "Das vorläufige Passwort gilt nur eine begrenzte Zeit. Ist es abgelaufen, bitten Sie Ihren Administrator um eine neue Einladung.",
  "adminCreateUser.sms": "{product}: Einladung. Benutzername: {username} Vorläufiges Passwort: {code}",

  "resendCode.subject": "Ihr neuer Bestätigungscode für {product}",
  "resendCode.preheader": "Hier ist der neue Code, den Sie angefordert haben.",
  "resendCode.heading": "Hier ist Ihr neuer Code",
  "resendCode.intro":
    "Sie haben einen neuen Bestätigungscode angefordert. Geben Sie ihn ein, um Ihre E-Mail-Adresse zu bestätigen und Ihr {product}-Konto fertig einzurichten.",
  "resendCode.codeLabel": "Ihr Bestätigungscode",
  "resendCode.action": "{product} öffnen",
  "resendCode.note": "Wenn Sie keinen neuen Code angefordert haben, können Sie diese E-Mail ignorieren.",
  "resendCode.sms": "{product}: Ihr neuer Bestätigungscode lautet {code}",

  "forgotPassword.subject": "Setzen Sie Ihr {product}-Passwort zurück",
  "forgotPassword.preheader": "Mit dem Code in dieser E-Mail wählen Sie ein neues Passwort.",
  "forgotPassword.heading": "Passwort zurücksetzen",
  "forgotPassword.intro":
    "Wir haben eine Anfrage erhalten, das Passwort für Ihr {product}-Konto zurückzusetzen. Geben Sie diesen Code ein, um ein neues Passwort zu wählen.",
  "forgotPassword.codeLabel": "Ihr Code zum Zurücksetzen",
  "forgotPassword.action": "Passwort zurücksetzen",
  "forgotPassword.note":
    "Wenn Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren; Ihr Passwort bleibt unverändert.",
  "forgotPassword.sms": "{product}: Ihr Code zum Zurücksetzen des Passworts lautet {code}",

  "updateUserAttribute.subject": "Bestätigen Sie Ihre neue E-Mail-Adresse für {product}",
  "updateUserAttribute.preheader": "Geben Sie den Code ein, um die Änderung zu bestätigen.",
  "updateUserAttribute.heading": "Bestätigen Sie Ihre neue E-Mail-Adresse",
  "updateUserAttribute.intro":
    "Sie haben die E-Mail-Adresse Ihres {product}-Kontos geändert. Geben Sie diesen Code ein, um zu bestätigen, dass diese Adresse Ihnen gehört.",
  "updateUserAttribute.codeLabel": "Ihr Bestätigungscode",
  "updateUserAttribute.action": "{product} öffnen",
  "updateUserAttribute.note":
    "Wenn Sie diese Änderung nicht vorgenommen haben, wenden Sie sich bitte umgehend an uns.",
  "updateUserAttribute.sms": "{product}: Ihr Bestätigungscode lautet {code}",

  "verifyUserAttribute.subject": "Bestätigen Sie Ihre E-Mail-Adresse für {product}",
  "verifyUserAttribute.preheader": "Geben Sie den Code ein, um Ihre E-Mail-Adresse zu bestätigen.",
  "verifyUserAttribute.heading": "Bestätigen Sie Ihre E-Mail-Adresse",
  "verifyUserAttribute.intro":
    "Geben Sie diesen Code in {product} ein, um Ihre E-Mail-Adresse zu bestätigen.",
  "verifyUserAttribute.codeLabel": "Ihr Bestätigungscode",
  "verifyUserAttribute.action": "{product} öffnen",
  "verifyUserAttribute.note": "Wenn Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren.",
  "verifyUserAttribute.sms": "{product}: Ihr Bestätigungscode lautet {code}",

  "authentication.subject": "Ihr Anmeldecode für {product}",
  "authentication.preheader": "Geben Sie den Code ein, um die Anmeldung abzuschließen.",
  "authentication.heading": "Ihr Anmeldecode",
  "authentication.intro":
    "Geben Sie diesen Code ein, um die Anmeldung bei {product} abzuschließen. Er gilt nur einmal und läuft nach wenigen Minuten ab.",
  "authentication.codeLabel": "Ihr Anmeldecode",
  "authentication.note":
    "Wenn Sie nicht gerade versucht haben, sich anzumelden, kennt möglicherweise jemand Ihr Passwort: Ändern Sie es so bald wie möglich. Geben Sie diesen Code niemals weiter.",
  "authentication.sms": "{product}: Ihr Anmeldecode lautet {code}. Geben Sie ihn nicht weiter.",

  "welcome.subject": "Willkommen bei {product}",
  "welcome.preheader": "Ihr Konto ist bereit.",
  "welcome.heading": "Willkommen bei {product}",
  "welcome.intro": "Ihr Konto ist eingerichtet. Schön, dass Sie da sind.",
  "welcome.detail": "Sie haben sich mit {email} registriert.",
  "welcome.action": "Jetzt loslegen",
  "welcome.note": "Sie können sich jederzeit unter {appUrl} anmelden.",
  "welcome.sms": "Willkommen bei {product}! Ihr Konto ist bereit.",
  "accountTakeOver.subject": "Ungewöhnliche Anmeldung bei Ihrem {product}-Konto",
  "accountTakeOver.preheader": "Waren Sie das? Prüfen Sie die Anmeldung unten.",
  "accountTakeOver.heading": "Ungewöhnliche Anmeldung erkannt",
  "accountTakeOver.intro": "Wir haben eine ungewöhnliche Anmeldung bei Ihrem {product}-Konto bemerkt.",
  "accountTakeOver.detail": "Zeitpunkt: {time}. Gerät: {device}. Ort: {location}. IP-Adresse: {ip}.",
  "accountTakeOver.action": "Konto prüfen",
  "accountTakeOver.note":
    "Wenn Sie das waren, können Sie diese E-Mail ignorieren. Wenn nicht, ändern Sie jetzt Ihr Passwort.",
  "accountTakeOver.sms": "{product}: Wir haben eine ungewöhnliche Anmeldung bei Ihrem Konto bemerkt.",
};
