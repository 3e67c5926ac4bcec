import {
  ConfigError,
  checkProfileEdit,
  defineConfig,
  driftOf,
  type LifecycleConfigInput,
  lifecycleEventsFor,
  newUserRecord,
  profileAuditDetails,
  profileChange,
  type UserRecord,
} from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";
import { editOf, valuesOf } from "../../packages/console/src/pages/user/profile/form.ts";

function configError(input: LifecycleConfigInput): string {
  try {
    defineConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected defineConfig to refuse the config");
}

const config = defineConfig({ admin: { editableAttributes: ["custom:department", "custom:team"] } });

const record: UserRecord = newUserRecord(config, {
  sub: "11111111-1111-4111-8111-111111111111",
  username: "u-1",
  attributes: { email: "ada@example.com", name: "Ada Lovelace", locale: "en", "custom:department": "R&D" },
  source: "sign-up",
  now: "2026-11-30T10:00:00.000Z",
});

// Issue #19 feature 6: admin.editableAttributes, validated at load with the bad path named.
describe("admin.editableAttributes in the config", () => {
  it("defaults to none and accepts custom attributes", () => {
    expect(defineConfig().admin.editableAttributes).toEqual([]);
    expect(config.admin.editableAttributes).toEqual(["custom:department", "custom:team"]);
  });

  it.each([
    ["email", /admin\.editableAttributes\.0: is an attribute Cognito verifies or owns/],
    ["phone_number", /admin\.editableAttributes\.0: is an attribute Cognito verifies or owns/],
    ["sub", /admin\.editableAttributes\.0: is an attribute Cognito verifies or owns/],
    ["email_verified", /admin\.editableAttributes\.0: is an attribute Cognito verifies or owns/],
    ["cognito:user_status", /admin\.editableAttributes\.0: is an attribute Cognito verifies or owns/],
    ["name", /admin\.editableAttributes\.0: is always editable/],
    ["given_name", /admin\.editableAttributes\.0: must be a custom attribute such as custom:department/],
    ["custom:way_too_long_attribute_name", /admin\.editableAttributes\.0: must be a custom attribute/],
    ["custom:idp_groups", /admin\.editableAttributes\.0: is federation\.groupsAttribute/],
    ["custom:roles", /admin\.editableAttributes\.0: is named like a role or permission/],
    ["custom:Permissions", /admin\.editableAttributes\.0: is named like a role or permission/],
  ])("refuses %s, naming the path", (name, message) => {
    expect(configError({ admin: { editableAttributes: [name] } })).toMatch(message);
  });

  it("refuses the configured groups attribute and claim names, and duplicates", () => {
    expect(
      configError({
        federation: { groupsAttribute: "custom:teams" },
        claims: { roles: "grants" },
        admin: { editableAttributes: ["custom:teams", "custom:grants", "custom:x", "custom:x"] },
      }),
    ).toMatch(
      /admin\.editableAttributes\.0: is federation\.groupsAttribute[\s\S]*admin\.editableAttributes\.1: is named like a role[\s\S]*admin\.editableAttributes\.3: is listed twice/,
    );
  });
});

describe("checking an edit", () => {
  it("trims values and keeps them", () => {
    const checked = checkProfileEdit(config, {
      name: "  Ada King  ",
      locale: " de ",
      attributes: { "custom:team": " Engines " },
    });
    expect(checked.problems).toEqual({});
    expect(checked.edit).toEqual({
      name: "Ada King",
      locale: "de",
      attributes: { "custom:team": "Engines" },
    });
  });

  it("names every bad field: length, empty, locale, attribute not editable, control characters", () => {
    const { problems } = checkProfileEdit(config, {
      name: "x".repeat(257),
      locale: "fr",
      attributes: { "custom:department": "a".repeat(2049), "custom:secret": "x", "custom:team": "a\u0007b" },
    });
    expect(problems).toEqual({
      name: "must be at most 256 characters",
      locale: "must be one of en, de, es",
      "attributes.custom:department": "must be at most 2048 characters",
      "attributes.custom:secret": "is not editable (editable: custom:department, custom:team)",
      "attributes.custom:team": "must not contain control characters",
    });
    expect(checkProfileEdit(config, { name: "   " }).problems).toEqual({
      name: "must not be empty (null clears the field)",
    });
    expect(checkProfileEdit(config, {}).problems).toEqual({
      "(body)": "give at least one of name, locale or attributes",
    });
  });

  it("takes null to clear name, locale and an editable attribute; never anything else", () => {
    const cleared = checkProfileEdit(config, {
      name: null,
      locale: null,
      attributes: { "custom:team": null },
    });
    expect(cleared).toEqual({
      edit: { name: null, locale: null, attributes: { "custom:team": null } },
      problems: {},
    });
    expect(
      checkProfileEdit(config, {
        attributes: { email: null, email_verified: null, "custom:idp_groups": null, "custom:secret": null },
      }).problems,
    ).toEqual({
      "attributes.email": "is not editable (editable: custom:department, custom:team)",
      "attributes.email_verified": "is not editable (editable: custom:department, custom:team)",
      "attributes.custom:idp_groups": "is not editable (editable: custom:department, custom:team)",
      "attributes.custom:secret": "is not editable (editable: custom:department, custom:team)",
      "(body)": "give at least one of name, locale or attributes",
    });
  });

  it("accepts a value of exactly Cognito's 2048 characters", () => {
    expect(checkProfileEdit(config, { attributes: { "custom:team": "é".repeat(2048) } }).problems).toEqual(
      {},
    );
  });
});

describe("what an edit changes", () => {
  it("only what differs; the audit keeps the name's values out and the others' in", () => {
    const change = profileChange(record, {
      name: "Ada King",
      locale: "en",
      attributes: { "custom:department": "R&D", "custom:team": "Engines" },
    });
    expect(change).toEqual({
      cognito: { name: "Ada King", "custom:team": "Engines" },
      cleared: [],
      fields: {
        name: "Ada King",
        customAttributes: { "custom:department": "R&D", "custom:team": "Engines" },
      },
      changes: ["name", "custom:team"],
    });
    expect(profileAuditDetails(record, change)).toEqual({
      changes: ["name", "custom:team"],
      before: { "custom:team": null },
      after: { "custom:team": "Engines" },
    });
    expect(JSON.stringify(profileAuditDetails(record, change))).not.toContain("Ada");
  });

  it("clears with null: Cognito deletes the attributes, the record loses the fields, the audit keeps null after", () => {
    const change = profileChange(record, { locale: null, attributes: { "custom:department": null } });
    expect(change).toEqual({
      cognito: {},
      cleared: ["locale", "custom:department"],
      fields: { locale: undefined, customAttributes: undefined },
      changes: ["locale", "custom:department"],
    });
    expect(profileAuditDetails(record, change)).toEqual({
      changes: ["locale", "custom:department"],
      cleared: ["locale", "custom:department"],
      before: { locale: "en", "custom:department": "R&D" },
      after: { locale: null, "custom:department": null },
    });
    const withTeam = { ...record, customAttributes: { "custom:department": "R&D", "custom:team": "T" } };
    expect(
      profileChange(withTeam, { attributes: { "custom:team": null, "custom:department": "Ops" } }),
    ).toEqual({
      cognito: { "custom:department": "Ops" },
      cleared: ["custom:team"],
      fields: { customAttributes: { "custom:department": "Ops" } },
      changes: ["custom:team", "custom:department"],
    });
    // Clearing what is not set changes nothing.
    expect(profileChange(withTeam, { locale: "en", attributes: { "custom:other": null } }).changes).toEqual(
      [],
    );
  });

  it("a cleared name keeps the name Cognito's other attributes give, as resync would", () => {
    expect(profileChange(record, { name: null })).toMatchObject({
      cleared: ["name"],
      fields: { name: undefined },
      changes: ["name"],
    });
    expect(profileChange(record, { name: null }, { name: "Ada King" })).toMatchObject({
      cleared: ["name"],
      fields: { name: "Ada King" },
      changes: ["name"],
    });
    // The name shown would not change: nothing to write.
    expect(profileChange(record, { name: null }, { name: "Ada Lovelace" }).changes).toEqual([]);
    const cleared = profileChange(record, { name: null });
    expect(JSON.stringify(profileAuditDetails(record, cleared))).not.toContain("Ada");
  });

  it("a clear is a user.updated event naming the fields, its record without them", () => {
    const change = profileChange(record, { name: null, attributes: { "custom:department": null } });
    const { name: _name, customAttributes: _attributes, ...rest } = record;
    const after: UserRecord = { ...rest, version: record.version + 1 };
    expect({ ...record, ...change.fields, version: record.version + 1 }).toEqual({
      ...after,
      name: undefined,
      customAttributes: undefined,
    });
    const audit = {
      id: "a2",
      at: "2026-11-30T10:02:00.000Z",
      sub: record.sub,
      actor: "x",
      action: "user.profile_updated" as const,
    };
    const [event] = lifecycleEventsFor({ audit, before: record, after });
    expect(event?.type).toBe("user.updated");
    expect(event?.data.changes).toEqual(["name", "customAttributes"]);
    expect(event?.data.record?.name).toBeUndefined();
  });

  it("an edit to a custom attribute alone is a user.updated event naming the field", () => {
    const after: UserRecord = {
      ...record,
      customAttributes: { "custom:department": "Sales" },
      version: record.version + 1,
    };
    const audit = {
      id: "a1",
      at: "2026-11-30T10:01:00.000Z",
      sub: record.sub,
      actor: "x",
      action: "user.profile_updated" as const,
    };
    const [event] = lifecycleEventsFor({ audit, before: record, after });
    expect(event?.type).toBe("user.updated");
    expect(event?.data.changes).toEqual(["customAttributes"]);
    expect(event?.data.record?.customAttributes).toEqual({ "custom:department": "Sales" });
  });

  it("drift finds an editable attribute changed in Cognito, in any key order", () => {
    const user = {
      username: "u-1",
      enabled: true,
      attributes: {
        email: "ada@example.com",
        name: "Ada Lovelace",
        locale: "en",
        "custom:department": "Sales",
      },
    };
    expect(driftOf(record, user, [], config).fields).toEqual({
      customAttributes: { "custom:department": "Sales" },
    });
    const same = { ...record, customAttributes: { "custom:team": "T", "custom:department": "Sales" } };
    const both = { ...user, attributes: { ...user.attributes, "custom:team": "T" } };
    expect(driftOf(same, both, [], config).changes).toEqual([]);
  });
});

describe("the console's profile form", () => {
  const base = valuesOf(record, ["custom:department", "custom:team"]);

  it("sends only what the admin changed; an emptied field (or the locale Not set) is null, a clear", () => {
    expect(base).toEqual({
      name: "Ada Lovelace",
      locale: "en",
      "custom:department": "R&D",
      "custom:team": "",
    });
    expect(editOf(base, base, ["custom:department", "custom:team"])).toEqual({});
    const draft = { ...base, name: "  ", locale: "", "custom:department": "", "custom:team": "Engines" };
    expect(editOf(draft, base, ["custom:department", "custom:team"])).toEqual({
      name: null,
      locale: null,
      attributes: { "custom:department": null, "custom:team": "Engines" },
    });
    // Spaces in a field that was empty change nothing.
    expect(editOf({ ...base, "custom:team": "   " }, base, ["custom:department", "custom:team"])).toEqual({});
  });
});
