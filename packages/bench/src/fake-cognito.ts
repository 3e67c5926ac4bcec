import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface FakeCognitoUser {
  Username: string;
  Attributes: { Name: string; Value: string }[];
  UserStatus: string;
  Enabled: boolean;
  /** Epoch seconds, as the JSON protocol sends dates. */
  UserCreateDate: number;
  UserLastModifiedDate: number;
  groups: string[];
}

const pageLimit = 60;

/** `email = "a@b"` or `email ^= "a"`: the two filter forms ListUsers supports. */
function parseFilter(filter: string | undefined): ((user: FakeCognitoUser) => boolean) | undefined {
  if (!filter) return undefined;
  const match = /^\s*"?([\w:]+)"?\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!match) throw new FakeCognitoError("InvalidParameterException", "Invalid filter");
  const [, name, operator, raw] = match as unknown as [string, string, string, string];
  const value = raw.replace(/\\(.)/g, "$1");
  const attribute = (user: FakeCognitoUser) =>
    name === "username" ? user.Username : user.Attributes.find((entry) => entry.Name === name)?.Value;
  return operator === "="
    ? (user) => attribute(user) === value
    : (user) => attribute(user)?.startsWith(value) === true;
}

class FakeCognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A tiny Cognito user pool API (JSON 1.1 over HTTP) with the calls the triggers and the
 * benchmark make: ListUsers (paged, filtered), AdminGetUser, AdminAddUserToGroup,
 * AdminListGroupsForUser, ListGroups, ListUsersInGroup, AdminLinkProviderForUser. It counts
 * every call by operation.
 */
export class FakeCognito {
  readonly users = new Map<string, FakeCognitoUser>();
  readonly calls = new Map<string, number>();
  readonly links: { destination: string; provider: string; providerUserId: string }[] = [];
  private server: Server | undefined;
  endpoint = "";

  addUser(
    username: string,
    attributes: Record<string, string>,
    options: { status?: string; createdAt?: Date } = {},
  ) {
    const at = Math.floor((options.createdAt ?? new Date()).getTime() / 1000);
    this.users.set(username, {
      Username: username,
      Attributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      UserStatus: options.status ?? "CONFIRMED",
      Enabled: true,
      UserCreateDate: at,
      UserLastModifiedDate: at,
      groups: [],
    });
  }

  callCount(operation?: string): number {
    if (operation) return this.calls.get(operation) ?? 0;
    return [...this.calls.values()].reduce((sum, count) => sum + count, 0);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        send(response, 500, { __type: "InternalErrorException", message: String(error) });
      });
    });
    const server = this.server;
    const port = await new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        if (typeof address === "object" && address) resolve(address.port);
        else reject(new Error("fake Cognito has no port"));
      });
    });
    this.endpoint = `http://127.0.0.1:${port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.slice(target.indexOf(".") + 1);
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
    try {
      send(response, 200, this.answer(operation, input));
    } catch (error) {
      if (error instanceof FakeCognitoError)
        send(response, 400, { __type: error.type, message: error.message });
      else throw error;
    }
  }

  private user(username: unknown): FakeCognitoUser {
    const user = this.users.get(String(username));
    if (!user) throw new FakeCognitoError("UserNotFoundException", "User does not exist.");
    return user;
  }

  private answer(operation: string, input: Record<string, unknown>): Record<string, unknown> {
    switch (operation) {
      case "ListUsers": {
        const filter = parseFilter(input.Filter as string | undefined);
        const all = [...this.users.values()].filter((user) => !filter || filter(user));
        const start = input.PaginationToken ? Number(input.PaginationToken) : 0;
        const limit = Math.min(Number(input.Limit ?? pageLimit), pageLimit);
        const page = all.slice(start, start + limit);
        return {
          Users: page.map(({ groups: _groups, ...user }) => user),
          ...(start + limit < all.length ? { PaginationToken: String(start + limit) } : {}),
        };
      }
      case "AdminGetUser": {
        const { Attributes, groups: _groups, ...user } = this.user(input.Username);
        return { ...user, UserAttributes: Attributes };
      }
      case "AdminAddUserToGroup": {
        const user = this.user(input.Username);
        const group = String(input.GroupName);
        if (!user.groups.includes(group)) user.groups.push(group);
        return {};
      }
      case "AdminListGroupsForUser":
        return { Groups: this.user(input.Username).groups.map((GroupName) => ({ GroupName })) };
      case "ListGroups": {
        const groups = [...new Set([...this.users.values()].flatMap((user) => user.groups))].sort();
        return { Groups: groups.map((GroupName) => ({ GroupName, UserPoolId: input.UserPoolId })) };
      }
      case "ListUsersInGroup": {
        const group = String(input.GroupName);
        const members = [...this.users.values()].filter((user) => user.groups.includes(group));
        const start = input.NextToken ? Number(input.NextToken) : 0;
        const limit = Math.min(Number(input.Limit ?? pageLimit), pageLimit);
        return {
          Users: members.slice(start, start + limit).map(({ groups: _groups, ...user }) => user),
          ...(start + limit < members.length ? { NextToken: String(start + limit) } : {}),
        };
      }
      case "AdminLinkProviderForUser": {
        const destination = input.DestinationUser as { ProviderAttributeValue?: string };
        const source = input.SourceUser as { ProviderName?: string; ProviderAttributeValue?: string };
        this.user(destination.ProviderAttributeValue);
        this.links.push({
          destination: String(destination.ProviderAttributeValue),
          provider: String(source.ProviderName),
          providerUserId: String(source.ProviderAttributeValue),
        });
        return {};
      }
      default:
        throw new FakeCognitoError("InvalidAction", `The fake Cognito does not implement ${operation}`);
    }
  }
}

function send(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  const bytes = Buffer.from(JSON.stringify(body), "utf8");
  response.writeHead(status, {
    "content-type": "application/x-amz-json-1.1",
    "content-length": bytes.length,
    "x-amzn-requestid": "fake-cognito",
  });
  response.end(bytes);
}
