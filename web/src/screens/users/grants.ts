// Roles and entity scopes as the invitation and edit forms show them: one
// block per role, each with its own entities and optional last day. The API
// keeps a list of grants; these functions go from one to the other.
import type { Schemas } from "../../api/client";
import { frenchDate } from "../../format";

type Grant = Schemas["Grant"];
export type Role = Schemas["Role"];

/** The roles in the order the form shows them, with what each allows. */
export const ROLES: [Role, string, string][] = [
  ["admin", "Administration",
    "Gère les utilisateurs et les entités, et peut tout faire sur ses entités (gestion et désignation comprises)."],
  ["fleet_management", "Gestion de flotte",
    "Tient à jour les véhicules, les conducteurs et le planning."],
  ["designation", "Désignation",
    "Consulte les avis et désigne les conducteurs auprès de l'ANTAI."],
];

export const ROLE_NAME: Record<Role, string> = {
  admin: "Administration",
  fleet_management: "Gestion de flotte",
  designation: "Désignation",
};

/** One role's block in the form. */
export interface RoleChoice {
  granted: boolean;
  allEntities: boolean;
  entities: string[];
  /** The last day the role works (AAAA-MM-JJ), or "" for no end. */
  until: string;
}

export type RoleChoices = Record<Role, RoleChoice>;

const none = (allEntities: boolean): RoleChoice => ({ granted: false, allEntities, entities: [], until: "" });

/** Nothing granted; the scope starts on all entities only for those who may give it. */
export function noRoles(mayGrantAll: boolean): RoleChoices {
  return { admin: none(mayGrantAll), fleet_management: none(mayGrantAll), designation: none(mayGrantAll) };
}

/**
 * The form's blocks for a user's grants. Two grants of one role (made
 * through the API) become one: all entities wins, entities add up, and the
 * later end is kept (no end being the latest).
 */
export function choicesOf(grants: Grant[], mayGrantAll: boolean): RoleChoices {
  const choices = noRoles(mayGrantAll);
  for (const grant of grants) {
    const shown = choices[grant.role];
    const first = !shown.granted;
    const all = grant.scope.kind === "all_entities";
    const entities = grant.scope.kind === "entities" ? grant.scope.entities : [];
    choices[grant.role] = {
      granted: true,
      allEntities: first ? all : shown.allEntities || all,
      entities: [...new Set([...(first ? [] : shown.entities), ...entities])],
      until: first ? (grant.until ?? "") : laterEnd(shown.until, grant.until ?? ""),
    };
  }
  return choices;
}

function laterEnd(a: string, b: string): string {
  if (a === "" || b === "") return "";
  return a > b ? a : b;
}

/** The roles granted, in the form's order: grant `i` sent to the API is role `i` here. */
export function grantedRoles(choices: RoleChoices): Role[] {
  return ROLES.map(([role]) => role).filter((role) => choices[role].granted);
}

/** The grants the form describes, in the order of grantedRoles. */
export function grantsOf(choices: RoleChoices): Grant[] {
  return grantedRoles(choices).map((role) => {
    const choice = choices[role];
    const scope: Schemas["Scope"] = choice.allEntities
      ? { kind: "all_entities" }
      : { kind: "entities", entities: choice.entities };
    return choice.until ? { role, scope, until: choice.until } : { role, scope };
  });
}

/** The field id of each error the API gives on `grants[i].scope` or `grants[i].until`. */
export function grantFieldIds(choices: RoleChoices): Record<string, string> {
  const ids: Record<string, string> = { grants: "grants" };
  grantedRoles(choices).forEach((role, i) => {
    ids[`grants[${i}].scope`] = `grant-${role}-scope`;
    ids[`grants[${i}].until`] = `grant-${role}-until`;
    ids[`grants[${i}]`] = `grant-${role}-scope`;
  });
  return ids;
}

/** One grant in a sentence: « Désignation : Agence de Lyon, jusqu'au 31/12/2026 ». */
export function grantSentence(grant: Grant, entityName: (id: string) => string): string {
  const where = grant.scope.kind === "all_entities"
    ? "toutes les entités"
    : grant.scope.entities.map(entityName).join(", ");
  const until = grant.until ? `, jusqu'au ${frenchDate(grant.until)}` : "";
  return `${ROLE_NAME[grant.role]} : ${where}${until}`;
}
