import type { Catalog } from "../catalog.ts";

/** English: the complete catalog every other locale falls back to, string by string. */
export const en: Catalog = {
  "common.greeting": "Hi {name},",
  "common.greetingNoName": "Hi,",
  "common.help": "Questions? Write to us at",

  "signUp.subject": "Confirm your {product} account",
  "signUp.preheader": "Enter the code in this email to finish signing up.",
  "signUp.heading": "Confirm your email address",
  "signUp.intro":
    "Thanks for signing up for {product}. Enter this code to confirm your email address and finish creating your account.",
  "signUp.codeLabel": "Your confirmation code",
  "signUp.action": "Open {product}",
  "signUp.note": "If you didn't sign up for {product}, you can ignore this email.",
  "signUp.sms": "{product}: your confirmation code is {code}",

  "adminCreateUser.subject": "You're invited to {product}",
  "adminCreateUser.preheader": "Your username and temporary password are inside.",
  "adminCreateUser.heading": "You're invited to {product}",
  "adminCreateUser.intro":
    "An administrator created a {product} account for you. Sign in with the details below; you'll choose your own password the first time you sign in.",
  "adminCreateUser.usernameLabel": "Username",
  "adminCreateUser.codeLabel": "Temporary password",
  "adminCreateUser.action": "Sign in to {product}",
  "adminCreateUser.note":
    "The temporary password expires if you don't use it in time. If it has, ask your administrator for a new invitation.",
  "adminCreateUser.sms": "{product}: you're invited. Username: {username} Temporary password: {code}",

  "resendCode.subject": "Your new {product} confirmation code",
  "resendCode.preheader": "Here's the new code you asked for.",
  "resendCode.heading": "Here's your new code",
  "resendCode.intro":
    "You asked for a new confirmation code. Enter it to confirm your email address and finish creating your {product} account.",
  "resendCode.codeLabel": "Your confirmation code",
  "resendCode.action": "Open {product}",
  "resendCode.note": "If you didn't ask for a new code, you can ignore this email.",
  "resendCode.sms": "{product}: your new confirmation code is {code}",

  "forgotPassword.subject": "Reset your {product} password",
  "forgotPassword.preheader": "Use the code in this email to choose a new password.",
  "forgotPassword.heading": "Reset your password",
  "forgotPassword.intro":
    "We received a request to reset the password for your {product} account. Enter this code to choose a new password.",
  "forgotPassword.codeLabel": "Your password reset code",
  "forgotPassword.action": "Reset password",
  "forgotPassword.note":
    "If you didn't ask to reset your password, you can ignore this email; your password stays the same.",
  "forgotPassword.sms": "{product}: your password reset code is {code}",

  "updateUserAttribute.subject": "Confirm your new email address for {product}",
  "updateUserAttribute.preheader": "Enter the code to confirm the change.",
  "updateUserAttribute.heading": "Confirm your new email address",
  "updateUserAttribute.intro":
    "You changed the email address on your {product} account. Enter this code to confirm that this address is yours.",
  "updateUserAttribute.codeLabel": "Your verification code",
  "updateUserAttribute.action": "Open {product}",
  "updateUserAttribute.note": "If you didn't make this change, contact us right away.",
  "updateUserAttribute.sms": "{product}: your verification code is {code}",

  "verifyUserAttribute.subject": "Verify your email address for {product}",
  "verifyUserAttribute.preheader": "Enter the code to verify your email address.",
  "verifyUserAttribute.heading": "Verify your email address",
  "verifyUserAttribute.intro": "Enter this code in {product} to verify your email address.",
  "verifyUserAttribute.codeLabel": "Your verification code",
  "verifyUserAttribute.action": "Open {product}",
  "verifyUserAttribute.note": "If you didn't ask for this, you can ignore this email.",
  "verifyUserAttribute.sms": "{product}: your verification code is {code}",

  "authentication.subject": "Your {product} sign-in code",
  "authentication.preheader": "Enter the code to finish signing in.",
  "authentication.heading": "Your sign-in code",
  "authentication.intro":
    "Enter this code to finish signing in to {product}. It works only once and expires in a few minutes.",
  "authentication.codeLabel": "Your sign-in code",
  "authentication.note":
    "If you didn't just try to sign in, someone may know your password: change it as soon as you can. Never share this code.",
  "authentication.sms": "{product}: your sign-in code is {code}. Don't share it.",

  "welcome.subject": "Welcome to {product}",
  "welcome.preheader": "Your account is ready.",
  "welcome.heading": "Welcome to {product}",
  "welcome.intro": "Your account is ready, and we're glad you're here.",
  "welcome.detail": "You signed up with {email}.",
  "welcome.action": "Get started",
  "welcome.note": "You can sign in any time at {appUrl}.",
  "welcome.sms": "Welcome to {product}! Your account is ready.",
  "accountTakeOver.subject": "Unusual sign-in to your {product} account",
  "accountTakeOver.preheader": "Was this you? Check the sign-in below.",
  "accountTakeOver.heading": "Unusual sign-in detected",
  "accountTakeOver.intro": "We noticed a sign-in to your {product} account that looked unusual.",
  "accountTakeOver.detail": "When: {time}. Device: {device}. Location: {location}. IP address: {ip}.",
  "accountTakeOver.action": "Review your account",
  "accountTakeOver.note":
    "If this was you, you can ignore this email. If it was not, change your password now.",
  "accountTakeOver.sms": "{product}: we noticed an unusual sign-in to your account.",
};
