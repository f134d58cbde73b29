// The entities a user form offers: the tenant's for its admins, the
// caller's own for an entity's admin (who grants nothing beyond them).
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";

type Entity = Schemas["Entity"];

/** The entities the caller sees, or null while they load. */
export function useEntities(): { entities: Entity[] | null; problem: Problem | null } {
  const { api } = useApp();
  const [entities, setEntities] = useState<Entity[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    api.GET("/entities").then(
      ({ data, error, response }) => (data ? setEntities(data.entities) : setProblem(problemOf(error, response.status))),
      () => setProblem(networkProblem()),
    );
  }, []);
  return { entities, problem };
}

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
