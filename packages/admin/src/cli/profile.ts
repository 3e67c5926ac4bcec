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

async function editProfile({ flags, target, service, runtime, actor, print }: CommandContext): Promise<void> {
  const attributes = attributesFrom(flags.attr);
  const edit: ProfileEdit = {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.locale !== undefined ? { locale: flags.locale } : {}),
    ...(attributes ? { attributes } : {}),
  };
  const record = await service.resolve(target);
  const expectedVersion =
    integer(flags["expected-version"], "expected-version", 1, Number.MAX_SAFE_INTEGER) ?? record.version;
  const result = await new ProfileEditor(runtime, service).edit(actor, record.sub, edit, {
    expectedVersion,
    ...(flags.reason ? { reason: flags.reason } : {}),
  });
  const who = result.user.email ?? result.user.sub;
  print(result, () =>
    result.changes.length === 0
      ? `${who}: nothing to change\n`
      : `${who}: changed ${result.changes.join(", ")} (version ${result.user.version})\n`,
  );
}

/** `users edit`: the profile fields an admin may change (docs/admin.md). */
export const profileCommands: Record<string, Command> = {
  "users edit": {
    needsTarget: "users edit needs a user: a sub or an email",
    checkFlags: (flags) => {
      if (flags.name === undefined && flags.locale === undefined && !flags.attr?.length) {
        throw new UsageError("users edit needs --name, --locale or --attr custom:x=y");
      }
    },
    run: editProfile,
  },
};
