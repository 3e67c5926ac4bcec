import { LifecycleError } from "../errors.ts";

/**
 * Why a stored hash cannot be used. `unsupported`: a format we do not read; `unsafe`: one we
 * refuse on purpose (broken digests, too-short hashes); `malformed`: a known format that does
 * not parse; `too-costly`: work factors over the configured limits, which a crafted hash could
 * otherwise use to burn the trigger's 5 s budget.
 */
export type CredentialProblem = "unsupported" | "unsafe" | "malformed" | "too-costly";

/** The message names the format and the problem, never the hash or the password. */
export class CredentialError extends LifecycleError {
  override readonly name = "CredentialError";
  constructor(
    readonly problem: CredentialProblem,
    message: string,
  ) {
    super(message);
  }
}
