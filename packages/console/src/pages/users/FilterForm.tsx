import { FilterFold } from "../../components/FilterFold.tsx";
import { SelectField } from "../../components/SelectField.tsx";
import { TextField } from "../../components/TextField.tsx";
import { useApp } from "../../context.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { href } from "../../route.ts";
import { userSources, userStatuses } from "../../types.ts";
import { ColumnChooser, type UserColumnId } from "./columns.tsx";
import { activeFilters, everyStatus, pageSizes, sortOrders, type UserFilters } from "./filters.ts";
import { useFilterForm } from "./useFilterForm.ts";

type FilterFormState = ReturnType<typeof useFilterForm>;

/**
 * The search box, and the other filters folded on narrow screens; a draft until applied (see
 * useFilterForm). The form is never re-mounted, so focus stays put.
 */
export function FilterForm({
  filters,
  columns,
  onToggleColumn,
}: {
  filters: UserFilters;
  columns: readonly UserColumnId[];
  onToggleColumn: (id: UserColumnId, shown: boolean) => void;
}) {
  const { t } = useI18n();
  const form = useFilterForm(filters);
  const active = activeFilters(filters);
  return (
    <search aria-label={t("users.filterLabel")}>
      <form className="filters" onSubmit={form.submit}>
        <TextField
          id="filter-q"
          className="field-grow"
          label={t("users.searchLabel")}
          type="search"
          autoComplete="off"
          spellCheck={false}
          placeholder={t("users.searchPlaceholder")}
          hint={t("users.searchHint")}
          hintHidden
          action={
            <button type="submit" className="button button-primary">
              {t("users.search")}
            </button>
          }
          {...form.text("q")}
        />
        <FilterFold active={active}>
          <FoldedFilters filters={filters} form={form} />
          <div className="field field-end">
            <button type="submit" className="button">
              {t("users.applyFilters")}
            </button>
          </div>
          <ColumnChooser shown={columns} onToggle={onToggleColumn} />
          {active > 0 || filters.q ? (
            <div className="field field-end">
              <a className="button button-link" href={href("/users")}>
                {t("filters.clear")}
              </a>
            </div>
          ) : null}
        </FilterFold>
        <p className={form.pending ? "filters-pending" : "visually-hidden"} role="status">
          {form.pending ? t("users.filtersPending") : ""}
        </p>
      </form>
    </search>
  );
}

/** Email prefix, role, status, source, creation dates, order and page size. */
function FoldedFilters({ filters, form }: { filters: UserFilters; form: FilterFormState }) {
  const { roles } = useApp();
  const { t } = useI18n();
  return (
    <>
      <TextField
        id="filter-email"
        label={t("users.emailStartsWith")}
        type="search"
        inputMode="email"
        autoComplete="off"
        spellCheck={false}
        {...form.text("emailPrefix")}
      />
      <SelectField
        id="filter-role"
        label={t("users.role")}
        options={[["", t("users.any")], ...roles.map((role) => [role.name, role.name] as const)]}
        {...form.menu("role")}
      />
      <SelectField
        id="filter-status"
        label={t("users.status")}
        options={[
          ["", t("users.anyButDeleted")],
          [everyStatus, t("users.anyWithDeleted")],
          ...userStatuses.map((status) => [status, t(`status.${status}`)] as const),
        ]}
        {...form.menu("status")}
      />
      <SelectField
        id="filter-source"
        label={t("users.source")}
        options={[["", t("users.any")], ...userSources.map((source) => [source, source] as const)]}
        {...form.menu("source")}
      />
      <TextField
        id="filter-created-from"
        label={t("users.createdFrom")}
        type="date"
        {...form.text("createdFrom")}
      />
      <TextField
        id="filter-created-to"
        label={t("users.createdTo")}
        type="date"
        {...form.text("createdTo")}
      />
      <SelectField
        id="filter-sort"
        label={t("users.sort")}
        options={sortOrders.map(([order, key]) => [order, t(key)] as const)}
        {...form.menu("sort")}
      />
      <SelectField
        id="filter-limit"
        label={t("users.perPage")}
        options={[...new Set([...pageSizes, filters.limit])]
          .sort((a, b) => a - b)
          .map((size) => [String(size), String(size)] as const)}
        {...form.menu("limit")}
      />
    </>
  );
}
