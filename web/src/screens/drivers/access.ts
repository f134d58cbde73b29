// What the signed-in user may change: fleet managers write vehicles,
// drivers and the planning of their entities; designators only read them.
import type { Schemas } from "../../api/client";

type Can = Schemas["Capabilities"];
type Scope = Schemas["Scope"];

function covers(scope: Scope | null | undefined, entityId: string): boolean {
  if (!scope) return false;
  return scope.kind === "all_entities" || scope.entities.includes(entityId);
}

/** Whether the user may write drivers and assignments at all. */
export function writesFleet(can: Can): boolean {
  return !!can.write_fleet;
}

/** Whether the user may write the drivers and assignments of `entityId`. */
export function writesIn(can: Can, entityId: string): boolean {
  return covers(can.write_fleet, entityId);
}

/** The entities the user may add drivers to. */
export function writableEntities(can: Can, entities: Schemas["Entity"][]): Schemas["Entity"][] {
  return entities.filter((e) => writesIn(can, e.entity_id));
}

/** An entity's name, or its id when it is not visible. */
export function entityName(entities: Schemas["Entity"][], entityId: string): string {
  return entities.find((e) => e.entity_id === entityId)?.name ?? entityId;
}
