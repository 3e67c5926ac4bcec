import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

/**
 * Answers one Cognito command that cognito-local 5.3.0 does not implement
 * (AdminUserGlobalSignOut, AdminResetUserPassword, AdminSetUserMFAPreference) at the SDK call,
 * after the offline IAM check has run (that check is an `initialize` middleware; this one is in
 * `build`), and records each input. The test then asserts the exact request AWS would get.
 */
export function standIn(
  client: CognitoIdentityProviderClient,
  commandName: string,
  output: Record<string, unknown> = {},
): { calls: Record<string, unknown>[]; remove(): void } {
  const calls: Record<string, unknown>[] = [];
  const name = `standIn${commandName}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== commandName) return next(args);
      calls.push(args.input as Record<string, unknown>);
      return { output: { $metadata: {}, ...output }, response: {} };
    },
    { step: "build", name, override: true },
  );
  return { calls, remove: () => client.middlewareStack.remove(name) };
}

/**
 * Makes one Cognito command fail with `name` at the SDK call, after the offline IAM check, as
 * Cognito answers what cognito-local does not check (e.g. clearing an attribute a pool requires).
 */
export function refusal(
  client: CognitoIdentityProviderClient,
  commandName: string,
  name: string,
): { calls: Record<string, unknown>[]; remove(): void } {
  const calls: Record<string, unknown>[] = [];
  const middleware = `refuse${commandName}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== commandName) return next(args);
      calls.push(args.input as Record<string, unknown>);
      throw Object.assign(new Error(`${name} from the stand-in`), { name, $fault: "client" });
    },
    { step: "build", name: middleware, override: true },
  );
  return { calls, remove: () => client.middlewareStack.remove(middleware) };
}
