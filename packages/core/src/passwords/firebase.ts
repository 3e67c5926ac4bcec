import * as z from "zod/mini";
import { checkShape, type FirebaseScryptCredential } from "./credential.ts";
import { decodeBase64, toBase64 } from "./encoding.ts";
import { CredentialError } from "./errors.ts";

/**
 * A Firebase project's password hash parameters (console: Authentication > Users > ⋮ > Password
 * hash parameters). Accepts the console's snake_case names or camelCase.
 * @see https://github.com/firebase/scrypt
 */
export const firebaseHashConfigSchema = z.union([
  z.object({
    base64_signer_key: z.string(),
    base64_salt_separator: z.string(),
    rounds: z.number().check(z.int(), z.positive()),
    mem_cost: z.number().check(z.int(), z.positive()),
  }),
  z.object({
    signerKey: z.string(),
    saltSeparator: z.string(),
    rounds: z.number().check(z.int(), z.positive()),
    memCost: z.number().check(z.int(), z.positive()),
  }),
]);

export interface FirebaseHashConfig {
  signerKey: string;
  saltSeparator: string;
  rounds: number;
  memCost: number;
}

export function readFirebaseHashConfig(value: unknown): FirebaseHashConfig {
  const result = firebaseHashConfigSchema.safeParse(value);
  if (!result.success) {
    throw new CredentialError(
      "malformed",
      "Firebase hash config needs base64_signer_key, base64_salt_separator, rounds and mem_cost",
    );
  }
  const config = result.data;
  const normalised =
    "signerKey" in config
      ? config
      : {
          signerKey: config.base64_signer_key,
          saltSeparator: config.base64_salt_separator,
          rounds: config.rounds,
          memCost: config.mem_cost,
        };
  decodeBase64(normalised.signerKey, "Firebase signer key");
  decodeBase64(normalised.saltSeparator, "Firebase salt separator");
  return normalised;
}

/** The credential of one `auth:export` user (`passwordHash`, `salt`, both standard base64). */
export function firebaseCredential(
  user: { passwordHash: string; salt: string },
  config: FirebaseHashConfig,
): FirebaseScryptCredential {
  const credential: FirebaseScryptCredential = {
    algorithm: "firebase-scrypt",
    memCost: config.memCost,
    rounds: config.rounds,
    saltSeparator: toBase64(decodeBase64(config.saltSeparator, "Firebase salt separator")),
    signerKey: toBase64(decodeBase64(config.signerKey, "Firebase signer key")),
    salt: toBase64(decodeBase64(user.salt, "Firebase salt")),
    hash: toBase64(decodeBase64(user.passwordHash, "Firebase password hash")),
  };
  checkShape(credential);
  return credential;
}
