// The vehicle's fields, each with the API's error next to it.
import type { Schemas } from "../../api/client";
import { COUNTRIES } from "../../labels";
import { Field } from "../Field";
import type { VehicleValues } from "./vehicles";

interface Props {
  values: VehicleValues;
  onChange: (values: VehicleValues) => void;
  errors: Record<string, string>;
  /** The entities the user may put a vehicle in. */
  entities: Schemas["Entity"][];
  /** The plate never changes once the vehicle is in the fleet. */
  editing: boolean;
}

/** The usual countries, and the vehicle's own if it is another. */
function countries(current: string): [string, string][] {
  return COUNTRIES.some(([code]) => code === current) ? COUNTRIES : [...COUNTRIES, [current, current]];
}

export function VehicleFields({ values, onChange, errors, entities, editing }: Props) {
  const set = (name: keyof VehicleValues) => (e: Event) =>
    onChange({ ...values, [name]: (e.currentTarget as HTMLInputElement).value });
  const described = (id: string, error?: string, hint = false) =>
    [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const input = (name: keyof VehicleValues, label: string, extra: Record<string, unknown> = {}, hint?: string) => {
    const id = `vehicle-${name}`;
    const error = errors[name];
    return (
      <Field label={label} id={id} error={error} hint={hint}>
        <input id={id} value={values[name] as string} onInput={set(name)} aria-invalid={error ? "true" : undefined}
          aria-describedby={described(id, error, !!hint)} {...extra} />
      </Field>
    );
  };
  const plateHint = editing
    ? "L'immatriculation ne change pas : pour une nouvelle plaque, donnez une date de sortie à ce véhicule et ajoutez-en un autre."
    : "Format SIV (AB-123-CD), FNI (123 ABC 75) ou plaque étrangère.";
  return (
    <>
      <div class="row">
        {input("plate", "Immatriculation", { readOnly: editing, autocomplete: "off", spellcheck: false }, plateHint)}
        <Field label="Pays d'immatriculation" id="vehicle-country" error={errors.country}>
          <select id="vehicle-country" value={values.country} onChange={set("country")} disabled={editing}
            aria-invalid={errors.country ? "true" : undefined} aria-describedby={described("vehicle-country", errors.country)}>
            {countries(values.country).map(([code, name]) => <option key={code} value={code}>{name}</option>)}
          </select>
        </Field>
      </div>
      <div class="row">
        {input("make", "Marque", { autocomplete: "off" })}
        {input("model", "Modèle", { autocomplete: "off" })}
      </div>
      <Field label="Entité" id="vehicle-entity_id" error={errors.entity_id}>
        <select id="vehicle-entity_id" value={values.entity_id} onChange={set("entity_id")}
          aria-invalid={errors.entity_id ? "true" : undefined} aria-describedby={described("vehicle-entity_id", errors.entity_id)}>
          {entities.map((e) => <option key={e.entity_id} value={e.entity_id}>{e.name}</option>)}
        </select>
      </Field>
      <div class="row">
        {input("entry_on", "Date d'entrée dans la flotte", { type: "date" })}
        {input("exit_on", "Date de sortie (facultatif)", { type: "date" },
          "Peut être fixée à l'avance : le véhicule reste dans la flotte jusqu'à ce jour inclus.")}
      </div>
      <label class="radio">
        <input type="checkbox" checked={values.pool} onChange={(e) => onChange({ ...values, pool: e.currentTarget.checked })} />
        Véhicule de pool (sans conducteur habituel)
      </label>
    </>
  );
}
