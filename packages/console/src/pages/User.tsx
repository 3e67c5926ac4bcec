import { useState } from "react";
import { ErrorNotice, Loading, StatusNotice } from "../components/Notice.tsx";
import { useCursorStack } from "../components/Pager.tsx";
import { useApp } from "../context.tsx";
import { useI18n } from "../i18n/useI18n.ts";
import { dataOf, useLoad } from "../load.ts";
import { allows } from "../permissions.ts";
import { href } from "../route.ts";
import type { UserDetail } from "../types.ts";
import { AccountSection } from "./user/AccountSection.tsx";
import { ActionDialog, type DialogKind } from "./user/ActionDialog.tsx";
import { AuditSection } from "./user/AuditSection.tsx";
import { ConflictNotice } from "./user/ConflictNotice.tsx";
import { DataRightsSection } from "./user/DataRightsSection.tsx";
import { EditProfileSection } from "./user/EditProfileSection.tsx";
import { RecordSection } from "./user/RecordSection.tsx";
import { RolesSection, RolesView } from "./user/RolesSection.tsx";
import { SignInsSection } from "./user/SignInsSection.tsx";
import { UserHeader } from "./user/UserHeader.tsx";
import { useUserActions } from "./user/useUserActions.ts";

const auditPageSize = 10;

export function UserPage({ sub }: { sub: string }) {
  const { api, me } = useApp();
  const { t } = useI18n();
  const path = `/users/${encodeURIComponent(sub)}`;
  const audit = useCursorStack(sub);
  const detail = useLoad(`${sub}|${audit.cursor ?? ""}`, () =>
    api.get<UserDetail>(path, { auditLimit: auditPageSize, auditCursor: audit.cursor }),
  );
  const actions = useUserActions(path, detail.reload);
  const { busy, failure } = actions;
  const [dialog, setDialog] = useState<DialogKind>();
  // Without users:write (e.g. support) the page only shows: no action buttons, no roles form.
  const canWrite = allows(me, "users:write");

  const loaded = dataOf(detail);
  // The record an action answered with is shown until the reload catches up.
  const latest = actions.latest;
  const user = loaded && latest && latest.version > loaded.user.version ? latest : loaded?.user;

  if (!user) return <UserNotLoaded error={detail.status === "error" ? detail.message : undefined} />;

  const confirmText = user.email ?? user.sub;
  const self = user.sub === me.sub;
  return (
    <main id="main" className="page" tabIndex={-1}>
      {/* Each user's tab says whose it is. */}
      <title>{t("app.title", { page: user.email ?? user.name ?? user.sub })}</title>
      <BackLink />
      <UserHeader
        user={user}
        busy={busy}
        canWrite={canWrite}
        onResync={() => void actions.resync()}
        onResendInvite={() => void actions.resendInvite()}
        onAsk={setDialog}
      />
      <ActionOutcome actions={actions} />
      {detail.status === "error" ? (
        <ErrorNotice title={t("user.refreshFailed")}>{detail.message}</ErrorNotice>
      ) : null}
      <div className="columns">
        <RecordSection user={user} />
        {canWrite ? (
          <RolesSection
            key={user.sub}
            user={user}
            busy={busy}
            fieldErrors={failure?.kind === "error" ? failure.fields : {}}
            onSave={actions.saveRoles}
          />
        ) : (
          <RolesView user={user} />
        )}
      </div>
      {canWrite ? (
        <EditProfileSection
          user={user}
          busy={busy}
          fieldErrors={failure?.kind === "error" ? failure.fields : {}}
          perform={actions.perform}
        />
      ) : null}
      <DataRightsSection user={user} onErased={detail.reload} />
      <AccountSection user={user} self={self} busy={busy} canWrite={canWrite} perform={actions.perform} />
      <SignInsSection user={user} />
      <AuditSection
        audit={loaded?.audit}
        pager={audit}
        caption={t("user.auditCaption", { user: confirmText })}
        loading={detail.status === "loading"}
      />
      {dialog ? (
        <ActionDialog
          kind={dialog}
          confirmText={confirmText}
          name={user.name}
          self={self}
          busy={busy}
          onCancel={() => setDialog(undefined)}
          onConfirm={(reason) => {
            void actions.changeAccount(dialog, reason, user.version, self).then(() => setDialog(undefined));
          }}
        />
      ) : null}
    </main>
  );
}

/** The page before the user's record arrives: loading, or why it could not be read. */
function UserNotLoaded({ error }: { error: string | undefined }) {
  const { t } = useI18n();
  return (
    <main id="main" className="page" tabIndex={-1}>
      <title>{t("app.title", { page: t("common.user") })}</title>
      <BackLink />
      {error === undefined ? (
        <Loading label={t("user.loading")} />
      ) : (
        <ErrorNotice title={t("user.loadFailed")}>{error}</ErrorNotice>
      )}
    </main>
  );
}

/** How the last change ended: its sentence (announced), its error, or the conflict with both changes. */
function ActionOutcome({ actions }: { actions: ReturnType<typeof useUserActions> }) {
  const { t } = useI18n();
  const { failure } = actions;
  return (
    <>
      <StatusNotice message={actions.result} />
      {failure?.kind === "error" ? (
        <ErrorNotice title={t("common.failed")}>{failure.message}</ErrorNotice>
      ) : null}
      {failure?.kind === "conflict" ? (
        <ConflictNotice failure={failure} onDismiss={actions.dismiss} busy={actions.busy} />
      ) : null}
    </>
  );
}

function BackLink() {
  const { t } = useI18n();
  return (
    <p className="back">
      <a href={href("/users")}>
        <span aria-hidden="true">←</span> {t("user.allUsers")}
      </a>
    </p>
  );
}
