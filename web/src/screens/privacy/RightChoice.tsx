// Which right the person exercises, each said with what it will do.
import { type Right, RIGHTS } from "./privacyText";

interface Props {
  rights: [Right, string][];
  value: Right | "";
  onChange: (right: Right) => void;
  error?: string;
}

export function RightChoice({ rights, value, onChange, error }: Props) {
  return (
    <fieldset class="rights">
      <legend>Droit exercé</legend>
      {rights.map(([right, what]) => (
        <div key={right} class="right">
          <label class="radio">
            <input type="radio" name="right" value={right} checked={value === right} onChange={() => onChange(right)}
              aria-describedby={`right-${right}-hint`} />
            {RIGHTS[right]}
          </label>
          <p class="hint" id={`right-${right}-hint`}>{what}</p>
        </div>
      ))}
      {error && <p class="field-error" role="alert">{error}</p>}
    </fieldset>
  );
}
