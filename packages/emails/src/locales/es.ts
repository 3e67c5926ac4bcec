import type { Translation } from "../catalog.ts";

/** Spanish, informal ("tú"), as the refusal messages in core. */
export const es: Translation = {
  "common.greeting": "Hola, {name}:",
  "common.greetingNoName": "Hola:",
  "common.help": "¿Tienes preguntas? Escríbenos a",

  "signUp.subject": "Confirma tu cuenta de {product}",
  "signUp.preheader": "Introduce el código de este correo para terminar el registro.",
  "signUp.heading": "Confirma tu dirección de correo",
  "signUp.intro":
    "Gracias por registrarte en {product}. Introduce este código para confirmar tu dirección de correo y terminar de crear tu cuenta.",
  "signUp.codeLabel": "Tu código de confirmación",
  "signUp.action": "Abrir {product}",
  "signUp.note": "Si no te has registrado en {product}, puedes ignorar este correo.",
  "signUp.sms": "{product}: tu código de confirmación es {code}",

  "adminCreateUser.subject": "Te han invitado a {product}",
  "adminCreateUser.preheader": "Aquí tienes tu nombre de usuario y tu contraseña temporal.",
  "adminCreateUser.heading": "Te han invitado a {product}",
  "adminCreateUser.intro":
    "Un administrador ha creado una cuenta de {product} para ti. Inicia sesión con estos datos; la primera vez elegirás tu propia contraseña.",
  "adminCreateUser.usernameLabel": "Nombre de usuario",
  "adminCreateUser.codeLabel": "Contraseña temporal",
  "adminCreateUser.action": "Iniciar sesión en {product}",
  "adminCreateUser.note":
    "La contraseña temporal caduca si no la usas a tiempo. Si ha caducado, pide a tu administrador una nueva invitación.",
  "adminCreateUser.sms": "{product}: te han invitado. Usuario: {username} Contraseña temporal: {code}",

  "resendCode.subject": "Tu nuevo código de confirmación de {product}",
  "resendCode.preheader": "Aquí tienes el nuevo código que pediste.",
  "resendCode.heading": "Aquí tienes tu nuevo código",
  "resendCode.intro":
    "Has pedido un nuevo código de confirmación. Introdúcelo para confirmar tu dirección de correo y terminar de crear tu cuenta de {product}.",
  "resendCode.codeLabel": "Tu código de confirmación",
  "resendCode.action": "Abrir {product}",
  "resendCode.note": "Si no has pedido un código nuevo, puedes ignorar este correo.",
  "resendCode.sms": "{product}: tu nuevo código de confirmación es {code}",

  "forgotPassword.subject": "Restablece tu contraseña de {product}",
  "forgotPassword.preheader": "Usa el código de este correo para elegir una contraseña nueva.",
  "forgotPassword.heading": "Restablece tu contraseña",
  "forgotPassword.intro":
    "Hemos recibido una solicitud para restablecer la contraseña de tu cuenta de {product}. Introduce este código para elegir una contraseña nueva.",
  "forgotPassword.codeLabel": "Tu código para restablecer la contraseña",
  "forgotPassword.action": "Restablecer contraseña",
  "forgotPassword.note":
    "Si no has pedido restablecer tu contraseña, puedes ignorar este correo; tu contraseña no cambiará.",
  "forgotPassword.sms": "{product}: tu código para restablecer la contraseña es {code}",

  "updateUserAttribute.subject": "Confirma tu nueva dirección de correo en {product}",
  "updateUserAttribute.preheader": "Introduce el código para confirmar el cambio.",
  "updateUserAttribute.heading": "Confirma tu nueva dirección de correo",
  "updateUserAttribute.intro":
    "Has cambiado la dirección de correo de tu cuenta de {product}. Introduce este código para confirmar que esta dirección es tuya.",
  "updateUserAttribute.codeLabel": "Tu código de verificación",
  "updateUserAttribute.action": "Abrir {product}",
  "updateUserAttribute.note": "Si no has hecho este cambio, ponte en contacto con nosotros de inmediato.",
  "updateUserAttribute.sms": "{product}: tu código de verificación es {code}",

  "verifyUserAttribute.subject": "Verifica tu dirección de correo en {product}",
  "verifyUserAttribute.preheader": "Introduce el código para verificar tu dirección de correo.",
  "verifyUserAttribute.heading": "Verifica tu dirección de correo",
  "verifyUserAttribute.intro": "Introduce este código en {product} para verificar tu dirección de correo.",
  "verifyUserAttribute.codeLabel": "Tu código de verificación",
  "verifyUserAttribute.action": "Abrir {product}",
  "verifyUserAttribute.note": "Si no lo has pedido tú, puedes ignorar este correo.",
  "verifyUserAttribute.sms": "{product}: tu código de verificación es {code}",

  "authentication.subject": "Tu código de inicio de sesión de {product}",
  "authentication.preheader": "Introduce el código para terminar de iniciar sesión.",
  "authentication.heading": "Tu código de inicio de sesión",
  "authentication.intro":
    "Introduce este código para terminar de iniciar sesión en {product}. Solo sirve una vez y caduca en unos minutos.",
  "authentication.codeLabel": "Tu código de inicio de sesión",
  "authentication.note":
    "Si no acabas de intentar iniciar sesión, puede que alguien conozca tu contraseña: cámbiala lo antes posible. No compartas nunca este código.",
  "authentication.sms": "{product}: tu código de inicio de sesión es {code}. No lo compartas.",

  "welcome.subject": "Te damos la bienvenida a {product}",
  "welcome.preheader": "Tu cuenta está lista.",
  "welcome.heading": "Te damos la bienvenida a {product}",
  "welcome.intro": "Tu cuenta está lista. Nos alegra tenerte aquí.",
  "welcome.detail": "Te has registrado con {email}.",
  "welcome.action": "Empezar",
  "welcome.note": "Puedes iniciar sesión cuando quieras en {appUrl}.",
  "welcome.sms": "¡Te damos la bienvenida a {product}! Tu cuenta está lista.",
  "accountTakeOver.subject": "Inicio de sesión inusual en tu cuenta de {product}",
  "accountTakeOver.preheader": "¿Fuiste tú? Revisa el inicio de sesión.",
  "accountTakeOver.heading": "Inicio de sesión inusual detectado",
  "accountTakeOver.intro": "Hemos detectado un inicio de sesión inusual en tu cuenta de {product}.",
  "accountTakeOver.detail":
    "Cuándo: {time}. Dispositivo: {device}. Ubicación: {location}. Dirección IP: {ip}.",
  "accountTakeOver.action": "Revisar tu cuenta",
  "accountTakeOver.note": "Si fuiste tú, puedes ignorar este correo. Si no, cambia tu contraseña ahora.",
  "accountTakeOver.sms": "{product}: hemos detectado un inicio de sesión inusual en tu cuenta.",
};
