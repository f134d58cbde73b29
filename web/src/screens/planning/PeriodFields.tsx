// The period of an assignment: a start (day and time) and an optional end,
// in Paris time; the API's reason for either shown next to it.
import { Field } from "../Field";

export interface Period {
  date: string;
  time: string;
}

export const emptyPeriod: Period = { date: "", time: "" };

interface Props {
  values: { from: Period; until: Period };
  /** The API's field errors: `from`, `until`. */
  errors: Record<string, string>;
  onChange: (from: Period, until: Period) => void;
}

export function PeriodFields({ values, errors, onChange }: Props) {
  const { from, until } = values;
  return (
    <>
      <fieldset class="period" aria-describedby="assignment-from-hint">
        <legend>Début (heure de Paris)</legend>
        <p class="hint" id="assignment-from-hint">Sans heure : dès minuit.</p>
        <div class="row">
          <DateInput id="assignment-from-date" label="Jour" value={from.date} error={errors.from}
            onInput={(date) => onChange({ ...from, date }, until)} />
          <TimeInput id="assignment-from-time" label="Heure" value={from.time}
            onInput={(time) => onChange({ ...from, time }, until)} />
        </div>
      </fieldset>
      <fieldset class="period" aria-describedby="assignment-until-hint">
        <legend>Fin (facultative, heure de Paris)</legend>
        <p class="hint" id="assignment-until-hint">
          Sans fin : jusqu'à nouvel ordre. À l'heure de fin, le véhicule n'est plus à ce conducteur ;
          sans heure, il l'a jusqu'à la fin de ce jour-là.
        </p>
        <div class="row">
          <DateInput id="assignment-until-date" label="Jour" value={until.date} error={errors.until}
            onInput={(date) => onChange(from, { ...until, date })} />
          <TimeInput id="assignment-until-time" label="Heure" value={until.time}
            onInput={(time) => onChange(from, { ...until, time })} />
        </div>
      </fieldset>
    </>
  );
}

interface InputProps {
  id: string;
  label: string;
  value: string;
  error?: string;
  onInput: (value: string) => void;
}

function DateInput({ id, label, value, error, onInput }: InputProps) {
  return (
    <Field label={label} id={id} error={error}>
      <input id={id} type="date" value={value} onInput={(e) => onInput(e.currentTarget.value)}
        aria-invalid={error ? "true" : undefined} aria-describedby={error ? `${id}-error` : undefined} />
    </Field>
  );
}

function TimeInput({ id, label, value, onInput }: InputProps) {
  return (
    <Field label={label} id={id}>
      <input id={id} type="time" value={value} onInput={(e) => onInput(e.currentTarget.value)} />
    </Field>
  );
}
