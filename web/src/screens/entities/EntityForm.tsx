// An entity's fields: its kind, name, postal address, and for a legal
// entity its SIREN and SIRET; each of the API's errors next to its field.
import { useState } from "preact/hooks";
import type { Problem } from "../../api/client";
import { COUNTRIES } from "../../labels";
import { Field } from "../Field";
import { placeErrors } from "../users/problems";
import { ProblemMessage } from "../users/ProblemMessage";
import { ENTITY_FIELD_IDS, type EntityKind, type EntityValues, KIND_HINT, KIND_LABEL } from "./values";

interface Props {
  initial: EntityValues;
  busy: boolean;
  problem: Problem | null;
  submitLabel: string;
  onSubmit: (values: EntityValues) => void;
}

export function EntityForm({ initial, busy, problem, submitLabel, onSubmit }: Props) {
  const [values, setValues] = useState(initial);
  const { byId, rest } = placeErrors(problem, ENTITY_FIELD_IDS);
  const set = (name: string) => (e: Event) =>
    setValues({ ...values, [name]: (e.currentTarget as HTMLInputElement).value });
  const text = (name: string, label: string, extra: Record<string, unknown> = {}, hint?: string) => {
    const id = `entity-${name.replace(".", "-")}`;
    const described = [hint ? `${id}-hint` : "", byId[id] ? `${id}-error` : ""].filter(Boolean).join(" ");
    return (
      <Field label={label} id={id} error={byId[id]} hint={hint}>
        <input id={id} value={values[name]} onInput={set(name)} aria-invalid={byId[id] ? "true" : undefined}
          aria-describedby={described || undefined} {...extra} />
      </Field>
    );
  };
  const legal = values.kind === "legal";
  const optional = legal ? "" : " (facultatif)";
  return (
    <form class="card entity-form" noValidate aria-label={submitLabel}
      onSubmit={(e) => { e.preventDefault(); onSubmit(values); }}>
      <ProblemMessage problem={problem} rest={rest} />
      <KindChoice kind={values.kind} onChange={(kind) => setValues({ ...values, kind })} />
      {text("name", "Nom de l'entité", { autocomplete: "organization" })}
      <fieldset>
        <legend>Adresse postale{legal ? "" : " (facultative)"}</legend>
        {text("address.line1", `Adresse${optional}`, { autocomplete: "address-line1" })}
        {text("address.line2", "Complément d'adresse (facultatif)", { autocomplete: "address-line2" })}
        <div class="row">
          {text("address.postcode", `Code postal${optional}`, { autocomplete: "postal-code", inputMode: "numeric" })}
          {text("address.city", `Ville${optional}`, { autocomplete: "address-level2" })}
        </div>
        <CountryField value={values["address.country"]} onChange={set("address.country")} error={byId["entity-address-country"]} />
      </fieldset>
      {legal && (
        <div class="row">
          {text("siren", "SIREN (facultatif)", { inputMode: "numeric", autocomplete: "off" }, "9 chiffres, par exemple 732 829 320.")}
          {text("siret", "SIRET (facultatif)", { inputMode: "numeric", autocomplete: "off" }, "14 chiffres : le SIREN suivi des 5 chiffres de l'établissement.")}
        </div>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{submitLabel}</button>
        <a href="/entites" class="button">Annuler</a>
      </div>
    </form>
  );
}

function KindChoice({ kind, onChange }: { kind: EntityKind; onChange: (kind: EntityKind) => void }) {
  return (
    <fieldset>
      <legend>Type d'entité</legend>
      {(["legal", "internal"] as const).map((k) => (
        <div key={k} class="kind">
          <label class="radio">
            <input type="radio" name="entity-kind" value={k} checked={kind === k} aria-describedby={`entity-kind-${k}-hint`}
              onChange={() => onChange(k)} />
            {KIND_LABEL[k]}
          </label>
          <p class="hint" id={`entity-kind-${k}-hint`}>{KIND_HINT[k]}</p>
        </div>
      ))}
    </fieldset>
  );
}

function CountryField({ value, onChange, error }: { value: string; onChange: (e: Event) => void; error?: string }) {
  const id = "entity-address-country";
  return (
    <Field label="Pays" id={id} error={error}>
      <select id={id} value={value} onChange={onChange} aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}>
        {COUNTRIES.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
      </select>
    </Field>
  );
}
