// The names, e-mail and roles of a user being invited or edited, each
// error next to its field.
import { useState } from "preact/hooks";
import type { Problem, Schemas } from "../../api/client";
import { Field } from "../Field";
import { GrantsFields } from "./GrantsFields";
import { type RoleChoices, grantFieldIds, grantSentence } from "./grants";
import { placeErrors } from "./problems";
import { ProblemMessage } from "./ProblemMessage";

type Entity = Schemas["Entity"];

export interface UserValues {
  first_name: string;
  last_name: string;
  email: string;
  choices: RoleChoices;
}

interface Props {
  initial: UserValues;
  /** Only an invitation asks for the e-mail: it is the account's name. */
  withEmail: boolean;
  /** One's own roles, shown but not changeable (the API refuses it). */
  ownGrants?: Schemas["Grant"][];
  /** The entities the caller may give roles on, and every one it sees (for names). */
  grantable: Entity[];
  entityName: (id: string) => string;
  mayGrantAll: boolean;
  busy: boolean;
  problem: Problem | null;
  submitLabel: string;
  onSubmit: (values: UserValues) => void;
}

const NAME_IDS: Record<string, string> = {
  first_name: "user-first_name", last_name: "user-last_name", email: "user-email",
};

export function UserForm(props: Props) {
  const { initial, withEmail, ownGrants, busy, problem, submitLabel } = props;
  const [values, setValues] = useState(initial);
  // The grants' errors name positions in the list sent, not in the form now.
  const [sent, setSent] = useState(initial.choices);
  const { byId, rest } = placeErrors(problem, { ...NAME_IDS, ...grantFieldIds(sent) });
  const text = (name: "first_name" | "last_name" | "email", label: string, extra: Record<string, unknown>, hint?: string) => {
    const id = NAME_IDS[name];
    const described = [hint ? `${id}-hint` : "", byId[id] ? `${id}-error` : ""].filter(Boolean).join(" ");
    return (
      <Field label={label} id={id} error={byId[id]} hint={hint}>
        <input id={id} value={values[name]} aria-invalid={byId[id] ? "true" : undefined}
          aria-describedby={described || undefined} {...extra}
          onInput={(e) => setValues({ ...values, [name]: e.currentTarget.value })} />
      </Field>
    );
  };
  function submit(event: Event) {
    event.preventDefault();
    setSent(values.choices);
    props.onSubmit(values);
  }
  return (
    <form class="card user-form" onSubmit={submit} noValidate aria-label={submitLabel}>
      <ProblemMessage problem={problem} rest={rest} />
      <div class="row">
        {text("first_name", "Prénom", { autocomplete: "off" })}
        {text("last_name", "Nom", { autocomplete: "off" })}
      </div>
      {withEmail && text("email", "E-mail professionnel", { type: "email", autocomplete: "off" },
        "L'invitation y est envoyée, avec le lien pour choisir son mot de passe (valable 7 jours).")}
      {ownGrants ? <OwnGrants grants={ownGrants} entityName={props.entityName} /> : (
        <GrantsFields choices={values.choices} onChange={(choices) => setValues({ ...values, choices })}
          entities={props.grantable} mayGrantAll={props.mayGrantAll} errors={byId} />
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{submitLabel}</button>
        <a href="/utilisateurs" class="button">Annuler</a>
      </div>
    </form>
  );
}

function OwnGrants({ grants, entityName }: { grants: Schemas["Grant"][]; entityName: (id: string) => string }) {
  return (
    <div class="own-grants" role="group" aria-labelledby="own-grants-title">
      <h2 id="own-grants-title">Vos rôles</h2>
      <ul>{grants.map((g, i) => <li key={i}>{grantSentence(g, entityName)}</li>)}</ul>
      <p class="hint">
        Vous ne pouvez pas changer vos propres rôles : un autre administrateur doit le faire pour vous.
        Cela évite de se retirer ses droits par erreur, ou de se les étendre seul.
      </p>
    </div>
  );
}
