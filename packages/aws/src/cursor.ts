import { LifecycleError } from "@cognito-lifecycle/core";
/**
 * Opaque cursors for every paged read of the user table (listings, audit history, reconcile):
 * a position bound to the query (`scope`) that made it, so a cursor from another query is refused.
 */
export function encodeCursor(position: object | undefined, scope: string): string | undefined {
  if (!position) return undefined;
  return Buffer.from(JSON.stringify({ s: scope, k: position }), "utf8").toString("base64url");
}

/** The position `cursor` holds, if it was made for `scope`; throws InvalidCursorError otherwise. */
export function decodeCursor(cursor: string | undefined, scope: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
      s?: unknown;
      k?: unknown;
    };
    if (parsed.s === scope && typeof parsed.k === "object" && parsed.k !== null)
      return parsed.k as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends LifecycleError {
  override readonly name = "InvalidCursorError";
  constructor() {
    super("cursor is not valid for this query", { code: "invalid_request", status: 400 });
  }

  override get publicMessage(): string {
    return "The cursor is not valid for this query.";
  }

  override details(): Record<string, unknown> {
    return { fields: { cursor: this.message } };
  }
}
