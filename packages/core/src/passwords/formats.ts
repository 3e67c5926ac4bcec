/**
 * Reading vendor hash formats into credentials, without the verifiers: the import (CLI and admin
 * API) bundles this entry point (`@cognito-lifecycle/core/passwords/formats`) and so never loads
 * bcryptjs or hash-wasm. The full set, verifiers included, is `@cognito-lifecycle/core/passwords`.
 */
export type { Auth0CustomPasswordHash } from "./auth0.ts";
export { auth0CustomCredential, auth0CustomPasswordHashSchema } from "./auth0.ts";
export type { CostLimits } from "./cost.ts";
export { checkCost, defaultCostLimits } from "./cost.ts";
export type { CredentialAlgorithm, PasswordCredential } from "./credential.ts";
export { credentialAlgorithms } from "./credential.ts";
export { CredentialError } from "./errors.ts";
export type { FirebaseHashConfig } from "./firebase.ts";
export { firebaseCredential, readFirebaseHashConfig } from "./firebase.ts";
export { parsePasswordHash } from "./parse.ts";
