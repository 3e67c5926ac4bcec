import { useI18n } from "../../i18n/useI18n.ts";
import { type LifecycleEventType, lifecycleEventTypes } from "../../types.ts";

/** The catalogue's event types as checkboxes; none checked means every type. */
export function EventTypeChecks({
  legend,
  selected,
  disabled = false,
  onChange,
}: {
  legend: string;
  selected: readonly LifecycleEventType[];
  disabled?: boolean;
  onChange: (types: LifecycleEventType[]) => void;
}) {
  const { t } = useI18n();
  const toggle = (type: LifecycleEventType, on: boolean) =>
    onChange(lifecycleEventTypes.filter((each) => (each === type ? on : selected.includes(each))));
  return (
    <fieldset className="event-types">
      <legend>{legend}</legend>
      <p className="muted">{t("webhooks.noneChecked")}</p>
      <div className="event-type-grid">
        {lifecycleEventTypes.map((type) => (
          <label key={type} className="check">
            <input
              type="checkbox"
              checked={selected.includes(type)}
              disabled={disabled}
              onChange={(e) => toggle(type, e.target.checked)}
            />
            <span className="mono">{type}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
