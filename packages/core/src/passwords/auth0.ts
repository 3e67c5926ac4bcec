import * as z from "zod/mini";
import { checkShape, type PasswordCredential } from "./credential.ts";
import { type ByteEncoding, decodeBytes, toBase64 } from "./encoding.ts";
import { CredentialError } from "./errors.ts";
import { argon2, bcrypt, pbkdf2Phc } from "./parse.ts";

const encodedValue = z.object({
  value: z.string(),
  encoding: z.optional(z.enum(["base64", "hex", "utf8"])),
});

/**
 * Auth0's bulk-import `custom_password_hash` object.
 * @see https://auth0.com/docs/manage-users/user-migration/bulk-user-import-database-schema-and-examples
 */
export const auth0CustomPasswordHashSchema = z.object({
  algorithm: z.string(),
  hash: z.looseObject({
    value: z.string(),
    encoding: z.optional(z.enum(["base64", "hex", "utf8"])),
    digest: z.optional(z.string()),
    key: z.optional(encodedValue),
  }),
  salt: z.optional(
    z.object({
      value: z.string(),
      encoding: z.optional(z.enum(["base64", "hex", "utf8"])),
      position: z.enum(["prefix", "suffix"]),
    }),
  ),
  password: z.optional(
    z.object({ encoding: z.optional(z.enum(["ascii", "utf8", "utf16le", "ucs2", "latin1", "binary"])) }),
  ),
});

export type Auth0CustomPasswordHash = z.output<typeof auth0CustomPasswordHashSchema>;

/** Auth0's default PBKDF2 iterations when the PHC string omits `i`. */
const auth0Pbkdf2Iterations = 100_000;

/**
 * The credential an Auth0 `custom_password_hash` describes. bcrypt, argon2 and pbkdf2 carry
 * their own string; sha256/sha512 are one salted digest. md4, md5, sha1 and ldap are refused
 * as unsafe, hmac as not supported.
 */
export function auth0CustomCredential(input: Auth0CustomPasswordHash): PasswordCredential {
  const { algorithm } = input;
  const credential = ((): PasswordCredential => {
    switch (algorithm) {
      case "bcrypt":
        return bcrypt(utf8Value(input, "bcrypt"));
      case "argon2":
        return argon2(utf8Value(input, "argon2"));
      case "pbkdf2":
        return pbkdf2Phc(utf8Value(input, "pbkdf2"), auth0Pbkdf2Iterations);
      case "sha256":
      case "sha512":
        return saltedDigest(input, algorithm);
      case "md4":
      case "md5":
      case "sha1":
      case "ldap":
        throw new CredentialError("unsafe", `Auth0 ${algorithm} hashes are refused: the digest is broken`);
      default:
        throw new CredentialError("unsupported", `Auth0 ${algorithm || "(empty)"} hashes are not supported`);
    }
  })();
  checkShape(credential);
  return credential;
}

/** bcrypt, argon2 and pbkdf2 strings come as text and take no separate salt. */
function utf8Value(input: Auth0CustomPasswordHash, algorithm: string): string {
  if ((input.hash.encoding ?? "utf8") !== "utf8") {
    throw new CredentialError("malformed", `Auth0 ${algorithm} hash.encoding must be utf8`);
  }
  if (input.salt) throw new CredentialError("malformed", `Auth0 ${algorithm} takes no salt object`);
  return input.hash.value;
}

function saltedDigest(input: Auth0CustomPasswordHash, digest: "sha256" | "sha512"): PasswordCredential {
  const encoding: ByteEncoding = input.hash.encoding ?? "hex";
  if (encoding === "utf8")
    throw new CredentialError("malformed", `Auth0 ${digest} hash.encoding must be hex or base64`);
  const hash = decodeBytes(input.hash.value, encoding, `Auth0 ${digest} hash`);
  const salt = input.salt
    ? decodeBytes(input.salt.value, input.salt.encoding ?? "utf8", `Auth0 ${digest} salt`)
    : Buffer.alloc(0);
  return {
    algorithm: "salted-digest",
    digest,
    salt: toBase64(salt),
    saltPosition: input.salt?.position ?? "prefix",
    passwordEncoding: passwordEncoding(input.password?.encoding),
    hash: toBase64(hash),
  };
}

/** Node's names: `ascii`/`binary` read as latin1 for the characters they can hold, `ucs2` is UTF-16LE. */
function passwordEncoding(encoding: string | undefined): "utf8" | "utf16le" | "latin1" {
  if (encoding === "utf16le" || encoding === "ucs2") return "utf16le";
  if (encoding === "latin1" || encoding === "binary" || encoding === "ascii") return "latin1";
  return "utf8";
}
