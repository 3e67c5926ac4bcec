import type { UserFilter } from "../directory.ts";

/** The filter without the parameters left out (zod keeps them as `undefined`). */
export function filterOf(query: UserFilter): UserFilter {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as UserFilter;
}
