export { CognitoLifecycle, type CognitoLifecycleArgs } from "./component.ts";
export type { ExistingUserPool, LifecycleTransforms, Transform } from "./stacks/context.ts";
export type { IdentityProviderSetting } from "./stacks/settings.ts";
