import { DateTime } from "../../components/Badges.tsx";
import type { UserRecord } from "../../types.ts";

/** How many of the stored sign-ins the page lists (the profile keeps 10 to 20). */
const shown = 10;

/**
 * The user's recent sign-ins as post authentication recorded them on the profile, newest first:
 * when, through which app client, and whether Cognito saw a new device.
 */
export function SignInsSection({ user }: { user: UserRecord }) {
  const signIns = (user.signIns ?? []).slice(0, shown);
  return (
    <section className="card account-card" aria-labelledby="sign-ins-title">
      <h2 id="sign-ins-title">Recent sign-ins</h2>
      {signIns.length === 0 ? (
        <p className="muted">No sign-ins recorded yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards">
            <caption className="visually-hidden">{`Recent sign-ins of ${user.email ?? user.sub}, newest first`}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">App client</th>
                <th scope="col">Device</th>
              </tr>
            </thead>
            <tbody>
              {signIns.map((signIn) => (
                <tr key={signIn.at}>
                  <td data-label="When">
                    <DateTime value={signIn.at} />
                  </td>
                  <td data-label="App client" className="mono">
                    {signIn.clientId ?? <span className="muted">—</span>}
                  </td>
                  <td data-label="Device">
                    {signIn.newDevice ? (
                      <span className="tag tag-warn">new device</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
