// The corrections a rectification carries: a driver's names, address and
// e-mails, or a user's names, shown as they are now.
import { useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { DriverFields, driverValues } from "../DriverForm";
import { Field } from "../Field";
import { type UserNames, driverChanges, userChanges } from "./rectification";

type Changes = Record<string, unknown>;

export function RectifyDriver({ driver, errors, onChange }: { driver: Schemas["Driver"]; errors: Record<string, string>; onChange: (c: Changes) => void }) {
  const [values, setValues] = useState(() => driverValues(driver));
  return (
    <fieldset>
      <legend>Corrections demandées</legend>
      <p class="hint">Modifiez seulement ce que la personne demande de corriger.</p>
      <DriverFields values={values} errors={errors}
        onChange={(changed) => { setValues(changed); onChange(driverChanges(driver, changed)); }} />
    </fieldset>
  );
}

export function RectifyUser({ user, errors, onChange }: { user: UserNames; errors: Record<string, string>; onChange: (c: Changes) => void }) {
  const [values, setValues] = useState<UserNames>({ first_name: user.first_name, last_name: user.last_name });
  const field = (name: keyof UserNames, label: string) => {
    const id = `user-${name}`;
    return (
      <Field label={label} id={id} error={errors[name]}>
        <input id={id} value={values[name]} aria-invalid={errors[name] ? "true" : undefined}
          aria-describedby={errors[name] ? `${id}-error` : undefined}
          onInput={(e) => {
            const changed = { ...values, [name]: e.currentTarget.value };
            setValues(changed);
            onChange(userChanges(user, changed));
          }} />
      </Field>
    );
  };
  return (
    <fieldset>
      <legend>Corrections demandées</legend>
      <div class="row">
        {field("first_name", "Prénom")}
        {field("last_name", "Nom")}
      </div>
    </fieldset>
  );
}
