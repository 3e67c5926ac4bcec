import {
  escapeHtml,
  type MessageInput,
  type MessageKind,
  type MessageRenderer,
  messageLimits,
  type RenderedMessage,
  truncate,
} from "@cognito-lifecycle/core";
import { type Catalogs, type CopyKey, catalogLanguage, catalogs, interpolate, lookup } from "./catalog.ts";
import { type CompiledTemplates, fillTemplate, type SectionFlag, type Slot } from "./template.ts";

/** How much of each value a message shows. Longer values end in an ellipsis. */
export const displayLimits = {
  productName: 60,
  /** The product name in an SMS, where every character counts. */
  smsProductName: 24,
  name: 64,
  email: 254,
  footerLines: 5,
  footerLine: 200,
  /** Each part of a take-over notice's sign-in (time, device, location, IP). */
  signInPart: 100,
} as const;

/** Where each kind's button leads, under `branding.appUrl`. Links never carry a code: see docs/emails.md. */
export const actionPaths: Readonly<Record<MessageKind, { path: string; withEmail: boolean } | undefined>> = {
  signUp: { path: "/confirm", withEmail: true },
  resendCode: { path: "/confirm", withEmail: true },
  adminCreateUser: { path: "/sign-in", withEmail: true },
  forgotPassword: { path: "/reset-password", withEmail: true },
  updateUserAttribute: { path: "", withEmail: false },
  verifyUserAttribute: { path: "", withEmail: false },
  authentication: undefined,
  welcome: { path: "", withEmail: false },
  accountTakeOver: { path: "", withEmail: false },
};

const defaultColours = { primary: "#1f6feb", background: "#f6f8fa", text: "#1f2328" } as const;

/** Control and bidi-override characters, which can hide or reorder what a reader sees. */
const invisible = /[\p{Cc}\u202a-\u202e\u2066-\u2069]+/gu;

/** One line of display text: no control characters, runs of white space as one space. */
function clean(value: string): string {
  return value.replace(invisible, " ").replace(/\s+/g, " ").trim();
}

/**
 * HTML-escapes a user (or config) value, braces included: Cognito replaces `{####}` and
 * `{username}` wherever they appear, so a name must not be able to spell one.
 */
function userHtml(value: string): string {
  return escapeHtml(value).replace(/\{/g, "&#123;").replace(/\}/g, "&#125;");
}

/** The same protection for plain text and SMS: braces in a value become parentheses. */
function userText(value: string): string {
  return value.replace(/\{/g, "(").replace(/\}/g, ")");
}

