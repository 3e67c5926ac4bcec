import type { UrlPosition } from "../../components/Pager.tsx";
import { navigate } from "../../route.ts";

export const pageSizes = [10, 25, 50, 100] as const;
const defaultPageSize = 25;
/** The status filter's default (`""`) leaves deleted users out; this value shows everyone. */
export const everyStatus = "all";

export interface UserFilters {
  emailPrefix: string;
  role: string;
  status: string;
  source: string;
  limit: number;
  /** The search box: a name or part of an email, `@domain`, a whole email or a sub (the API's `q`). */
  q: string;
  /** "" (newest first), "oldest" or "email". */
  sort: string;
  createdFrom: string;
  createdTo: string;
}

export const sortOrders = [
  ["", "users.sortNewest"],
  ["oldest", "users.sortOldest"],
  ["email", "users.sortEmail"],
] as const;

export function filtersFrom(params: URLSearchParams): UserFilters {
  const limit = Number(params.get("limit"));
  return {
    emailPrefix: params.get("emailPrefix") ?? "",
    role: params.get("role") ?? "",
    status: params.get("status") ?? "",
    source: params.get("source") ?? "",
    // Any size the API accepts may come from a shared link; the menu offers the usual ones.
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : defaultPageSize,
    q: params.get("q") ?? "",
    sort: params.get("sort") ?? "",
    createdFrom: params.get("createdFrom") ?? "",
    createdTo: params.get("createdTo") ?? "",
  };
}

/** Filters and position go into the URL as a new history entry, so Back and reload return here. */
export function show(filters: UserFilters, position?: UrlPosition): void {
  navigate("/users", {
    ...filters,
    emailPrefix: filters.emailPrefix.trim(),
    q: filters.q.trim(),
    limit: filters.limit === defaultPageSize ? undefined : filters.limit,
    page: position?.cursor ? position.page : undefined,
    cursor: position?.cursor,
  });
}

/** The API's filter: by default deleted users are hidden. */
export function apiFilter({ limit: _limit, status, ...rest }: UserFilters): Record<string, string> {
  if (status === "") return { ...rest, hideDeleted: "true" };
  return status === everyStatus ? rest : { ...rest, status };
}

export const sameFilters = (a: UserFilters, b: UserFilters) =>
  JSON.stringify({ ...a, emailPrefix: a.emailPrefix.trim(), q: a.q.trim() }) ===
  JSON.stringify({ ...b, emailPrefix: b.emailPrefix.trim(), q: b.q.trim() });

/** How many of the folded filters are set (the search box is not folded, so not counted). */
export const activeFilters = (filters: UserFilters) =>
  [
    filters.emailPrefix,
    filters.role,
    filters.status,
    filters.source,
    filters.createdFrom,
    filters.createdTo,
  ].filter(Boolean).length;
