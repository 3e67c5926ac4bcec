import { TextField } from "../../components/TextField.tsx";
import { useApp } from "../../context.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import type { BulkKind } from "./BulkDialog.tsx";

export interface Choices {
  add: string[];
  remove: string[];
  reason: string;
  includeSelf: boolean;
  format: "csv" | "jsonl";
}

export const noChoices: Choices = { add: [], remove: [], reason: "", includeSelf: false, format: "csv" };

/**
 * The first step's fields: roles to add and to remove (a change, never a whole set; a role is
 * in one list at most), the reason, your own account; or the export's format.
 */
export function BulkChoices({
  kind,
  choices,
  onChange,
}: {
  kind: BulkKind;
  choices: Choices;
  onChange: (choices: Choices) => void;
}) {
  const { roles } = useApp();
  const { t, rich } = useI18n();
  if (kind === "export") return <ExportFormat choices={choices} onChange={onChange} />;
  const set = (list: "add" | "remove", role: string, on: boolean) => {
    const other = list === "add" ? "remove" : "add";
    onChange({
      ...choices,
      [list]: on ? [...choices[list], role].sort() : choices[list].filter((item) => item !== role),
      ...(on ? { [other]: choices[other].filter((item) => item !== role) } : {}),
    });
  };
  return (
    <>
      {kind === "roles"
        ? (["add", "remove"] as const).map((list) => (
            <fieldset key={list} className="field">
              <legend>{t(list === "add" ? "bulk.addRoles" : "bulk.removeRoles")}</legend>
              {roles.map((role) => (
                <label key={role.name} className="check">
                  <input
                    type="checkbox"
                    checked={choices[list].includes(role.name)}
                    onChange={(event) => set(list, role.name, event.target.checked)}
                  />
                  <span>
                    {rich(list === "add" ? "bulk.addRole" : "bulk.removeRole", {
                      role: <strong>{role.name}</strong>,
                    })}
                  </span>
                </label>
              ))}
            </fieldset>
          ))
        : null}
      <TextField
        label={t("bulk.reason")}
        type="text"
        maxLength={500}
        value={choices.reason}
        onChange={(reason) => onChange({ ...choices, reason })}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={choices.includeSelf}
          onChange={(event) => onChange({ ...choices, includeSelf: event.target.checked })}
        />
        <span>{t("bulk.includeSelf")}</span>
      </label>
    </>
  );
}

/** The export's file format: CSV or JSON Lines. */
function ExportFormat({ choices, onChange }: { choices: Choices; onChange: (choices: Choices) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="field">
      <legend>{t("bulk.format")}</legend>
      {(
        [
          ["csv", t("bulk.formatCsv")],
          ["jsonl", t("bulk.formatJsonl")],
        ] as const
      ).map(([format, label]) => (
        <label key={format} className="check">
          <input
            type="radio"
            name="bulk-format"
            checked={choices.format === format}
            onChange={() => onChange({ ...choices, format })}
          />
          <span>{label}</span>
        </label>
      ))}
    </fieldset>
  );
}