function httpUrl(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `appUrl` + `path`, with each parameter URL-encoded. */
export function appLink(appUrl: string, path: string, params: Readonly<Record<string, string>> = {}) {
  const url = httpUrl(appUrl);
  if (!url) return undefined;
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}` || "/";
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

function hexColour(value: string | undefined, fallback: string): string {
  return value && /^#[0-9a-fA-F]{6}$/.test(value) ? value.toLowerCase() : fallback;
}

function channels(hex: string): [number, number, number] {
  return [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16)) as [
    number,
    number,
    number,
  ];
}

function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((channel) => {
    const value = channel / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** `share` of the way from colour `from` to colour `to`. */
function mix(from: string, to: string, share: number): string {
  const a = channels(from);
  const b = channels(to);
  return `#${a
    .map((channel, index) =>
      Math.round(channel + ((b[index] as number) - channel) * share)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

export interface Palette {
  background: string;
  text: string;
  primary: string;
  /** Secondary text: the text colour moved towards the background. */
  muted: string;
  /** Button label: white or near-black, whichever reads better on the primary colour. */
  onPrimary: string;
  /** Hairlines and the code box outline. */
  border: string;
}

export function palette(colours: Partial<Record<"primary" | "background" | "text", string>>): Palette {
  const background = hexColour(colours.background, defaultColours.background);
  const text = hexColour(colours.text, defaultColours.text);
  const primary = hexColour(colours.primary, defaultColours.primary);
  const dark = "#111111";
  return {
    background,
    text,
    primary,
    muted: mix(text, background, 0.35),
    onPrimary: contrast(primary, "#ffffff") >= contrast(primary, dark) ? "#ffffff" : dark,
    border: mix(background, text, 0.12),
  };
}

/** What a message shows of the input: cleaned of invisible characters and cut to display limits. */
function shownValues(input: MessageInput) {
  const { branding } = input;
  const product = truncate(clean(branding.productName), displayLimits.productName) || "Acme";
  const fullEmail = input.email ? clean(input.email) : "";
  const email = truncate(fullEmail, displayLimits.email);
  return {
    product,
    smsProduct: truncate(product, displayLimits.smsProductName),
    name: input.name ? truncate(clean(input.name), displayLimits.name) : "",
    email,
    // A link prefills the address only when it is whole.
    linkEmail: fullEmail === email ? email : "",
    appUrl: httpUrl(branding.appUrl) ? branding.appUrl : "",
    logoUrl: httpUrl(branding.logoUrl)?.toString(),
    supportEmail: clean(branding.supportEmail),
    code: input.codeParameter ?? "",
    username: input.usernameParameter ?? "",
    signIn: shownSignIn(input.signIn),
    colours: palette(branding.colours),
    footerLines: branding.footerLines
      .map(clean)
      .filter(Boolean)
      .slice(0, displayLimits.footerLines)
      .map((line) => truncate(line, displayLimits.footerLine)),
  };
}

type Shown = ReturnType<typeof shownValues>;

/** The risky sign-in's parts as one line each; a part the event lacks shows as a dash. */
function shownSignIn(signIn: MessageInput["signIn"]): Record<"time" | "device" | "location" | "ip", string> {
  const part = (value: string | undefined) => truncate(clean(value ?? ""), displayLimits.signInPart) || "-";
  return {
    time: part(signIn?.time),
    device: part(signIn?.device),
    location: part(signIn?.location),
    ip: part(signIn?.ip),
  };
}

function mapValues<K extends string>(values: Record<K, string>, map: (value: string) => string) {
  return Object.fromEntries(Object.entries<string>(values).map(([key, value]) => [key, map(value)]));
}

/** The catalog strings of one message in the input's locale; optional ones empty when absent. */
function messageStrings(all: Catalogs, input: MessageInput, shown: Shown, actionUrl: string | undefined) {
  const { kind } = input;
  const copy = (key: string) => lookup(all, input.locale, key as CopyKey);
  const optional = (key: string) => (Object.hasOwn(all.en, key) ? copy(key) : "");
  return {
    subject: copy(`${kind}.subject`),
    preheader: copy(`${kind}.preheader`),
    heading: copy(`${kind}.heading`),
    greeting: shown.name ? copy("common.greeting") : copy("common.greetingNoName"),
    intro: copy(`${kind}.intro`),
    detail: (kind === "accountTakeOver" ? input.signIn : shown.email) ? optional(`${kind}.detail`) : "",
    codeLabel: optional(`${kind}.codeLabel`),
    usernameLabel: optional(`${kind}.usernameLabel`),
    action: actionUrl ? optional(`${kind}.action`) : "",
    note: copy(`${kind}.note`),
    help: copy("common.help"),
    sms: copy(`${kind}.sms`),
  };
}

type Strings = ReturnType<typeof messageStrings>;

/** Every template slot's value, escaped for HTML. */
function htmlSlots(
  shown: Shown,
  strings: Strings,
  asHtml: (text: string) => string,
  lang: string,
  subject: string,
  actionUrl: string | undefined,
): Record<Slot, string> {
  const { colours, supportEmail } = shown;
  return {
    lang: escapeHtml(lang),
    subject: escapeHtml(subject),
    preheader: asHtml(strings.preheader),
    productName: userHtml(shown.product),
    appUrl: escapeHtml(shown.appUrl),
    logoUrl: escapeHtml(shown.logoUrl ?? ""),
    heading: asHtml(strings.heading),
    greeting: asHtml(strings.greeting),
    intro: asHtml(strings.intro),
    detail: asHtml(strings.detail),
    codeLabel: asHtml(strings.codeLabel),
    code: escapeHtml(shown.code),
    usernameLabel: asHtml(strings.usernameLabel),
    username: escapeHtml(shown.username),
    action: asHtml(strings.action),
    actionUrl: escapeHtml(actionUrl ?? ""),
    note: asHtml(strings.note),
    help: asHtml(strings.help),
    supportEmail: userHtml(supportEmail),
    supportHref: escapeHtml(`mailto:${supportEmail.replace(/[^A-Za-z0-9@._+-]/g, encodeURIComponent)}`),
    colourBackground: colours.background,
    colourText: colours.text,
    colourPrimary: colours.primary,
    colourMuted: colours.muted,
    colourOnPrimary: colours.onPrimary,
    colourBorder: colours.border,
    footerHtml: shown.footerLines.map(userHtml).join("<br>"),
  };
}

/** The plain-text part: the same content as the HTML, paragraph by paragraph. */
function plainText(
  shown: Shown,
  strings: Strings,
  asText: (text: string) => string,
  actionUrl?: string,
): string {
  const { code, username } = shown;
  const credentials = strings.usernameLabel
    ? [`${asText(strings.usernameLabel)}: ${username}`, `${asText(strings.codeLabel)}: ${code}`]
    : strings.codeLabel
      ? [`${asText(strings.codeLabel)}: ${code}`]
      : [];
  const paragraphs = [
    [userText(shown.product)],
    [asText(strings.heading)],
    [asText(strings.greeting)],
    [asText(strings.intro), ...(strings.detail ? [asText(strings.detail)] : [])],
    credentials,
    strings.action && actionUrl ? [`${asText(strings.action)}: ${actionUrl}`] : [],
    [asText(strings.note)],
    ["-- ", `${asText(strings.help)} ${userText(shown.supportEmail)}`, ...shown.footerLines.map(userText)],
  ];
  return paragraphs
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join("\n"))
    .join("\n\n");
}

/**
 * Builds the branded renderer over compiled templates. Pure and synchronous: string lookups
 * and replacements only, no MJML, no file reads, no network.
 */
export function createRenderer(compiled: CompiledTemplates, all: Catalogs = catalogs): MessageRenderer {
  return (input: MessageInput): RenderedMessage => {
    const { kind, branding } = input;
    const shown = shownValues(input);
    const target = actionPaths[kind];
    const actionUrl =
      target && Object.hasOwn(all.en, `${kind}.action`)
        ? appLink(
            branding.appUrl,
            target.path,
            target.withEmail && shown.linkEmail ? { email: shown.linkEmail } : {},
          )
        : undefined;
    const strings = messageStrings(all, input, shown, actionUrl);

    // The same tokens for every string; each string may use only its own (checked at build time).
    const { product, name, email, appUrl, signIn } = shown;
    const textTokens = {
      product: userText(product),
      name: userText(name),
      email: userText(email),
      appUrl,
      ...mapValues(signIn, userText),
    };
    const htmlTokens = {
      product: userHtml(product),
      name: userHtml(name),
      email: userHtml(email),
      appUrl: escapeHtml(appUrl),
      ...mapValues(signIn, userHtml),
    };
    const asText = (text: string) => interpolate(text, textTokens);
    const asHtml = (text: string) => interpolate(text, htmlTokens, escapeHtml);

    const subject = truncate(asText(strings.subject), messageLimits.subjectChars);
    const values = htmlSlots(shown, strings, asHtml, catalogLanguage(all, input.locale), subject, actionUrl);
    const flags: Record<SectionFlag, boolean> = {
      logo: shown.logoUrl !== undefined,
      footer: shown.footerLines.length > 0,
      detail: strings.detail !== "",
      action: strings.action !== "",
    };
    const body = compiled.bodies[compiled.kinds[kind]] ?? "";
    const html = fillTemplate(compiled.start + body + compiled.end, values, flags);
    const text = plainText(shown, strings, asText, actionUrl);
    const sms = interpolate(strings.sms, {
      product: userText(shown.smsProduct),
      code: shown.code,
      username: shown.username,
    });
    return { subject, html, text, sms };
  };
}
