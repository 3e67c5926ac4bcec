import type { ProfileEdit } from "@cognito-lifecycle/core";
import { ProfileEditor } from "../profile.ts";
import { type Command, type CommandContext, integer, UsageError } from "./commands.ts";

/** `--attr custom:x=y` (repeatable) as attribute name -> value; the value may contain `=`. */
export function attributesFrom(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const attributes: Record<string, string> = {};
  for (const pair of pairs) {
    const split = pair.indexOf("=");
    if (split < 1)
      throw new UsageError(`--attr needs name=value, such as custom:department=Sales (got "${pair}")`);
    attributes[pair.slice(0, split)] = pair.slice(split + 1);
  }
  return attributes;
}

/** `--clear name,locale,custom:x`: the fields to clear (the API's `null`), each named once. */
export function clearedFrom(list: string | undefined): string[] {
  if (list === undefined) return [];
  const fields = list.split(",").map((field) => field.trim());
  if (fields.some((field) => field === "")) {
    throw new UsageError("--clear needs field names separated by commas, such as name,custom:department");
  }
  return [...new Set(fields)];
}

/** The edit the flags ask for: `--name`, `--locale`, `--attr` set, `--clear` clears (never both for one field). */
export function editFrom(flags: CommandContext["flags"]): ProfileEdit {
  const attributes: Record<string, string | null> = { ...attributesFrom(flags.attr) };
  const edit: ProfileEdit = {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.locale !== undefined ? { locale: flags.locale } : {}),
  };
  for (const field of clearedFrom(flags.clear)) {
    const set = field === "name" || field === "locale" ? edit[field] : attributes[field];
    if (set !== undefined) throw new UsageError(`--clear ${field} and a value for it: give one or the other`);
    if (field === "name" || field === "locale") edit[field] = null;
    else attributes[field] = null;
  }
  return { ...edit, ...(Object.keys(attributes).length > 0 ? { attributes } : {}) };
}

async function editProfile({ flags, target, service, runtime, actor, print }: CommandContext): Promise<void> {
  const edit = editFrom(flags);
  const record = await service.resolve(target);
  const expectedVersion =
    integer(flags["expected-version"], "expected-version", 1, Number.MAX_SAFE_INTEGER) ?? record.version;
  const result = await new ProfileEditor(runtime, service).edit(actor, record.sub, edit, {
    expectedVersion,
    ...(flags.reason ? { reason: flags.reason } : {}),
  });
  const who = result.user.email ?? result.user.sub;
  const cleared = result.cleared ? `; cleared ${result.cleared.join(", ")}` : "";
  print(result, () =>
    result.changes.length === 0
      ? `${who}: nothing to change\n`
      : `${who}: changed ${result.changes.join(", ")}${cleared} (version ${result.user.version})\n`,
  );
}

/** `users edit`: the profile fields an admin may change (docs/admin.md). */
export const profileCommands: Record<string, Command> = {
  "users edit": {
    needsTarget: "users edit needs a user: a sub or an email",
    checkFlags: (flags) => {
      if (flags.name === undefined && flags.locale === undefined && !flags.attr?.length && !flags.clear) {
        throw new UsageError("users edit needs --name, --locale or --attr custom:x=y, or --clear field,...");
      }
    },
    run: editProfile,
  },
};
