// Who may do what to entities: the tenant's admins add and remove them;
// they and an entity's own admins change it.
import type { Schemas } from "../../api/client";

type Can = Schemas["Capabilities"];

/** Adding and removing entities: the tenant's admins. */
export function managesEntities(can: Can): boolean {
  return can.manage_tenant;
}

/** Changing this entity: the tenant's admins, or its own. */
export function editsEntity(can: Can, entityId: string): boolean {
  const scope = can.manage_users;
  if (can.manage_tenant) return true;
  return !!scope && (scope.kind === "all_entities" || scope.entities.includes(entityId));
}
