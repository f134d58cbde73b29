// Calls the fleet screens make: each answer's data, or the problem to show.
import { useEffect, useState } from "preact/hooks";
import { type Api, type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";

export type Loaded<T> = { data: T } | { problem: Problem };

export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Loaded<T>> {
  try {
    const { data, error, response } = await request;
    return data !== undefined ? { data } : { problem: problemOf(error, response.status) };
  } catch {
    return { problem: networkProblem() };
  }
}

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
