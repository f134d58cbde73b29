// Whose data: a driver of the base, a person typed into one notice's
// answer (found by the notice number), or a user of designa.
import type { Schemas } from "../../api/client";
import { Field } from "../Field";
import type { Users } from "./people";
import { SUBJECT_TYPES, type SubjectType } from "./privacyText";

interface Props {
  type: SubjectType;
  id: string;
  drivers: Map<string, Schemas["Driver"]>;
  users: Users;
  /** The API's error on the person chosen. */
  error?: string;
  onChange: (type: SubjectType, id: string) => void;
}

const byName = (a: { last_name: string; first_name: string }, b: { last_name: string; first_name: string }) =>
  `${a.last_name} ${a.first_name}`.localeCompare(`${b.last_name} ${b.first_name}`, "fr");

export function SubjectChoice({ type, id, drivers, users, error, onChange }: Props) {
  return (
    <fieldset>
      <legend>Personne concernée</legend>
      {(Object.keys(SUBJECT_TYPES) as SubjectType[]).map((t) => (
        <label key={t} class="radio">
          <input type="radio" name="subject-type" value={t} checked={type === t} onChange={() => onChange(t, "")} />
          {SUBJECT_TYPES[t]}
        </label>
      ))}
      {type === "driver" && <DriverPicker id={id} drivers={drivers} error={error} onPick={(d) => onChange("driver", d)} />}
      {type === "designee" && (
        <Field label="N° de l'avis" id="subject-notice" error={error}
          hint="L'avis sur lequel la personne a été désignée en saisissant ses coordonnées (sans fiche conducteur).">
          <input id="subject-notice" value={id} inputMode="numeric" onInput={(e) => onChange("designee", e.currentTarget.value)}
            aria-describedby={error ? "subject-notice-hint subject-notice-error" : "subject-notice-hint"}
            aria-invalid={error ? "true" : undefined} />
        </Field>
      )}
      {type === "user" && (
        <Field label="Utilisateur" id="subject-user" error={error}>
          <select id="subject-user" value={id} onChange={(e) => onChange("user", e.currentTarget.value)}
            aria-invalid={error ? "true" : undefined} aria-describedby={error ? "subject-user-error" : undefined}>
            <option value="">Choisissez un utilisateur</option>
            {[...users.byId.values()].sort(byName).map((u) => (
              <option key={u.user_id} value={u.user_id}>{u.last_name} {u.first_name} — {u.email}</option>
            ))}
          </select>
        </Field>
      )}
    </fieldset>
  );
}

function DriverPicker({ id, drivers, error, onPick }: { id: string; drivers: Props["drivers"]; error?: string; onPick: (id: string) => void }) {
  const sorted = [...drivers.values()].sort(byName);
  return (
    <Field label="Conducteur" id="subject-driver" error={error}>
      <select id="subject-driver" value={id} onChange={(e) => onPick(e.currentTarget.value)}
        aria-invalid={error ? "true" : undefined} aria-describedby={error ? "subject-driver-error" : undefined}>
        <option value="">Choisissez un conducteur</option>
        {sorted.map((d) => (
          <option key={d.driver_id} value={d.driver_id}>
            {d.last_name} {d.first_name} — {d.address.city}{d.restricted ? " (traitement limité)" : ""}
          </option>
        ))}
      </select>
    </Field>
  );
}
