export {
  CognitoLifecycle,
  type CognitoLifecycleArgs,
  type CoreResources,
  type LifecycleNodes,
} from "./component.ts";
export type { ExistingUserPool, LifecycleTransforms, Transform } from "./stacks/context.ts";
export type { IdentityProviderSetting } from "./stacks/settings.ts";
