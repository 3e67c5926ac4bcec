import { createCipheriv, createHash, pbkdf2, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import bcryptjs from "bcryptjs";
import { argon2i, argon2id } from "hash-wasm";
import { type CostLimits, checkCost, defaultCostLimits } from "./cost.ts";
import { checkShape, type PasswordCredential } from "./credential.ts";

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: Uint8Array,
  salt: Uint8Array,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * For a user no source knows: verify the typed password against this so the answer takes about
 * as long as a real bcrypt check at Auth0's default cost. It is the hash of random bytes that
 * were thrown away, so nothing verifies against it.
 */
export const decoyCredential: PasswordCredential = {
  algorithm: "bcrypt",
  hash: "$2b$10$iqznNTnuvv9zFCcSo5oOleH8E3AupRN8UmnSiKq2f93GHE0QvS/Ue",
};

/** Cognito caps passwords at 256 characters; anything far longer is not a real attempt. */
const maxPasswordBytes = 4096;

/**
 * True when `password` is the one `credential` was made from. Every comparison is constant-time
 * over equal-length buffers. Throws `CredentialError` before any hashing when the credential is
 * malformed or its work factors exceed `limits`; a wrong password is `false`, never an error.
 */
export async function verifyPassword(
  credential: PasswordCredential,
  password: string,
  limits: CostLimits = defaultCostLimits,
): Promise<boolean> {
  checkShape(credential);
  checkCost(credential, limits);
  const passwordBytes = Buffer.from(password, "utf8");
  if (passwordBytes.length === 0 || passwordBytes.length > maxPasswordBytes) return false;
  if (credential.algorithm === "bcrypt") return verifyBcrypt(credential.hash, password, credential.prehash);
  const expected = Buffer.from(credential.hash, "base64");
  return sameBytes(await derive(credential, password, passwordBytes, expected.length), expected);
}

async function derive(
  credential: Exclude<PasswordCredential, { algorithm: "bcrypt" }>,
  password: string,
  passwordBytes: Buffer,
  length: number,
): Promise<Uint8Array> {
  const salt = Buffer.from(credential.salt, "base64");
  switch (credential.algorithm) {
    case "argon2": {
      const argon2 = credential.variant === "argon2id" ? argon2id : argon2i;
      return argon2({
        password: passwordBytes,
        salt,
        iterations: credential.iterations,
        parallelism: credential.parallelism,
        memorySize: credential.memoryKiB,
        hashLength: length,
        outputType: "binary",
      });
    }
    case "scrypt":
      return scryptKey(
        passwordBytes,
        salt,
        length,
        credential.cost,
        credential.blockSize,
        credential.parallelism,
      );
    case "pbkdf2":
      return pbkdf2Async(passwordBytes, salt, credential.iterations, length, credential.digest);
    case "firebase-scrypt":
      return firebaseScrypt(credential, passwordBytes, salt);
    case "salted-digest": {
      // latin1 keeps only the low byte of each character: "ā" would hash like "\u0001".
      if (credential.passwordEncoding === "latin1" && !fitsLatin1(password)) return new Uint8Array(0);
      const encoded = Buffer.from(password, credential.passwordEncoding);
      const input = credential.saltPosition === "prefix" ? [salt, encoded] : [encoded, salt];
      return createHash(credential.digest).update(Buffer.concat(input)).digest();
    }
  }
}

function scryptKey(password: Uint8Array, salt: Uint8Array, length: number, n: number, r: number, p: number) {
  // Node refuses anything over maxmem; the cost limits already bounded 128·N·r.
  return scryptAsync(password, salt, length, { N: n, r, p, maxmem: 128 * n * r + 1024 * 1024 });
}

/**
 * Firebase's modified scrypt: the scrypt key of (salt ‖ separator) encrypts the project's signer
 * key with AES-256-CTR and a zero IV; the stored hash is that ciphertext.
 * @see https://github.com/firebase/scrypt
 */
async function firebaseScrypt(
  credential: Extract<PasswordCredential, { algorithm: "firebase-scrypt" }>,
  password: Buffer,
  salt: Buffer,
): Promise<Uint8Array> {
  const separator = Buffer.from(credential.saltSeparator, "base64");
  const key = await scryptKey(
    password,
    Buffer.concat([salt, separator]),
    32,
    2 ** credential.memCost,
    credential.rounds,
    1,
  );
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.from(credential.signerKey, "base64")), cipher.final()]);
}

async function verifyBcrypt(hash: string, password: string, prehash?: "sha256-hex"): Promise<boolean> {
  const input = prehash ? createHash("sha256").update(password, "utf8").digest("hex") : password;
  const computed = await bcryptjs.hash(input, hash.slice(0, 29));
  return sameBytes(Buffer.from(computed, "utf8"), Buffer.from(hash, "utf8"));
}

function fitsLatin1(text: string): boolean {
  for (const char of text) if ((char.codePointAt(0) ?? 0) > 0xff) return false;
  return true;
}

function sameBytes(actual: Uint8Array, expected: Uint8Array): boolean {
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
