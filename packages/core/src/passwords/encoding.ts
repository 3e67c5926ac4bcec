import { CredentialError } from "./errors.ts";

export type ByteEncoding = "base64" | "hex" | "utf8";

const base64Shape = /^[A-Za-z0-9+/]*={0,2}$/u;
const hexShape = /^(?:[0-9a-fA-F]{2})*$/u;

/**
 * Strict standard base64, padding optional. `Buffer.from(…, "base64")` alone skips characters
 * it does not know, which would let a corrupted hash decode to something shorter.
 */
export function decodeBase64(value: string, what: string): Buffer {
  const unpadded = value.replace(/=+$/u, "");
  if (!base64Shape.test(value) || unpadded.length % 4 === 1) {
    throw new CredentialError("malformed", `${what} is not valid base64`);
  }
  return Buffer.from(unpadded, "base64");
}

/** PHC strings and passlib use base64 without padding; passlib writes `.` for `+`. */
export function decodePhcBase64(value: string, what: string): Buffer {
  return decodeBase64(value.replaceAll(".", "+"), what);
}

export function decodeBytes(value: string, encoding: ByteEncoding, what: string): Buffer {
  if (encoding === "base64") return decodeBase64(value, what);
  if (encoding === "hex") {
    if (!hexShape.test(value)) throw new CredentialError("malformed", `${what} is not valid hex`);
    return Buffer.from(value, "hex");
  }
  return Buffer.from(value, "utf8");
}

/** Credentials keep bytes as standard padded base64, so they store as plain JSON. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** Parses a decimal parameter; refuses signs, fractions, leading zeros and absurd sizes. */
export function decimal(value: string | undefined, what: string): number {
  if (value === undefined || !/^(?:0|[1-9][0-9]{0,9})$/u.test(value)) {
    throw new CredentialError("malformed", `${what} is not a whole number`);
  }
  return Number(value);
}
