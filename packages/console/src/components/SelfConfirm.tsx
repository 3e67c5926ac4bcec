/**
 * A change to the signed-in admin's own account: the warning and the tick without which the
 * change cannot be confirmed (the API asks for `confirmSelf` too).
 */
export function SelfConfirm({
  warning,
  label,
  checked,
  onChange,
}: {
  warning: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="notice notice-warning">
      <p>{warning}</p>
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
        <span>{label}</span>
      </label>
    </div>
  );
}
