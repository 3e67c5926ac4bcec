import {
  type Argon2Credential,
  bcryptHashShape,
  checkShape,
  type PasswordCredential,
  type Pbkdf2Credential,
} from "./credential.ts";
import { decimal, decodePhcBase64, toBase64 } from "./encoding.ts";
import { CredentialError } from "./errors.ts";

/**
 * Reads a self-describing password hash string:
 * - bcrypt `$2a$`, `$2b$`, `$2y$` (Rails, PHP, Node, Auth0 `password_hash`);
 * - PHC strings: `$argon2id$`/`$argon2i$` (`v=19`), `$pbkdf2-sha1|sha256|sha512$` with
 *   `i=…,l=…` (Auth0) or passlib's bare rounds, `$scrypt$ln=…,r=…,p=…` (passlib);
 * - Django: `pbkdf2_sha256$…`, `pbkdf2_sha1$…`, `argon2$argon2id$…`, `bcrypt$…`, `bcrypt_sha256$…`.
 * Anything else is refused with a `CredentialError` that never repeats the hash.
 * @see https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md
 * @see https://docs.djangoproject.com/en/stable/topics/auth/passwords/
 */
export function parsePasswordHash(encoded: string): PasswordCredential {
  const value = encoded.trim();
  const credential = value.startsWith("$") ? parseModular(value) : parseDjango(value);
  checkShape(credential);
  return credential;
}

function parseModular(value: string): PasswordCredential {
  if (/^\$2[aby]\$/u.test(value)) return bcrypt(value);
  const id = value.slice(1, value.indexOf("$", 1) >>> 0);
  if (id === "argon2id" || id === "argon2i") return argon2(value);
  if (id === "argon2d") throw new CredentialError("unsupported", "argon2d is not a password hash we accept");
  if (id.startsWith("pbkdf2-")) return pbkdf2Phc(value);
  if (id === "scrypt") return phcScrypt(value);
  if (/^(?:1|5|6|2x|md5|apr1)$/u.test(id)) {
    throw new CredentialError("unsafe", `$${id}$ hashes are refused: the scheme is broken or ambiguous`);
  }
  throw new CredentialError("unsupported", "unknown password hash format");
}

export function bcrypt(value: string, prehash?: "sha256-hex"): PasswordCredential {
  if (!bcryptHashShape.test(value)) {
    throw new CredentialError("malformed", "bcrypt hash is not a $2a$/$2b$/$2y$ string with a cost of 04-31");
  }
  return { algorithm: "bcrypt", hash: value, ...(prehash ? { prehash } : {}) };
}

/** `$argon2id$v=19$m=…,t=…,p=…$salt$hash`; version 16 (no `v=`) is refused. */
export function argon2(value: string): Argon2Credential {
  const [, variant, version, params, salt, hash, ...rest] = value.split("$");
  if (!version?.startsWith("v=")) {
    throw new CredentialError("unsupported", "argon2 hashes before version 19 are not supported");
  }
  if (version !== "v=19") throw new CredentialError("unsupported", "argon2 version is not 19");
  if (rest.length > 0 || !salt || !hash)
    throw new CredentialError("malformed", "argon2 hash has wrong parts");
  const fields = phcParams(params, ["m", "t", "p"], "argon2");
  return {
    algorithm: "argon2",
    variant: variant as Argon2Credential["variant"],
    version: 19,
    memoryKiB: fields.m as number,
    iterations: fields.t as number,
    parallelism: fields.p as number,
    salt: toBase64(decodePhcBase64(salt, "argon2 salt")),
    hash: toBase64(decodePhcBase64(hash, "argon2 hash")),
  };
}

/**
 * `$pbkdf2-sha256$i=100000,l=64$salt$hash` (Auth0) or `$pbkdf2-sha256$29000$salt$hash` (passlib).
 * The derived key length is the hash's length; a declared `l` must agree with it. Auth0 lets `i`
 * default (to 100,000), so its reader passes `defaultIterations`.
 */
