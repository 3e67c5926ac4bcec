import * as z from "zod/mini";
import { pureSchema } from "../pure-schema.ts";
import { decodeBase64 } from "./encoding.ts";
import { CredentialError } from "./errors.ts";

/**
 * A password credential imported from another system: the algorithm and every parameter needed
 * to verify a password against it. Bytes are standard base64 strings, so a credential is plain
 * JSON and can be stored as it is. Parse vendor formats with `parsePasswordHash`,
 * `auth0CustomCredential` or `firebaseCredential`; read a stored one back with `readCredential`.
 */
const base64 = /* @__PURE__ */ pureSchema(() => z.string().check(z.minLength(1)));
const positive = /* @__PURE__ */ pureSchema(() => z.number().check(z.int(), z.positive()));

const bcryptCredential = /* @__PURE__ */ pureSchema(() =>
  z.object({
    algorithm: z.literal("bcrypt"),
    /** The 60-character modular crypt string, `$2a$`, `$2b$` or `$2y$`. */
    hash: z.string(),
    /** Django's `bcrypt_sha256`: bcrypt over the hex SHA-256 of the password. */
    prehash: z.optional(z.literal("sha256-hex")),
  }),
);

const argon2Credential = /* @__PURE__ */ pureSchema(() =>
  z.object({
    algorithm: z.literal("argon2"),
    variant: z.enum(["argon2id", "argon2i"]),
    version: z.literal(19),
    memoryKiB: positive,
    iterations: positive,
    parallelism: positive,
    salt: base64,
    hash: base64,
  }),
);

const scryptCredential = /* @__PURE__ */ pureSchema(() =>
  z.object({
    algorithm: z.literal("scrypt"),
    /** N, a power of two. */
    cost: positive,
    blockSize: positive,
    parallelism: positive,
    salt: base64,
    hash: base64,
  }),
);

const pbkdf2Credential = /* @__PURE__ */ pureSchema(() =>
  z.object({
    algorithm: z.literal("pbkdf2"),
    digest: z.enum(["sha1", "sha256", "sha512"]),
    iterations: positive,
    salt: base64,
    hash: base64,
  }),
);

/** Firebase Auth's modified scrypt with the project's hash parameters. */
const firebaseScryptCredential = /* @__PURE__ */ pureSchema(() =>
  z.object({
    algorithm: z.literal("firebase-scrypt"),
    /** log2 of N. */
    memCost: positive,
    rounds: positive,
    saltSeparator: z.string(),
    signerKey: base64,
    salt: base64,
    hash: base64,
  }),
);

/** One salted SHA-2 digest, as Auth0's `custom_password_hash` describes it. */
const saltedDigestCredential = /* @__PURE__ */ pureSchema(() =>
  z.object({
    algorithm: z.literal("salted-digest"),
    digest: z.enum(["sha256", "sha512"]),
    /** Base64 of the salt bytes; empty when the old system used none. */
    salt: z.string(),
    saltPosition: z.enum(["prefix", "suffix"]),
    passwordEncoding: z.enum(["utf8", "utf16le", "latin1"]),
    hash: base64,
  }),
);

export const passwordCredentialSchema = /* @__PURE__ */ pureSchema(() =>
  z.discriminatedUnion("algorithm", [
    bcryptCredential,
    argon2Credential,
    scryptCredential,
    pbkdf2Credential,
    firebaseScryptCredential,
    saltedDigestCredential,
  ]),
);

export const credentialAlgorithms = [
  "bcrypt",
  "argon2",
  "scrypt",
  "pbkdf2",
  "firebase-scrypt",
  "salted-digest",
] as const;

export type PasswordCredential = z.output<typeof passwordCredentialSchema>;
export type CredentialAlgorithm = PasswordCredential["algorithm"];
export type BcryptCredential = z.output<typeof bcryptCredential>;
export type Argon2Credential = z.output<typeof argon2Credential>;
export type ScryptCredential = z.output<typeof scryptCredential>;
export type Pbkdf2Credential = z.output<typeof pbkdf2Credential>;
export type FirebaseScryptCredential = z.output<typeof firebaseScryptCredential>;
export type SaltedDigestCredential = z.output<typeof saltedDigestCredential>;

/** Shorter derived keys make a wrong password match by chance far too easily. */
export const minimumHashBytes = 16;
/**
 * Longer ones are refused: PBKDF2 repeats every iteration once per digest-sized block of output,
 * so a crafted length multiplies its work. 64 bytes covers every format we read (SHA-512's
 * digest, Auth0's `l=64`, Firebase's signer key).
 */
export const maximumHashBytes = 64;
export const bcryptHashShape = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/u;

/** Validates a stored credential (from the table or an import) and checks it is usable. */
export function readCredential(value: unknown): PasswordCredential {
  const result = passwordCredentialSchema.safeParse(value);
  if (!result.success) {
    const algorithm = (value as { algorithm?: unknown } | null)?.algorithm;
    const known = (credentialAlgorithms as readonly unknown[]).includes(algorithm);
    throw new CredentialError(
      known ? "malformed" : "unsupported",
      known
        ? `${String(algorithm)} credential: ${result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`
        : "unknown credential algorithm",
    );
  }
  checkShape(result.data);
  return result.data;
}

/** What the schema cannot say: decodable bytes, sane sizes, a well-formed bcrypt string. */
export function checkShape(credential: PasswordCredential): void {
  const name = credential.algorithm;
  if (credential.algorithm === "bcrypt") {
    const cost = bcryptHashShape.exec(credential.hash)?.[1];
    if (!cost || Number(cost) < 4 || Number(cost) > 31) {
      throw new CredentialError(
        "malformed",
        "bcrypt hash is not a $2a$/$2b$/$2y$ string with a cost of 04-31",
      );
    }
    return;
  }
  const hash = decodeBase64(credential.hash, `${name} hash`);
  if (hash.length < minimumHashBytes) {
    throw new CredentialError("unsafe", `${name} hash is shorter than ${minimumHashBytes} bytes`);
  }
  if (hash.length > maximumHashBytes) {
    throw new CredentialError(
      "too-costly",
      `${name} hash length ${hash.length} bytes is over the limit of ${maximumHashBytes}`,
    );
  }
  const salt = decodeBase64(credential.salt, `${name} salt`);
  if (credential.algorithm === "salted-digest") return;
  if (credential.algorithm === "argon2" && salt.length < 8) {
    throw new CredentialError("malformed", "argon2 salt is shorter than 8 bytes");
  }
  if (credential.algorithm === "scrypt" && !isPowerOfTwo(credential.cost)) {
    throw new CredentialError("malformed", "scrypt cost N must be a power of two above 1");
  }
  if (credential.algorithm === "argon2" && credential.memoryKiB < 8 * credential.parallelism) {
    throw new CredentialError("malformed", "argon2 memory must be at least 8 KiB per lane");
  }
  if (credential.algorithm === "firebase-scrypt") {
    decodeBase64(credential.signerKey, "firebase-scrypt signer key");
    decodeBase64(credential.saltSeparator, "firebase-scrypt salt separator");
  }
}

function isPowerOfTwo(value: number): boolean {
  return value > 1 && Number.isSafeInteger(value) && Number.isInteger(Math.log2(value));
}
