import { readFileSync } from "node:fs";
import { parseImportFile } from "@cognito-lifecycle/admin/import";
import { verifyPassword } from "@cognito-lifecycle/core/passwords";
import { describe, expect, it } from "vitest";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const roleMapping = { Admin: ["admin"], staff: ["member"], owner: ["admin", "member"], admin: ["admin"] };
const knownRoles = ["admin", "member"];

describe("Auth0 bulk import files", () => {
  it("reads every user, canonicalises emails, maps roles and keeps verifiable credentials", async () => {
    const { users, problems } = parseImportFile(fixture("auth0-users.json"), {
      format: "auth0",
      roleMapping,
      knownRoles,
    });
    expect(problems).toEqual([]);
    expect(
      users.map((user) => [user.line, user.email, user.emailVerified, user.roles, user.disabled]),
    ).toEqual([
      [2, "u.star@example.com", true, ["admin"], false],
      [11, "salted@example.com", false, [], false],
      [24, "gigya@example.com", false, [], false],
      [34, "nopassword@example.com", true, [], true],
    ]);
    expect(users[0]).toMatchObject({ sourceId: "auth0|5f1a", name: "Uma Star" });
    expect(await verifyPassword(users[0]!.credential!, "U*U")).toBe(true);
    expect(await verifyPassword(users[1]!.credential!, "hunter2 ünïcode")).toBe(true);
    expect(await verifyPassword(users[2]!.credential!, "Test@123")).toBe(true);
    expect(users[3]!.credential).toBeUndefined();
  });

  it("names every bad record by line and index, and returns no users", () => {
    const { users, problems } = parseImportFile(fixture("auth0-malformed.json"), { format: "auth0" });
    expect(users).toEqual([]);
    expect(problems.map(({ line, index, field }) => [line, index, field])).toEqual([
      [6, 1, "email"],
      [7, 2, "custom_password_hash"],
      [15, 3, "custom_password_hash"],
      [22, 4, "email"],
      [23, 5, "app_metadata.roles"],
      [24, 6, ""],
    ]);
    expect(problems[3]!.message).toBe("repeats the email on line 2");
    expect(problems[2]!.message).toMatch(/md5 hashes are refused/u);
  });
});

describe("Firebase auth:export files", () => {
  const firebaseHashConfig = JSON.parse(fixture("firebase-hash-config.json"));

  it("reads users with the project's hash config; federated users have no credential", async () => {
    const { users, problems } = parseImportFile(fixture("firebase-users.json"), {
      format: "firebase",
      firebaseHashConfig,
      roleMapping,
    });
    expect(problems).toEqual([]);
    expect(users.map((user) => [user.line, user.email, user.roles, user.name])).toEqual([
      [3, "user1@example.com", ["member"], "User One"],
      [17, "federated@example.com", ["admin", "member"], undefined],
    ]);
    expect(await verifyPassword(users[0]!.credential!, "user1password")).toBe(true);
    expect(users[1]!.credential).toBeUndefined();
  });

  it("refuses password hashes without the hash config", () => {
    const { problems } = parseImportFile(fixture("firebase-users.json"), { format: "firebase" });
    expect(problems).toEqual([
      {
        line: 3,
        index: 0,
        field: "passwordHash",
        message: "needs the project's hash config (--hash-config)",
      },
    ]);
  });

  it("refuses a file that is not {users: [...]}", () => {
    expect(parseImportFile("[]", { format: "firebase", firebaseHashConfig }).problems).toEqual([
      { message: 'the file must be {"users": [...]}' },
    ]);
  });
});

describe("plain CSV and JSON", () => {
  it("reads CSV with quoted commas, line breaks and ;-separated roles", async () => {
    const { users, problems } = parseImportFile(fixture("users.csv"), { format: "csv", roleMapping });
    expect(problems).toEqual([]);
    expect(users.map((user) => [user.line, user.sourceId, user.name, user.locale, user.roles])).toEqual([
      [2, "7", "Doe, Jane", "de-DE", ["admin"]],
      [3, "8", 'Multi\r\nline "name"', undefined, []],
      [5, "9", undefined, undefined, []],
    ]);
    expect(await verifyPassword(users[0]!.credential!, "rasmuslerdorf")).toBe(true);
    expect(await verifyPassword(users[1]!.credential!, "lètmein")).toBe(true);
    expect(users[2]!.credential).toBeUndefined();
  });

  it("holds CSV hashes to the declared algorithm and names each bad line", () => {
    const { users, problems } = parseImportFile(fixture("users-malformed.csv"), {
      format: "csv",
      hashAlgorithm: "bcrypt",
    });
    expect(users).toEqual([]);
    expect(problems.map(({ line, field, message }) => [line, field, message])).toEqual([
      [3, "email", "is not a valid email address"],
      [4, "", "has 2 fields, the header has 3"],
      [5, "password_hash", "is argon2, not the declared bcrypt"],
      [6, "password_hash", "Django md5 hashes are refused: the scheme is broken"],
    ]);
  });

  it("refuses at import a hash the migration trigger could not verify in its budget, naming the parameter", () => {
    const scrypt = `$scrypt$ln=17,r=8,p=16$c2FsdHNhbHQ$${Buffer.alloc(64, 3).toString("base64").replace(/=+$/, "")}`;
    const { users, problems } = parseImportFile(`email,password_hash\nslow@example.com,"${scrypt}"\n`, {
      format: "csv",
    });
    expect(users).toEqual([]);
    expect(problems).toEqual([
      { line: 2, field: "password_hash", message: "scrypt N·r·p 16777216 is over the limit of 4194304" },
    ]);
  });

  it("reads plain JSON, including Django argon2 strings", async () => {
    const { users, problems } = parseImportFile(fixture("users.json"), {
      format: "json",
      hashAlgorithm: "argon2",
    });
    expect(problems).toEqual([]);
    expect(users.map((user) => [user.line, user.email, user.locale])).toEqual([
      [2, "argon@example.com", "es"],
      [10, "django-argon@example.com", undefined],
    ]);
    expect(await verifyPassword(users[1]!.credential!, "secret")).toBe(true);
  });

  it("reports invalid JSON, an unclosed CSV quote, an empty file and an unknown mapped role", () => {
    expect(parseImportFile("[{", { format: "json" }).problems[0]!.message).toMatch(
      /^the file is not valid JSON/u,
    );
    expect(parseImportFile('email\n"a@b.co', { format: "csv" }).problems).toEqual([
      { message: "line 2: a quoted field is never closed" },
    ]);
    expect(parseImportFile("[]", { format: "json" }).problems).toEqual([
      { message: "the file holds no users" },
    ]);
    expect(
      parseImportFile("[]", { format: "json", roleMapping: { root: ["superuser"] }, knownRoles }).problems,
    ).toEqual([{ message: "role mapping root -> superuser: unknown role superuser" }]);
  });

  it("refuses emails that are not in canonical form", () => {
    const { problems } = parseImportFile(JSON.stringify([{ email: "ｊａｎｅ@example.com" }]), {
      format: "json",
    });
    expect(problems).toEqual([
      { line: 1, index: 0, field: "email", message: "is not in canonical Unicode form (NFKC)" },
    ]);
  });
});