export function pbkdf2Phc(value: string, defaultIterations?: number): Pbkdf2Credential {
  const [, id, params, salt, hash, ...rest] = value.split("$");
  const digest = id?.slice("pbkdf2-".length);
  if (digest !== "sha1" && digest !== "sha256" && digest !== "sha512") {
    throw new CredentialError("unsupported", "pbkdf2 digest must be sha1, sha256 or sha512");
  }
  if (rest.length > 0 || !salt || !hash || params === undefined) {
    throw new CredentialError("malformed", "pbkdf2 hash has wrong parts");
  }
  const fields = /^\d+$/u.test(params)
    ? { i: decimal(params, "pbkdf2 rounds") }
    : phcParams(params, defaultIterations ? [] : ["i"], "pbkdf2", defaultIterations ? ["i", "l"] : ["l"]);
  const hashBytes = decodePhcBase64(hash, "pbkdf2 hash");
  if (fields.l !== undefined && fields.l !== hashBytes.length) {
    throw new CredentialError("malformed", "pbkdf2 hash length does not match l");
  }
  return {
    algorithm: "pbkdf2",
    digest,
    iterations: fields.i ?? (defaultIterations as number),
    salt: toBase64(decodePhcBase64(salt, "pbkdf2 salt")),
    hash: toBase64(hashBytes),
  };
}

/** passlib's `$scrypt$ln=16,r=8,p=1$salt$hash` (N = 2^ln). */
function phcScrypt(value: string): PasswordCredential {
  const [, , params, salt, hash, ...rest] = value.split("$");
  if (rest.length > 0 || !salt || !hash)
    throw new CredentialError("malformed", "scrypt hash has wrong parts");
  const fields = phcParams(params, ["ln", "r", "p"], "scrypt");
  if ((fields.ln as number) > 40) throw new CredentialError("too-costly", "scrypt ln is over 40");
  return {
    algorithm: "scrypt",
    cost: 2 ** (fields.ln as number),
    blockSize: fields.r as number,
    parallelism: fields.p as number,
    salt: toBase64(decodePhcBase64(salt, "scrypt salt")),
    hash: toBase64(decodePhcBase64(hash, "scrypt hash")),
  };
}

/** `k=v,k=v` with exactly the required keys (plus allowed optional ones), each once. */
function phcParams(
  params: string | undefined,
  required: readonly string[],
  what: string,
  optional: readonly string[] = [],
): Record<string, number | undefined> {
  const fields: Record<string, number | undefined> = {};
  for (const pair of params ? params.split(",") : []) {
    const [key, raw, ...extra] = pair.split("=");
    if (!key || extra.length > 0 || key in fields || ![...required, ...optional].includes(key)) {
      throw new CredentialError("malformed", `${what} parameters are not ${required.join(",")}`);
    }
    fields[key] = decimal(raw, `${what} ${key}`);
  }
  if (required.some((key) => fields[key] === undefined)) {
    throw new CredentialError("malformed", `${what} parameters are not ${required.join(",")}`);
  }
  return fields;
}

/**
 * Django's `<algorithm>$<iterations>$<salt>$<hash>`: the salt is used as its UTF-8 text, the hash
 * is standard base64. `argon2$` and `bcrypt$` wrap the library's own string.
 * @see https://github.com/django/django/blob/main/django/contrib/auth/hashers.py
 */
function parseDjango(value: string): PasswordCredential {
  const separator = value.indexOf("$");
  const algorithm = value.slice(0, separator >>> 0);
  const body = value.slice(separator + 1);
  // Django writes argon2-cffi's `$argon2id$…` after its own `argon2`, so one `$` is shared.
  if (algorithm === "argon2" && /^argon2id?\$/u.test(body)) return argon2(`$${body}`);
  if (algorithm === "bcrypt") return bcrypt(body);
  if (algorithm === "bcrypt_sha256") return bcrypt(body, "sha256-hex");
  if (algorithm === "pbkdf2_sha256" || algorithm === "pbkdf2_sha1") {
    const [iterations, salt, hash, ...rest] = body.split("$");
    if (rest.length > 0 || !salt || !hash)
      throw new CredentialError("malformed", `${algorithm} hash has wrong parts`);
    return {
      algorithm: "pbkdf2",
      digest: algorithm === "pbkdf2_sha256" ? "sha256" : "sha1",
      iterations: decimal(iterations, `${algorithm} iterations`),
      salt: toBase64(Buffer.from(salt, "utf8")),
      hash: toBase64(decodePhcBase64(hash, `${algorithm} hash`)),
    };
  }
  if (/^(?:sha1|md5|unsalted_sha1|unsalted_md5|crypt)$/u.test(algorithm)) {
    throw new CredentialError("unsafe", `Django ${algorithm} hashes are refused: the scheme is broken`);
  }
  throw new CredentialError("unsupported", "unknown password hash format");
}
