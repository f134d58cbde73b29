// Where a user stands, in French: invited (no password chosen yet), active
// or deactivated, and whether they set up a second factor.
import type { Schemas } from "../../api/client";

type User = Schemas["User"];
export type UserState = "invited" | "active" | "deactivated";

export const STATE_LABEL: Record<UserState, string> = {
  invited: "Invité",
  active: "Actif",
  deactivated: "Désactivé",
};

export const STATE_HINT: Record<UserState, string> = {
  invited: "n'a pas encore choisi son mot de passe",
  active: "peut se connecter",
  deactivated: "ne peut plus se connecter",
};

/** The user's state; an API without it yet tells only active or not. */
export function stateOf(user: User): UserState {
  const told = (user as { state?: UserState }).state;
  if (told) return told;
  return user.active ? "active" : "deactivated";
}

/** The second factor, when the API tells it. */
export function secondFactorOf(user: User): boolean | undefined {
  return (user as { second_factor?: boolean }).second_factor;
}

/** « Camille Exemple », or the e-mail when the names are blank. */
export function fullName(user: User): string {
  return `${user.first_name} ${user.last_name}`.trim() || user.email;
}
