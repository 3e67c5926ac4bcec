// The Pulumi program the infrastructure tests run: sst.config.ts's real run(), with the real SST
// components, under Pulumi mocks. Bundled into .sst/platform (so @pulumi/* resolve from the
// installed platform) and run in a child process; it writes everything it saw to INFRA_RECORD.
import { writeFileSync } from "node:fs";

const account = "123456789012";
const region = "us-east-1";
const userPoolId = `${region}_MockPool`;
const secretSig = "4dabf18193072939515e22adb298388d";

/** Computed outputs AWS would fill in, by resource type. */
function stateFor(type, logicalName, inputs) {
  const name = typeof inputs.name === "string" && inputs.name ? inputs.name : logicalName;
  const arn = (service, resource) => `arn:aws:${service}:${region}:${account}:${resource}`;
  switch (type) {
    case "aws:dynamodb/table:Table":
      return {
        name,
        arn: arn("dynamodb", `table/${name}`),
        streamArn: inputs.streamEnabled
          ? arn("dynamodb", `table/${name}/stream/2030-01-01T00:00:00.000`)
          : "",
      };
    case "aws:sqs/queue:Queue":
      return { name, arn: arn("sqs", name), url: `https://sqs.${region}.amazonaws.com/${account}/${name}` };
    case "aws:cloudwatch/eventBus:EventBus":
      return { name, arn: arn("events", `event-bus/${name}`) };
    case "aws:sesv2/emailIdentity:EmailIdentity":
      return { arn: arn("ses", `identity/${inputs.emailIdentity}`), dkimSigningAttributes: { tokens: [] } };
    case "aws:sesv2/configurationSet:ConfigurationSet": {
      const setName = inputs.configurationSetName || name;
      return { configurationSetName: setName, arn: arn("ses", `configuration-set/${setName}`) };
    }
    case "aws:cognito/userPool:UserPool":
      return {
        arn: arn("cognito-idp", `userpool/${userPoolId}`),
        endpoint: `cognito-idp.${region}.amazonaws.com/${userPoolId}`,
      };
    case "aws:cognito/userPoolClient:UserPoolClient":
      return { clientSecret: "" };
    case "aws:lambda/function:Function":
      return {
        name,
        arn: arn("lambda", `function:${name}`),
        qualifiedArn: arn("lambda", `function:${name}:$LATEST`),
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", `function:${name}`)}/invocations`,
        version: "$LATEST",
      };
    case "aws:iam/role:Role":
      return { name, arn: `arn:aws:iam::${account}:role/${name}` };
    case "aws:apigatewayv2/api:Api":
      return {
        apiEndpoint: `https://${name}.execute-api.${region}.amazonaws.com`,
        executionArn: arn("execute-api", name),
      };
    case "aws:cloudfront/distribution:Distribution":
      return {
        domainName: `${name}.cloudfront.net`,
        hostedZoneId: "Z2FDTNDATAQYW2",
        arn: `arn:aws:cloudfront::${account}:distribution/${name}`,
      };
    case "aws:s3/bucketV2:BucketV2":
    case "aws:s3/bucket:Bucket":
      return {
        bucket: name,
        arn: `arn:aws:s3:::${name}`,
        bucketDomainName: `${name}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
      };
    case "aws:sns/topic:Topic":
      return { name, arn: arn("sns", name) };
    case "aws:kms/key:Key":
      return { arn: arn("kms", `key/${logicalName}-id`), keyId: `${logicalName}-id` };
    default:
      return { arn: arn("mock", name) };
  }
}

/** `conditions: [{ test, variable, values }]` as a policy's `Condition` block. */
function conditionJson(conditions) {
  const block = {};
  for (const { test, variable, values } of conditions) block[test] = { ...block[test], [variable]: values };
  return block;
}

/** IAM JSON as aws.iam.getPolicyDocument renders it. */
function policyJson(statements) {
  const capital = (effect) => (effect ?? "allow").replace(/^./, (c) => c.toUpperCase());
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((statement) => ({
      Effect: capital(statement.effect),
      ...(statement.actions ? { Action: statement.actions } : {}),
      ...(statement.resources ? { Resource: statement.resources } : {}),
      ...(statement.principals
        ? { Principal: Object.fromEntries(statement.principals.map((p) => [p.type, p.identifiers])) }
        : {}),
      ...(statement.conditions?.length ? { Condition: conditionJson(statement.conditions) } : {}),
    })),
  });
}

function answerCall(token, inputs) {
  switch (token) {
    case "aws:index/getRegion:getRegion":
      return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: account, arn: `arn:aws:iam::${account}:user/test`, userId: "AIDMOCK", id: account };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:iam/getPolicyDocument:getPolicyDocument": {
      const statements = inputs.statements ?? [];
      return { json: policyJson(statements), ...(statements.length > 0 ? { statements } : {}), id: "policy" };
    }
    default:
      return { ...inputs, id: `${token}-id` };
  }
}

/** Pulumi's wire format wraps secrets; the record keeps their values (they are test values). */
function unwrap(value) {
  if (Array.isArray(value)) return value.map(unwrap);
  if (value && typeof value === "object") {
    if (value[secretSig] === "1b47061264138c4ac30d75fd1eb44270") return unwrap(value.value);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrap(item)]));
  }
  return value;
}

function describe(error) {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
}

/**
 * Runs `config.run()` under mocks. `$app`, `$cli` and `$dev` are compile-time constants of the
 * bundle (as in the SST CLI); `app` is the same `$app`, passed in for the record.
 */
export async function recordStack({ pulumi, aws, sst, run, config, app }) {
  const out = process.env.INFRA_RECORD;
  if (!out) throw new Error("INFRA_RECORD must be set");
  const record = { app, resources: [], calls: [], outputs: undefined, errors: [] };
  let written = false;
  process.on("unhandledRejection", (error) => {
    if (error?.code === "ERR_TRACE_EVENTS_UNAVAILABLE") return;
    record.errors.push(describe(error));
  });
  process.on("uncaughtException", (error) => record.errors.push(describe(error)));
  process.on("beforeExit", () => {
    if (written) return;
    written = true;
    writeFileSync(out, JSON.stringify(record));
  });
  pulumi.log.error = (message) => {
    record.errors.push(String(message));
    return Promise.resolve();
  };

  globalThis.aws = aws;
  globalThis.sst = sst;

  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: args.type === "aws:cognito/userPool:UserPool" ? userPoolId : `${args.name}-id`,
        state: { ...args.inputs, ...stateFor(args.type, args.name, args.inputs) },
      }),
      call: (args) => {
        record.calls.push(args.token);
        return answerCall(args.token, args.inputs);
      },
    },
    app.name,
    app.stage,
    false,
  );
  const monitor = pulumi.runtime.getMonitor();
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    record.resources.push({
      type: request.getType(),
      name: request.getName(),
      custom: request.getCustom(),
      parent: request.getParent(),
      inputs: unwrap(request.getObject()?.toJavaScript() ?? {}),
      retainOnDelete: request.getRetainondelete() ?? false,
      protect: request.getProtect() ?? false,
      aliases: (request.getAliasesList?.() ?? []).map((alias) => {
        const spec = alias.getSpec?.();
        return spec
          ? { noParent: spec.getNoparent(), parentUrn: spec.getParenturn() }
          : { urn: alias.getUrn?.() };
      }),
    });
    return registerResource(request, callback);
  };

  try {
    // As the Pulumi language host does: the program runs inside the root stack resource.
    const outputs = await pulumi.runtime.runInPulumiStack(() => run(config.run));
    pulumi.all([outputs ?? {}]).apply(([resolved]) => {
      record.outputs = unwrap(resolved);
    });
  } catch (error) {
    record.errors.push(describe(error));
  }
}
