// The directory moved to the user table module in @cognito-lifecycle/aws; re-exported for callers of this package.
export type {
  AuditFilter,
  DirectoryOptions,
  PageRequest,
  UserFilter,
  UserSummary,
} from "@cognito-lifecycle/aws";
export { planAuditQuery, planUserQuery, UserDirectory } from "@cognito-lifecycle/aws";
// Drift is a record lifecycle decision in core now; re-exported for callers of this package.
export type { Drift } from "@cognito-lifecycle/core";
export { driftOf } from "@cognito-lifecycle/core";
export type { AccountClientOptions } from "./account-client.ts";
export { AccountRequestError, deleteAccount, exportAccount } from "./account-client.ts";
export { createAdminApp } from "./app.ts";
export type { AuthorizerEvent, AuthorizerResult, CallerContext } from "./authorizer.ts";
export { createAuthorizer } from "./authorizer.ts";
export type { AuthorizerConfig, AuthorizerConfigInput, AuthorizerRoute } from "./authorizer-config.ts";
export {
  authorizerConfigSchema,
  checkAuthorizerConfig,
  defineAuthorizerConfig,
  findRoute,
  pathMatches,
} from "./authorizer-config.ts";
export { BulkActions } from "./bulk/actions.ts";
export type { BackoffOptions, CognitoUser } from "./cognito.ts";
export { AdminCognito, withBackoff } from "./cognito.ts";
export type { CognitoApiCallEvent, SignalOutcome, SignalResult } from "./cognito-api-events.ts";
export {
  applyCognitoApiCall,
  cognitoApiCallEvent,
  identifyUser,
  isHidden,
  signalActor,
} from "./cognito-api-events.ts";
export { csvField, csvHeader, csvRow } from "./csv.ts";
export type { ErrorBody, ErrorCode } from "./errors.ts";
export { AdminError, ConflictError, NotFoundError, ValidationError } from "./errors.ts";
export type {
  AccessRequirement,
  TokenUse,
  TokenVerifier,
  TokenVerifierOptions,
  VerifiedCaller,
} from "./jwt.ts";
export {
  AuthError,
  awsIssuer,
  bearerToken,
  createTokenVerifier,
  ForbiddenError,
  JwksUnavailableError,
  MfaRequiredError,
  RecentSignInRequiredError,
  requireAccess,
  UnauthorizedError,
} from "./jwt.ts";
export type { TokenPreview } from "./preview.ts";
export { previewToken } from "./preview.ts";
export type {
  ChangeKind,
  ReconcileChange,
  ReconcileOptions,
  ReconcileProgress,
  ReconcileReport,
} from "./reconcile.ts";
export { InvalidReconcileCursorError, reconcile } from "./reconcile.ts";
export type { AdminRuntime, RuntimeOverrides } from "./runtime.ts";
export { createAdminRuntime } from "./runtime.ts";
export { createSelfServiceApp, isSelfServiceRoute } from "./self-service.ts";
export type { AdminServer, ConsoleConfig, ServeAdminOptions } from "./server.ts";
export { serveAdmin } from "./server.ts";
export type {
  DataRightsChannel,
  ErasureResult,
  ResyncResult,
  RoleChange,
  StatusChange,
  StepOutcome,
  UserDetail,
} from "./service.ts";
export { AdminService, mentionsUser, privilegedRoles } from "./service.ts";
export type { AdminSettings, StackFile } from "./settings.ts";
export {
  defaultStackFile,
  readStackFile,
  SettingsError,
  settingsFromEnv,
  settingsFromStack,
  tokenSettingsFromEnv,
} from "./settings.ts";
export type { ReplayRequest, WebhookEndpointView, WebhookWithSecret } from "./webhooks.ts";
export { endpointView, WebhookAdmin } from "./webhooks.ts";
