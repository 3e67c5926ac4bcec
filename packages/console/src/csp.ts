/**
 * The console's Content-Security-Policy, one definition for both places that set it: the
 * `<meta http-equiv>` that `vite build` writes into index.html (what a static host such as the
 * deployed StaticSite serves) and the header of the local admin server. The bundle has no inline
 * script or style and loads nothing from other origins; it only calls Cognito and the admin API.
 *
 * `connectSources` are the origins the console may call besides its own. Left out, the policy has
 * no `connect-src` (and no `default-src`, which would stand in for it): that is the policy of a
 * build that learns its endpoints from `config.json` at run time, whose server adds them.
 */
export function consoleContentSecurityPolicy(options: {
  connectSources?: readonly string[];
  header?: boolean;
}) {
  const directives = [
    ...(options.connectSources ? ["default-src 'none'"] : []),
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "manifest-src 'self'",
    ...(options.connectSources
      ? [`connect-src ${["'self'", ...new Set(options.connectSources.map(originOf))].join(" ")}`]
      : []),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    // Browsers ignore frame-ancestors in a meta element: only a header can stop framing.
    ...(options.header ? ["frame-ancestors 'none'"] : []),
  ];
  return directives.join("; ");
}

/** A URL reduced to its origin; a relative API base (`/api`) is covered by 'self'. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "'self'";
  }
}
