/** An IAM statement reduced to what least privilege is about: which actions on which resources. */
export interface Grant {
  actions: string[];
  resources: string[];
  /** The statement's `Condition` block, when it has one. */
  condition?: Record<string, Record<string, unknown>>;
}

interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The Allow statements of a role's inline policies, as grants. */
export function grantsOf(inlinePolicies: unknown): Grant[] {
  if (!Array.isArray(inlinePolicies)) return [];
  return inlinePolicies.flatMap((inline: { policy?: unknown }) => {
    const document = (typeof inline.policy === "string" ? JSON.parse(inline.policy) : inline.policy) as {
      Statement?: PolicyStatement[];
    };
    return (document.Statement ?? []).map((statement) => {
      if (statement.Effect !== "Allow" || statement.NotAction || statement.NotResource) {
        return { actions: [`unexpected statement: ${JSON.stringify(statement)}`], resources: [] };
      }
      return {
        actions: list(statement.Action),
        resources: list(statement.Resource),
        ...(statement.Condition ? { condition: statement.Condition } : {}),
      };
    });
  });
}

/** Who may assume a role, from its trust policy. */
export function trustedPrincipals(assumeRolePolicy: unknown): string[] {
  const document = (
    typeof assumeRolePolicy === "string" ? JSON.parse(assumeRolePolicy) : assumeRolePolicy
  ) as {
    Statement?: PolicyStatement[];
  };
  return (document.Statement ?? []).flatMap((statement) =>
    Object.entries((statement.Principal ?? {}) as Record<string, string | string[]>).flatMap(([kind, ids]) =>
      list(ids).map((id) => `${kind}:${id}`),
    ),
  );
}

const key = (grant: Grant) =>
  `${[...grant.actions].sort().join(",")} ON ${[...grant.resources].sort().join(",")}${grant.condition ? ` IF ${JSON.stringify(grant.condition)}` : ""}`;

/**
 * Everything wrong with `actual` measured against exactly `expected`: wildcard actions or
 * resources, grants that are not expected (wider than needed), and expected grants that are
 * missing. Empty means the function has exactly its least-privilege set.
 */
export function leastPrivilegeProblems(actual: Grant[], expected: Grant[]): string[] {
  const problems: string[] = [];
  for (const grant of actual) {
    for (const action of grant.actions) {
      if (action.includes("*")) problems.push(`wildcard action ${action}`);
    }
    for (const resource of grant.resources) {
      if (resource === "*") problems.push(`action(s) ${grant.actions.join(", ")} on every resource`);
    }
  }
  const want = new Set(expected.map(key));
  const have = new Set(actual.map(key));
  for (const grant of actual) if (!want.has(key(grant))) problems.push(`not expected: ${key(grant)}`);
  for (const grant of expected) if (!have.has(key(grant))) problems.push(`missing: ${key(grant)}`);
  return problems;
}
