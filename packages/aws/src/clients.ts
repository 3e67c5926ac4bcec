import { AsyncLocalStorage } from "node:async_hooks";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export interface ClientTimeouts {
  /** One request, connection included. */
  requestMs: number;
  /** Attempts per call; the SDK's standard retry strategy backs off between them. */
  maxAttempts: number;
  /** Connecting alone (default: the smaller of `requestMs` and 500 ms). */
  connectionMs?: number;
}

/** Where a client sends its calls, when not to AWS as the SDK's defaults say (the admin tools, tests). */
export interface ClientTarget {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The options of every SDK client we make, for the triggers and the admin tools alike: a
 * connection timeout, a per-request timeout that really ends the request, few attempts,
 * keep-alive on. Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables unless
 * `target` names one, so the same code runs against AWS and the local emulators. Each service's
 * client is made next to its adapter (user-store, mailer, cognito-admin), so a trigger bundles only
 * the SDK clients it uses.
 */
export function clientOptions(
  { requestMs, maxAttempts, connectionMs }: ClientTimeouts,
  { region, endpoint, credentials }: ClientTarget = {},
) {
  return {
    maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: connectionMs ?? Math.min(requestMs, 500),
      requestTimeout: requestMs,
      // Without this, smithy only logs a slow request: the call would hang until the trigger's deadline.
      throwOnRequestTimeout: true,
    }),
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

/** One SDK command as the offline IAM check sees it, before it is sent. */
export interface SdkCall {
  /** e.g. "DynamoDBClient" */
  clientName: string;
  /** e.g. "TransactWriteItemsCommand" (the low-level name, also for lib-dynamodb's commands) */
  commandName: string;
  input: Record<string, unknown>;
  /** The function making the call (`runAs`), if any. */
  principal: string | undefined;
}

/** Throws to fail the call (as AWS would refuse it); returns to let it through. */
export type CallInterceptor = (call: SdkCall) => void | Promise<void>;

let interceptor: CallInterceptor | undefined;
const principals = new AsyncLocalStorage<string>();

/**
 * Installs (or, with undefined, removes) the process-wide interceptor every instrumented client
 * consults. Only the local stack and the tests install one; in a Lambda there is none, and the
 * middleware below just calls the next step.
 */
export function setCallInterceptor(next: CallInterceptor | undefined): void {
  interceptor = next;
}

/** Runs `work` as `principal` (a function name of packages/core/src/least-privilege.ts): its SDK calls are that function's. */
export function runAs<T>(principal: string, work: () => T): T {
  return principals.run(principal, work);
}

export function currentPrincipal(): string | undefined {
  return principals.getStore();
}

interface Instrumentable {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: object }) => Promise<unknown>,
        context: { clientName?: string; commandName?: string },
      ) => (args: { input: object }) => Promise<unknown>,
      options: { step: "initialize"; name: string; override?: boolean },
    ): void;
  };
}

/**
 * Lets the offline IAM check see every command of `client`: step `initialize` runs once per
 * command (not per retry), with the unmarshalled input. Every client factory calls this.
 */
export function instrumentClient<C>(client: C): C {
  (client as unknown as Instrumentable).middlewareStack.add(
    (next, context) => async (args) => {
      if (interceptor) {
        await interceptor({
          clientName: context.clientName ?? "",
          commandName: context.commandName ?? "",
          input: args.input as Record<string, unknown>,
          principal: principals.getStore(),
        });
      }
      return next(args);
    },
    { step: "initialize", name: "offlineIamCheck", override: true },
  );
  return client;
}
