import { useState, useSyncExternalStore } from "react";
import { type Query, queryString } from "./api.ts";

/**
 * Hash routes (`#/users/<sub>?…`): a static host needs no rewrite rules, and a reload or a shared
 * link opens the same view with the same filters.
 */
export interface Route {
  path: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?", 2);
  return { path: path === "" ? "/" : path, params: new URLSearchParams(search) };
}

export function href(path: string, query?: Query): string {
  return `#${path}${queryString(query)}`;
}

export function navigate(path: string, query?: Query): void {
  window.location.hash = href(path, query);
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

/**
 * A filter form's draft of values the URL holds: edited freely, and replaced by the URL's values
 * when Back, a reload or a link changes them (`same` says when they have not changed).
 */
export function useUrlDraft<T>(fromUrl: T, same: (a: T, b: T) => boolean) {
  const [draft, setDraft] = useState(fromUrl);
  const [shown, setShown] = useState(fromUrl);
  if (!same(shown, fromUrl)) {
    setShown(fromUrl);
    setDraft(fromUrl);
  }
  return [draft, setDraft] as const;
}
