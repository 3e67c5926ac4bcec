import type { KeyboardEvent } from "react";

/** A labelled menu in the console's field layout; options are `[value, text]`. */
export function SelectField({
  id,
  label,
  value,
  options,
  onChange,
  onKeyDown,
  onPointerDown,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [value: string, text: string])[];
  onChange: (value: string) => void;
  onKeyDown?: (event: KeyboardEvent<HTMLSelectElement>) => void;
  onPointerDown?: () => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
      >
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
