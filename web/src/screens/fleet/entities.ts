// The entities the fleet screens name and offer.
import { useEffect, useState } from "preact/hooks";
import type { Api, Schemas } from "../../api/client";

/** The tenant's entities the user sees (names for the table, choices for the forms). */
export function useEntities(api: Api): Schemas["Entity"][] {
  const [entities, setEntities] = useState<Schemas["Entity"][]>([]);
  useEffect(() => {
    api.GET("/entities").then(({ data }) => setEntities(data?.entities ?? []), () => setEntities([]));
  }, []);
  return entities;
}

export function entityName(entities: Schemas["Entity"][], entityId: string): string {
  return entities.find((e) => e.entity_id === entityId)?.name ?? entityId;
}
