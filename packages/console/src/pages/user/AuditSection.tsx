import { AuditTable } from "../../components/AuditTable.tsx";
import { Pager, type useCursorStack } from "../../components/Pager.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import type { UserDetail } from "../../types.ts";

/** One page of the user's audit history, newest first, with its pager. */
export function AuditSection({
  audit,
  pager,
  caption,
  loading,
}: {
  audit: UserDetail["audit"] | undefined;
  pager: ReturnType<typeof useCursorStack>;
  caption: string;
  loading: boolean;
}) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">{t("user.auditTitle")}</h2>
      {audit && audit.items.length > 0 ? (
        <AuditTable events={audit.items} caption={caption} busy={loading} />
      ) : (
        <p className="muted">{t(pager.page > 1 ? "user.noAuditHere" : "user.noAuditYet")}</p>
      )}
      <Pager
        label={t("user.auditPages")}
        page={pager.page}
        summary={t("pager.page", { page: pager.page })}
        nextCursor={audit?.cursor}
        busy={loading}
        onNext={pager.next}
        onPrevious={pager.previous}
      />
    </section>
  );
}
