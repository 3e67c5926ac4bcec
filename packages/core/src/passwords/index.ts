/**
 * Password hashes imported from other systems, for lazy migration: parse a vendor format into a
 * `PasswordCredential`, bound its cost, verify a password against it. A separate entry point
 * (`@cognito-lifecycle/core/passwords`) so triggers that never verify passwords never bundle
 * bcryptjs or hash-wasm.
 */
export type { Auth0CustomPasswordHash } from "./auth0.ts";
export { auth0CustomCredential, auth0CustomPasswordHashSchema } from "./auth0.ts";
export type { CostEstimate, CostLimits } from "./cost.ts";
export { checkCost, defaultCostLimits, estimateCost } from "./cost.ts";
export type {
  Argon2Credential,
  BcryptCredential,
  CredentialAlgorithm,
  FirebaseScryptCredential,
  PasswordCredential,
  Pbkdf2Credential,
  SaltedDigestCredential,
  ScryptCredential,
} from "./credential.ts";
export { credentialAlgorithms, passwordCredentialSchema, readCredential } from "./credential.ts";
export type { CredentialProblem } from "./errors.ts";
export { CredentialError } from "./errors.ts";
export type { FirebaseHashConfig } from "./firebase.ts";
export { firebaseCredential, firebaseHashConfigSchema, readFirebaseHashConfig } from "./firebase.ts";
export { parsePasswordHash } from "./parse.ts";
export { decoyCredential, verifyPassword } from "./verify.ts";
