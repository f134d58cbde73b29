// A driver typed in: names, a French or foreign postal address, e-mails.
// The fields are shared with the drivers' own form (screens/drivers/).
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { COUNTRIES } from "../labels";
import { Field } from "./Field";

type Driver = Schemas["DesignatedDriver"];

/** The form's values by field path (`address.postcode`), as typed. */
export type DriverValues = Record<string, string>;

export const EMPTY_DRIVER: DriverValues = {
  last_name: "", first_name: "", "address.line1": "", "address.line2": "",
  "address.postcode": "", "address.city": "", "address.country": "FRA",
  personal_email: "", professional_email: "",
};

/** A stored driver's values, to edit them. */
export function driverValues(driver: Driver): DriverValues {
  const { address } = driver;
  return {
    last_name: driver.last_name, first_name: driver.first_name,
    "address.line1": address.line1, "address.line2": address.line2 ?? "",
    "address.postcode": address.postcode, "address.city": address.city, "address.country": address.country,
    personal_email: driver.personal_email ?? "", professional_email: driver.professional_email ?? "",
  };
}

const optional = (value: string) => value.trim() || null;

/** The driver the values describe: trimmed, blank optional fields as null. */
export function driverOf(values: DriverValues): Driver {
  return {
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
  };
}

interface FieldsProps {
  values: DriverValues;
  onChange: (values: DriverValues) => void;
  /** The API's field errors, by path (`address.postcode` once `prefix` is taken off). */
  errors: Record<string, string>;
  /** What the API puts before each field's path (`designation.driver.`), if anything. */
  prefix?: string;
}

/** The names, address and e-mails of a driver, each with its error next to it. */
export function DriverFields({ values, onChange, errors, prefix = "" }: FieldsProps) {
  const set = (name: string) => (e: Event) =>
    onChange({ ...values, [name]: (e.currentTarget as HTMLInputElement).value });
  const text = (name: string, label: string, extra: Record<string, unknown> = {}) => {
    const id = `driver-${name.replace(".", "-")}`;
    const error = errors[prefix + name];
    return (
      <Field label={label} id={id} error={error}>
        <input id={id} value={values[name]} onInput={set(name)} aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? `${id}-error` : undefined} {...extra} />
      </Field>
    );
  };
  const countryError = errors[prefix + "address.country"];
  return (
    <>
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
        <select id="driver-address-country" value={values["address.country"]} onChange={set("address.country")}
          aria-invalid={countryError ? "true" : undefined}
          aria-describedby={countryError ? "driver-address-country-error" : undefined}>
          {COUNTRIES.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
        </select>
      </Field>
      <div class="row">
        {text("personal_email", "E-mail personnel (facultatif)", { type: "email" })}
        {text("professional_email", "E-mail professionnel (facultatif)", { type: "email" })}
      </div>
    </>
  );
}

interface Props {
  busy: boolean;
  /** The API's field errors, by path (`designation.driver.address.postcode`). */
  errors: Record<string, string>;
  onSubmit: (driver: Driver) => void;
}

export function DriverForm({ busy, errors, onSubmit }: Props) {
  const [values, setValues] = useState(EMPTY_DRIVER);
  function submit(event: Event) {
    event.preventDefault();
    onSubmit(driverOf(values));
  }
  return (
    <form class="driver-form" onSubmit={submit} noValidate aria-label="Conducteur saisi">
      <DriverFields values={values} onChange={setValues} errors={errors} prefix="designation.driver." />
      <button type="submit" class="primary" disabled={busy}>Désigner ce conducteur</button>
    </form>
  );
}
