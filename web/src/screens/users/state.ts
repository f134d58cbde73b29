// Where a user stands, in French: invited (no password chosen yet), active
// or deactivated.
import type { Schemas } from "../../api/client";

type User = Schemas["User"];
export type UserState = User["state"];

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

/** « Camille Exemple », or the e-mail when the names are blank. */
export function fullName(user: User): string {
  return `${user.first_name} ${user.last_name}`.trim() || user.email;
}
