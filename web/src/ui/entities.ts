// The entities the caller sees: every screen that names or offers them.
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../api/client";
import { useApp } from "../context";

type Entity = Schemas["Entity"];

/** The entities the caller sees, or null while they load (and the problem if they cannot). */
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
