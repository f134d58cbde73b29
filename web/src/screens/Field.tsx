import type { ComponentChildren } from "preact";

interface Props {
  label: string;
  id: string;
  /** The error shown under the field, announced to screen readers. */
  error?: string;
  hint?: string;
  children: ComponentChildren;
}

/** A labelled form field with its hint and its error next to it. */
export function Field({ label, id, error, hint, children }: Props) {
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {children}
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
