/**
 * Builds a schema where it is declared, in a call a bundler may drop when its result is unused.
 * A top-level zod schema with a method call in it (`z.string().check(...)`) looks like a side
 * effect to esbuild, so every handler importing the module built it at cold start, used or not:
 * the lifecycle events', the custom senders' and the other triggers' event schemas were about
 * 200 zod nodes (milliseconds per hundred) in each trigger's import.
 *
 * Each call carries a `@__PURE__` comment as well: esbuild (0.28) honours this function's own
 * `@__NO_SIDE_EFFECTS__` only within this file, and a call-site annotation everywhere.
 */
// @__NO_SIDE_EFFECTS__
export function pureSchema<T>(build: () => T): T {
  return build();
}
