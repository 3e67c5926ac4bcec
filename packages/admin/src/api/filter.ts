import type { UserFilter } from "@cognito-lifecycle/aws";

type FilterQuery = Omit<UserFilter, "hideDeleted"> & { hideDeleted?: "true" | "false" | undefined };

/** The filter without the parameters left out (zod keeps them as `undefined`); `hideDeleted` as a flag. */
export function filterOf(query: FilterQuery): UserFilter {
  const { hideDeleted, ...rest } = query;
  const filter = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return { ...filter, ...(hideDeleted === "true" ? { hideDeleted: true } : {}) } as UserFilter;
}
