// The roles of a user being invited or edited: one block per role, each
// with the entities it covers and an optional last day.
import type { Schemas } from "../../api/client";
import { ROLES, type Role, type RoleChoice, type RoleChoices } from "./grants";

type Entity = Schemas["Entity"];

interface Props {
  choices: RoleChoices;
  onChange: (choices: RoleChoices) => void;
  /** The entities the caller may give roles on. */
  entities: Entity[];
  /** Tenant admins may give a role over all entities, present and future. */
  mayGrantAll: boolean;
  /** Errors by field id (`grants`, `grant-designation-scope`, `grant-admin-until`). */
  errors: Record<string, string>;
}

export function GrantsFields({ choices, onChange, entities, mayGrantAll, errors }: Props) {
  const change = (role: Role) => (choice: RoleChoice) => onChange({ ...choices, [role]: choice });
  return (
    <fieldset class="grants" aria-describedby={errors.grants ? "grants-error" : "grants-hint"}>
      <legend>Rôles</legend>
      <p class="hint" id="grants-hint">
        La gestion de flotte et la désignation se cumulent ; l'administration comprend les deux.
      </p>
      {ROLES.map(([role, name, what]) => (
        <RoleBlock key={role} role={role} name={name} what={what} choice={choices[role]}
          onChange={change(role)} entities={entities} mayGrantAll={mayGrantAll} errors={errors} />
      ))}
      {errors.grants && <p class="field-error" id="grants-error" role="alert">{errors.grants}</p>}
    </fieldset>
  );
}

interface BlockProps {
  role: Role;
  name: string;
  what: string;
  choice: RoleChoice;
  onChange: (choice: RoleChoice) => void;
  entities: Entity[];
  mayGrantAll: boolean;
  errors: Record<string, string>;
}

function RoleBlock({ role, name, what, choice, onChange, entities, mayGrantAll, errors }: BlockProps) {
  const id = `grant-${role}`;
  return (
    <div class="role">
      <label class="tick" for={id}>
        <input type="checkbox" id={id} checked={choice.granted} aria-describedby={`${id}-what`}
          onChange={(e) => onChange({ ...choice, granted: e.currentTarget.checked })} />
        <strong>{name}</strong>
      </label>
      <p class="hint" id={`${id}-what`}>{what}</p>
      {choice.granted && (
        <div class="role-scope">
          <ScopeFields role={role} name={name} choice={choice} onChange={onChange} entities={entities}
            mayGrantAll={mayGrantAll} error={errors[`${id}-scope`]} />
          <UntilField role={role} name={name} choice={choice} onChange={onChange} error={errors[`${id}-until`]} />
        </div>
      )}
    </div>
  );
}

interface ScopeProps {
  role: Role;
  name: string;
  choice: RoleChoice;
  onChange: (choice: RoleChoice) => void;
  entities: Entity[];
  mayGrantAll: boolean;
  error?: string;
}

function ScopeFields({ role, name, choice, onChange, entities, mayGrantAll, error }: ScopeProps) {
  const id = `grant-${role}-scope`;
  const toggle = (entityId: string, on: boolean) => onChange({
    ...choice,
    entities: on ? [...choice.entities, entityId] : choice.entities.filter((e) => e !== entityId),
  });
  return (
    <fieldset class={error ? "scope invalid" : "scope"} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Entités couvertes par le rôle {name}</legend>
      {mayGrantAll && (
        <>
          <label class="radio">
            <input type="radio" name={id} checked={choice.allEntities}
              onChange={() => onChange({ ...choice, allEntities: true })} />
            Toutes les entités, y compris celles ajoutées plus tard
          </label>
          <label class="radio">
            <input type="radio" name={id} checked={!choice.allEntities}
              onChange={() => onChange({ ...choice, allEntities: false })} />
            Certaines entités
          </label>
        </>
      )}
      {!choice.allEntities && (
        <ul class={mayGrantAll ? "entity-choices nested" : "entity-choices"}>
          {entities.map((entity) => (
            <li key={entity.entity_id}>
              <label class="tick">
                <input type="checkbox" checked={choice.entities.includes(entity.entity_id)}
                  onChange={(e) => toggle(entity.entity_id, e.currentTarget.checked)} />
                {entity.name}
              </label>
            </li>
          ))}
        </ul>
      )}
      {error && <p class="field-error" id={`${id}-error`} role="alert">{error}</p>}
    </fieldset>
  );
}

interface UntilProps {
  role: Role;
  name: string;
  choice: RoleChoice;
  onChange: (choice: RoleChoice) => void;
  error?: string;
}

function UntilField({ role, name, choice, onChange, error }: UntilProps) {
  const id = `grant-${role}-until`;
  const described = [`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class={error ? "field until invalid" : "field until"}>
      <label for={id}>Dernier jour du rôle {name} (facultatif)</label>
      <p class="hint" id={`${id}-hint`}>Pour un remplacement pendant des congés : le rôle s'arrête après ce jour.</p>
      <input id={id} type="date" value={choice.until} aria-describedby={described}
        aria-invalid={error ? "true" : undefined}
        onInput={(e) => onChange({ ...choice, until: e.currentTarget.value })} />
      {error && <p class="field-error" id={`${id}-error`} role="alert">{error}</p>}
    </div>
  );
}
