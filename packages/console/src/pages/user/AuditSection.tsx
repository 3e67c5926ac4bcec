import { AuditTable } from "../../components/AuditTable.tsx";
import { Pager, type useCursorStack } from "../../components/Pager.tsx";
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
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit history</h2>
      {audit && audit.items.length > 0 ? (
        <AuditTable events={audit.items} caption={caption} busy={loading} />
      ) : (
        <p className="muted">No audit events{pager.page > 1 ? " on this page" : " yet"}.</p>
      )}
      <Pager
        label="Audit history pages"
        page={pager.page}
        summary={`Page ${pager.page}`}
        nextCursor={audit?.cursor}
        busy={loading}
        onNext={pager.next}
        onPrevious={pager.previous}
      />
    </section>
  );
}
