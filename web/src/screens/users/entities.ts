// The entities a user form offers: the tenant's for its admins, the
// caller's own for an entity's admin (who grants nothing beyond them).
import type { Schemas } from "../../api/client";
export { useEntities } from "../../ui/entities";

type Entity = Schemas["Entity"];

/** The entities the caller may give roles on. */
export function grantableEntities(can: Schemas["Capabilities"], entities: Entity[]): Entity[] {
  const scope = can.manage_users;
  if (!scope) return [];
  if (scope.kind === "all_entities") return entities;
  return entities.filter((e) => scope.entities.includes(e.entity_id));
}

/** An entity's name, or a plain word when the caller does not see it. */
export function nameIn(entities: Entity[]): (id: string) => string {
  return (id) => entities.find((e) => e.entity_id === id)?.name ?? "une entité hors de votre périmètre";
}
