// An entity's name in the fleet's tables.
import type { Schemas } from "../../api/client";

export function entityName(entities: Schemas["Entity"][], entityId: string): string {
  return entities.find((e) => e.entity_id === entityId)?.name ?? entityId;
}
