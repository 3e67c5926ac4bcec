export type { ExistingUserPool, LifecycleTransforms, Transform } from "../../../stacks/context.ts";
export type { IdentityProviderSetting } from "../../../stacks/settings.ts";
export { CognitoLifecycle, type CognitoLifecycleArgs } from "./component.ts";
