import type { ReactNode } from "react";
import { DateTime, RoleList, StatusBadge } from "../../components/Badges.tsx";
import { describeCount } from "../../format.ts";
import type { UserRecord } from "../../types.ts";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Missing({ text = "—" }: { text?: string }) {
  return <span className="muted">{text}</span>;
}

export function RecordSection({ user }: { user: UserRecord }) {
  const welcome = user.welcomeEmail;
  return (
    <section className="card" aria-labelledby="record-title">
      <h2 id="record-title">Record</h2>
      <dl className="fields">
        <Field label="Sub">
          <span className="mono">{user.sub}</span>
        </Field>
        <Field label="Username">
          <span className="mono">{user.username}</span>
        </Field>
        <Field label="Email">
          {user.email ?? <Missing />}{" "}
          {user.email ? (
            <span className={user.emailVerified ? "tag tag-ok" : "tag tag-warn"}>
              {user.emailVerified ? "verified" : "not verified"}
            </span>
          ) : null}
        </Field>
        <Field label="Name">{user.name ?? <Missing />}</Field>
        <Field label="Locale">{user.locale ?? <Missing />}</Field>
        <Field label="Status">
          <StatusBadge status={user.status} />
        </Field>
        <Field label="Roles">
          <RoleList roles={user.roles} />
        </Field>
        <Field label="Cognito groups">
          {user.groups.length > 0 ? (
            <ul className="tags" aria-label="Groups">
              {user.groups.map((group) => (
                <li key={group} className="tag">
                  {group}
                </li>
              ))}
            </ul>
          ) : (
            <Missing text="none" />
          )}
        </Field>
        <Field label="Source">{user.source}</Field>
        <Field label="Linked identities">
          {user.identities.length > 0 ? (
            <ul className="plain-list">
              {user.identities.map((identity) => (
                <li key={`${identity.providerName}/${identity.userId ?? ""}`}>
                  {identity.providerName}
                  {identity.providerType ? ` (${identity.providerType})` : ""}
                  {identity.userId ? <span className="mono"> {identity.userId}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <Missing text="none" />
          )}
        </Field>
        <Field label="Welcome email">
          {welcome ? (
            <>
              <span className={`tag tag-welcome-${welcome.status}`}>{welcome.status}</span>{" "}
              <DateTime value={welcome.at} />
              {` · ${describeCount(welcome.attempts, "attempt")}`}
              {welcome.messageId ? <span className="mono block">message {welcome.messageId}</span> : null}
              {welcome.error ? <span className="block">{welcome.error}</span> : null}
            </>
          ) : (
            <Missing text="not sent" />
          )}
        </Field>
        <Field label="Deliverability">
          {user.emailDeliverability ? (
            <>
              <span className="tag tag-warn">{user.emailDeliverability.status}</span>{" "}
              <DateTime value={user.emailDeliverability.at} />
              {[user.emailDeliverability.bounceType, user.emailDeliverability.subType].some(Boolean) ? (
                <span className="block">
                  {[user.emailDeliverability.bounceType, user.emailDeliverability.subType]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              ) : null}
              <span className="block muted">no welcome email; codes still go out</span>
            </>
          ) : (
            <Missing text="no bounce or complaint" />
          )}
        </Field>
        <Field label="Created">
          <DateTime value={user.createdAt} />
        </Field>
        <Field label="Confirmed">
          <DateTime value={user.confirmedAt} empty="—" />
        </Field>
        <Field label="Last sign-in">
          <DateTime value={user.lastSignInAt} />
        </Field>
        <Field label="Password changed">
          <DateTime value={user.passwordChangedAt} />
        </Field>
        <Field label="Updated">
          <DateTime value={user.updatedAt} /> (version {user.version})
        </Field>
      </dl>
    </section>
  );
}
