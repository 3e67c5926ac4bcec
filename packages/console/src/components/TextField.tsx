import { type InputHTMLAttributes, type ReactNode, useId } from "react";

/** What the input itself takes besides what the field wires up. */
type InputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "value" | "onChange" | "className" | "aria-invalid" | "aria-describedby"
>;

/**
 * A labelled input in the console's field layout. Its hint and its error are tied to it by id
 * (`aria-describedby`) and an error marks it `aria-invalid`, so a screen reader says them with the
 * field, not somewhere else on the page.
 */
export function TextField({
  label,
  value,
  onChange,
  id,
  hint,
  hintHidden = false,
  error,
  invalid = false,
  className,
  action,
  describedBy,
  ...input
}: InputProps & {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** A fixed id where a page or a test names the input; a generated one otherwise. */
  id?: string;
  hint?: ReactNode;
  /** The hint is for screen readers only (the placeholder shows it to the eye). */
  hintHidden?: boolean;
  /** Why the value was refused (the API's field message), shown under the input. */
  error?: string | undefined;
  /** Refused without a message of its own (the form shows why elsewhere). */
  invalid?: boolean;
  /** Classes of the field's box besides `field` (`field-grow`). */
  className?: string;
  /** A button beside the input, sharing its row. */
  action?: ReactNode;
  /** The id of a hint the field shares with others (a form's note), said after its own. */
  describedBy?: string;
}) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const described = [hint ? hintId : "", error ? errorId : "", describedBy ?? ""].filter(Boolean).join(" ");
  const field = (
    <input
      id={inputId}
      {...input}
      value={value}
      aria-invalid={error || invalid ? true : undefined}
      aria-describedby={described || undefined}
      onChange={(event) => onChange(event.target.value)}
    />
  );
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={inputId}>{label}</label>
      {action ? (
        <div className="input-with-button">
          {field}
          {action}
        </div>
      ) : (
        field
      )}
      {hint ? (
        <p id={hintId} className={hintHidden ? "visually-hidden" : "muted"}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
