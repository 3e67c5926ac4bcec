export * from "./admin-routes.ts";
export type { AuditEvent, LastChange } from "./audit.ts";
export { isUserActor } from "./audit.ts";
export type { ClaimSet, ClaimValue, RoleClaims } from "./claims/index.ts";
export { claimBytes, claimsFor, machineTokenResponse, readListClaim, tokenResponse } from "./claims/index.ts";
export { isReservedClaim, reservedClaims } from "./claims/reserved.ts";
export * from "./cognito-api-calls.ts";
export { disposableDomains } from "./config/disposable-domains.ts";
export type { LifecycleConfig, LifecycleConfigInput } from "./config/schema.ts";
export {
  compiledConfigDefine,
  compiledConfigName,
  configSchema,
  defaultRoleDefinitions,
  defineConfig,
  retentionDefaults,
  withEnvironment,
} from "./config/schema.ts";
export {
  domainMatches,
  emailDomain,
  isCanonicalEmail,
  isPlausibleEmail,
  maskEmail,
  nfkcEmail,
  normaliseEmail,
} from "./email.ts";
export {
  type EmailFeedback,
  emailFeedbackOf,
  isNewerFeedback,
  suppressesOptionalMail,
} from "./email-feedback.ts";
export type { ErrorDescription, LifecycleErrorOptions, UserMessageKey } from "./errors.ts";
export {
  ConfigError,
  describeError,
  describeFields,
  LifecycleError,
  MalformedEventError,
  RoleHolderChangedError,
  StoreUnavailableError,
  UserFacingError,
  UserNotFoundError,
  VersionConflictError,
} from "./errors.ts";
export * from "./events.ts";
export { chooseLocale, userMessage, userMessageLocales } from "./i18n.ts";
export * from "./lifecycle-events.ts";
export * from "./lists.ts";
export {
  cognitoPlaceholders,
  composeMessage,
  fillPlaceholders,
  messageInputFor,
} from "./messages/compose.ts";
export { renderDefaultMessage } from "./messages/default.ts";
export type { CognitoMessageRule, MessageViolation } from "./messages/guard.ts";
export {
  cognitoMessageRules,
  escapeHtml,
  expectedPlaceholders,
  messageViolations,
  truncate,
} from "./messages/guard.ts";
export type {
  MessageInput,
  MessageKind,
  MessageRenderer,
  RenderedMessage,
  RiskySignIn,
} from "./messages/types.ts";
export { codelessKinds, customMessageKinds, messageKinds, messageLimits } from "./messages/types.ts";
export {
  federatedIdentity,
  isTrustedProvider,
  mayLink,
  mayLinkToRecord,
  verifiedByMailbox,
} from "./policy/linking.ts";
export type { SignUpDecision, SignUpRequest, SignUpSource } from "./policy/sign-up.ts";
export { signUpPolicy } from "./policy/sign-up.ts";
export type { ProfileChange, ProfileEdit, ProfileFallbacks } from "./profile.ts";
export {
  checkProfileEdit,
  customAttributesOf,
  editableAttributeProblem,
  holdsChange,
  profileAuditDetails,
  profileChange,
  sameAttributes,
  untouchedSince,
} from "./profile.ts";
export type {
  AuditEntry,
  CognitoUserView,
  Drift,
  RecordFields,
  RecordOrigin,
  SyncedFields,
} from "./record-lifecycle.ts";
export {
  creationAudit,
  driftOf,
  initialRecord,
  initialWelcomeEmail,
  invitePendingIn,
  recordOrigins,
  statusInCognito,
} from "./record-lifecycle.ts";
export {
  effectiveRoles,
  idpGroupsAreFresh,
  permissionsFor,
  rolesFromGroups,
  rolesFromIdpGroups,
  unknownRoles,
} from "./roles.ts";
export * from "./sender-events.ts";
export * from "./triggers.ts";
export * from "./user-search.ts";
export type {
  BootstrapCandidate,
  EmailDeliverability,
  EmailVerificationMethod,
  LinkedIdentity,
  NewRecordInput,
  SignIn,
  UserRecord,
  WelcomeEmailState,
} from "./users.ts";
export {
  deliversIdpGroups,
  displayName,
  emailVerificationMethod,
  initialRoles,
  isBootstrapAdmin,
  isTrue,
  newUserRecord,
  parseIdentities,
  signInHistory,
  sourceOf,
} from "./users.ts";
export type * from "./webhook-api.ts";
