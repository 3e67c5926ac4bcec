import type { RecordedResource, StackRecord } from "./run-stack.ts";

/** Typed reads of a recorded stack, failing with a readable message when something is absent. */
export class Stack {
  constructor(readonly record: StackRecord) {}

  all(type: string): RecordedResource[] {
    return this.record.resources.filter((resource) => resource.type === type);
  }

  one(type: string, name: string): RecordedResource {
    const found = this.record.resources.filter(
      (resource) => resource.type === type && resource.name === name,
    );
    if (found.length !== 1) {
      const names = this.all(type).map((resource) => resource.name);
      throw new Error(
        `Expected one ${type} named ${name}, found ${found.length} (there are: ${names.join(", ")})`,
      );
    }
    return found[0] as RecordedResource;
  }

  /** A resource created inside the SST component `componentType::componentName`. */
  child(type: string, componentType: string, componentName: string): RecordedResource {
    const parent = `$${componentType}::${componentName}`;
    const found = this.all(type).filter((resource) => resource.parent.endsWith(parent));
    if (found.length !== 1)
      throw new Error(`Expected one ${type} in ${componentType} ${componentName}, found ${found.length}`);
    return found[0] as RecordedResource;
  }

  /** An SST function: its Lambda, its role, its log group and what the CLI was asked to build. */
  fn(id: string) {
    const lambda = this.child("aws:lambda/function:Function", "sst:aws:Function", id);
    const build = this.record.builds.find((request) => request.functionID === id);
    if (!build) throw new Error(`No Runtime.Build request for function ${id}`);
    const role = this.child("aws:iam/role:Role", "sst:aws:Function", id);
    const roleName = typeof role.inputs.name === "string" && role.inputs.name ? role.inputs.name : role.name;
    return {
      lambda,
      inputs: lambda.inputs as unknown as LambdaInputs,
      role,
      /** Policies attached to the role as their own resources (aws.iam.RolePolicy). */
      rolePolicies: this.all("aws:iam/rolePolicy:RolePolicy").filter(
        (policy) => policy.inputs.role === roleName,
      ),
      logGroup: this.child("aws:cloudwatch/logGroup:LogGroup", "sst:aws:Function", id),
      build,
      arn: `arn:aws:lambda:us-east-1:123456789012:function:${String(lambda.inputs.name)}`,
    };
  }

  /** The SST function id whose Lambda has this ARN. */
  functionIdOf(arn: unknown): string | undefined {
    const name = String(arn).split(":function:")[1];
    const lambda = this.all("aws:lambda/function:Function").find((resource) => resource.inputs.name === name);
    return lambda?.parent.split("sst:aws:Function::")[1];
  }
}

export interface LambdaInputs {
  name: string;
  handler: string;
  runtime: string;
  architectures: string[];
  memorySize: number;
  timeout: number;
  role: string;
  environment?: { variables?: Record<string, string> };
}
