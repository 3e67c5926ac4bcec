import { DateTime } from "../../components/Badges.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import type { UserRecord } from "../../types.ts";

/** How many of the stored sign-ins the page lists (the profile keeps 10 to 20). */
const shown = 10;

/**
 * The user's recent sign-ins as post authentication recorded them on the profile, newest first:
 * when, through which app client, and whether Cognito saw a new device.
 */
export function SignInsSection({ user }: { user: UserRecord }) {
  const { t } = useI18n();
  const signIns = (user.signIns ?? []).slice(0, shown);
  return (
    <section className="card account-card" aria-labelledby="sign-ins-title">
      <h2 id="sign-ins-title">{t("signIns.title")}</h2>
      {signIns.length === 0 ? (
        <p className="muted">{t("signIns.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards">
            <caption className="visually-hidden">
              {t("signIns.caption", { user: user.email ?? user.sub })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("common.when")}</th>
                <th scope="col">{t("signIns.client")}</th>
                <th scope="col">{t("signIns.device")}</th>
              </tr>
            </thead>
            <tbody>
              {signIns.map((signIn) => (
                <tr key={signIn.at}>
                  <td data-label={t("common.when")}>
                    <DateTime value={signIn.at} />
                  </td>
                  <td data-label={t("signIns.client")} className="mono">
                    {signIn.clientId ?? <span className="muted">—</span>}
                  </td>
                  <td data-label={t("signIns.device")}>
                    {signIn.newDevice ? (
                      <span className="tag tag-warn">{t("signIns.newDevice")}</span>
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
