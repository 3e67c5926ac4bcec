import {
  codelessKinds,
  cognitoPlaceholders,
  type LifecycleConfig,
  type MessageInput,
  type MessageKind,
  messageKinds,
  type RiskySignIn,
} from "@cognito-lifecycle/core";
import { catalogs } from "./catalog.ts";

/**
 * The inputs the build, the tests and the preview render: every kind, every locale, names
 * from none to hostile, and the configured branding next to the worst branding the config
 * schema allows.
 */

/** Cognito's placeholders, defined once in core. */
export { cognitoPlaceholders };

export const sampleNames = {
  none: undefined,
  plain: "Ada Lovelace",
  markup: `<x-injected onclick="alert(1)">Ada</x-injected> & "Bob" O'Neil {####} {username}`,
  /** 10,000 characters, every one of which needs escaping or could spell a placeholder. */
  long: `<b>&"'{##}`.repeat(1000),
} as const satisfies Record<string, string | undefined>;

export type NameCase = keyof typeof sampleNames;

export const sampleEmails = {
  plain: "ada@example.com",
  hostile: `"ada+<x-injected>&{####}"@${"sub.".repeat(55)}example.com`,
} as const;

/** What an account take-over event reports about the sign-in: a usual one and an attacker's. */
export const sampleSignIns = {
  plain: {
    time: "Mon Nov 30 08:15:00 UTC 2026",
    device: "Chrome 131, Windows 10",
    location: "Lyon, France",
    ip: "192.0.2.10",
  },
  hostile: {
    time: `<script>{####}</script>${"&".repeat(120)}`,
    device: `<img src=x onerror=alert(1)> {username} ${"\u202e".repeat(5)}`,
    location: `"Quote's" & <b>{##}</b>`.repeat(10),
    ip: "{####}",
  },
} as const satisfies Record<string, RiskySignIn>;

type Branding = LifecycleConfig["branding"];

/** The largest, most escape-heavy branding the config schema accepts (product names are <= 60). */
export function worstCaseBranding(branding: Branding): Branding {
  return {
    ...branding,
    productName: `A&B <"Quote's"> {####} Labs ${"&".repeat(60)}`.slice(0, 60),
    logoUrl: "https://cdn.example.com/brand/logo.png?v=1&size=<2x>",
    appUrl: 'https://app.example.com/base/?ref=email&campaign="x"',
    colours: { primary: "#ffd33d", background: "#ffffff", text: "#000000" },
    supportEmail: `support+${"x".repeat(40)}@help.example.com`,
    footerLines: Array.from({ length: 8 }, (_, index) => `${index} <&>"'{}`.repeat(40).slice(0, 200)),
  };
}

export interface MatrixCase {
  label: string;
  input: MessageInput;
}

export function sampleInput(
  kind: MessageKind,
  locale: string,
  branding: Branding,
  options: { name?: string | undefined; email?: string; signIn?: RiskySignIn } = {},
): MessageInput {
  return {
    kind,
    locale,
    branding,
    ...(codelessKinds.includes(kind) ? {} : { codeParameter: cognitoPlaceholders.code }),
    ...(kind === "accountTakeOver" ? { signIn: options.signIn ?? sampleSignIns.plain } : {}),
    ...(kind === "adminCreateUser" ? { usernameParameter: cognitoPlaceholders.username } : {}),
    ...(options.name === undefined ? {} : { name: options.name }),
    email: options.email ?? sampleEmails.plain,
  };
}

/** Every locale the config supports plus every locale we have a catalog for. */
export function matrixLocales(config: LifecycleConfig): string[] {
  return [...new Set([...config.locales.supported, ...Object.keys(catalogs)])];
}

/** kind x locale x name x (configured | worst-case branding). */
export function messageMatrix(config: LifecycleConfig): MatrixCase[] {
  const cases: MatrixCase[] = [];
  const brandings = [
    ["configured branding", config.branding, sampleEmails.plain, sampleSignIns.plain],
    ["worst-case branding", worstCaseBranding(config.branding), sampleEmails.hostile, sampleSignIns.hostile],
  ] as const;
  for (const kind of messageKinds) {
    for (const locale of matrixLocales(config)) {
      for (const [nameCase, name] of Object.entries(sampleNames)) {
        for (const [brandingLabel, branding, email, signIn] of brandings) {
          cases.push({
            label: `${kind} ${locale} name=${nameCase} ${brandingLabel}`,
            input: sampleInput(kind, locale, branding, { name, email, signIn }),
          });
        }
      }
    }
  }
  return cases;
}
