import type { InputHTMLAttributes } from "react";
import type { RoleInfo } from "../types.ts";

/** A role to tick, by name, with its description under it. */
export function RoleCheckbox({
  role,
  checked,
  onChange,
  ...input
}: {
  role: RoleInfo;
  checked: boolean;
  onChange: (checked: boolean) => void;
} & Pick<InputHTMLAttributes<HTMLInputElement>, "name" | "value">) {
  return (
    <label className="check">
      <input
        type="checkbox"
        {...input}
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span>
        <strong>{role.name}</strong>
        <span className="muted block">{role.description}</span>
      </span>
    </label>
  );
}
