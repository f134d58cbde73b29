// A driver typed in: names, a French or foreign postal address, e-mails.
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { COUNTRIES } from "../labels";
import { Field } from "./Field";

type Driver = Schemas["DesignatedDriver"];

interface Props {
  busy: boolean;
  /** The API's field errors, by path (`designation.driver.address.postcode`). */
  errors: Record<string, string>;
  onSubmit: (driver: Driver) => void;
}

const PREFIX = "designation.driver.";

const EMPTY: Record<string, string> = {
  last_name: "", first_name: "", "address.line1": "", "address.line2": "",
  "address.postcode": "", "address.city": "", "address.country": "FRA",
  personal_email: "", professional_email: "",
};

export function DriverForm({ busy, errors, onSubmit }: Props) {
  const [values, setValues] = useState(EMPTY);
  const set = (name: string) => (e: Event) =>
    setValues({ ...values, [name]: (e.currentTarget as HTMLInputElement).value });
  const text = (name: string, label: string, extra: Record<string, unknown> = {}) => {
    const id = `driver-${name.replace(".", "-")}`;
    const error = errors[PREFIX + name];
    return (
      <Field label={label} id={id} error={error}>
        <input id={id} value={values[name]} onInput={set(name)} aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? `${id}-error` : undefined} {...extra} />
      </Field>
    );
  };
  const optional = (value: string) => value.trim() || null;

  function submit(event: Event) {
    event.preventDefault();
    onSubmit({
      last_name: values.last_name.trim(),
      first_name: values.first_name.trim(),
      address: {
        line1: values["address.line1"].trim(),
        line2: optional(values["address.line2"]),
        postcode: values["address.postcode"].trim(),
        city: values["address.city"].trim(),
        country: values["address.country"],
      },
      personal_email: optional(values.personal_email),
      professional_email: optional(values.professional_email),
    });
  }

  const countryError = errors[PREFIX + "address.country"];
  return (
    <form class="driver-form" onSubmit={submit} noValidate aria-label="Conducteur saisi">
      <div class="row">
        {text("last_name", "Nom", { autocomplete: "family-name" })}
        {text("first_name", "Prénom", { autocomplete: "given-name" })}
      </div>
      {text("address.line1", "Adresse", { autocomplete: "address-line1" })}
      {text("address.line2", "Complément d'adresse (facultatif)", { autocomplete: "address-line2" })}
      <div class="row">
        {text("address.postcode", "Code postal", { autocomplete: "postal-code" })}
        {text("address.city", "Ville", { autocomplete: "address-level2" })}
      </div>
      <Field label="Pays" id="driver-address-country" error={countryError}>
        <select id="driver-address-country" value={values["address.country"]} onChange={set("address.country")}>
          {COUNTRIES.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
        </select>
      </Field>
      <div class="row">
        {text("personal_email", "E-mail personnel (facultatif)", { type: "email" })}
        {text("professional_email", "E-mail professionnel (facultatif)", { type: "email" })}
      </div>
      <button type="submit" class="primary" disabled={busy}>Désigner ce conducteur</button>
    </form>
  );
}
