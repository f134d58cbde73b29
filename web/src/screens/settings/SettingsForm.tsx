// The settings' fields: numbers with their unit, switches; each error next
// to its setting, checked here first, then by the API.
import { useState } from "preact/hooks";
import type { Problem } from "../../api/client";
import { Field } from "../Field";
import { ProblemMessage, SEE_FIELDS } from "../users/ProblemMessage";
import { NUMBERS, type NumberSpec, SWITCHES, type SettingsValues, type SwitchSpec, valuesProblems } from "./settings";

interface Props {
  initial: SettingsValues;
  busy: boolean;
  problem: Problem | null;
  saved: boolean;
  onChange: () => void;
  onSubmit: (values: SettingsValues) => void;
}

export function SettingsForm({ initial, busy, problem, saved, onChange, onSubmit }: Props) {
  const [values, setValues] = useState(initial);
  const [checked, setChecked] = useState<Record<string, string>>({});
  // The API names the setting by its key; so do the form's own checks.
  const errors: Record<string, string> = { ...(problem?.fields ?? {}), ...checked };
  const change = (next: SettingsValues) => { setValues(next); onChange(); };

  function submit(event: Event) {
    event.preventDefault();
    const problems = valuesProblems(values) as Record<string, string>;
    setChecked(problems);
    if (Object.keys(problems).length === 0) onSubmit(values);
  }
  const local = Object.keys(checked).length > 0;
  return (
    <form class="card settings-form" onSubmit={submit} noValidate aria-label="Paramètres du compte">
      {local ? <p class="error" role="alert">{SEE_FIELDS}</p> : <ProblemMessage problem={problem} />}
      <fieldset>
        <legend>Délais</legend>
        {NUMBERS.map((spec) => (
          <NumberField key={spec.key} spec={spec} value={values[spec.key]} error={errors[spec.key]}
            onInput={(typed) => change({ ...values, [spec.key]: typed })} />
        ))}
      </fieldset>
      <fieldset>
        <legend>Désignations et sécurité</legend>
        {SWITCHES.map((spec) => (
          <SwitchField key={spec.key} spec={spec} checked={values[spec.key]} error={errors[spec.key]}
            onToggle={(on) => change({ ...values, [spec.key]: on })} />
        ))}
      </fieldset>
      <button type="submit" class="primary" disabled={busy}>Enregistrer les paramètres</button>
      {saved && <p role="status" class="saved">Les paramètres sont enregistrés.</p>}
    </form>
  );
}

function NumberField({ spec, value, error, onInput }: { spec: NumberSpec; value: string; error?: string; onInput: (v: string) => void }) {
  const id = `setting-${spec.key}`;
  const described = [`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <Field label={`${spec.label} (en ${spec.unit})`} id={id} hint={spec.explain} error={error}>
      <input id={id} type="number" inputMode="numeric" min={spec.min} max={spec.max} step={1} value={value}
        aria-describedby={described} aria-invalid={error ? "true" : undefined}
        onInput={(e) => onInput(e.currentTarget.value)} />
      <span class="muted">De {spec.min} à {spec.max} {spec.unit}.</span>
    </Field>
  );
}

function SwitchField({ spec, checked, error, onToggle }: { spec: SwitchSpec; checked: boolean; error?: string; onToggle: (on: boolean) => void }) {
  const id = `setting-${spec.key}`;
  const described = [`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class={error ? "field switch invalid" : "field switch"}>
      <label class="tick" for={id}>
        <input type="checkbox" id={id} checked={checked} aria-describedby={described}
          aria-invalid={error ? "true" : undefined} onChange={(e) => onToggle(e.currentTarget.checked)} />
        {spec.label}
      </label>
      <p class="hint" id={`${id}-hint`}>{spec.explain}</p>
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
          {spec.key === "second_factor_required" && <> <a href="/securite">Activer la double authentification sur mon compte</a></>}
        </p>
      )}
    </div>
  );
}
