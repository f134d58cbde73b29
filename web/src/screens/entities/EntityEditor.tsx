// Ajouter une entité (no id) or modifier one (its id): the form, then back
// to the list, which says what was done.
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { navigate } from "../../router";
import { EntityForm } from "./EntityForm";
import { EMPTY_ENTITY, type EntityValues, entityInput, entityValues } from "./values";

type Entity = Schemas["Entity"];

export function EntityEditor({ entityId }: { entityId?: string }) {
  const { api } = useApp();
  const [entity, setEntity] = useState<Entity | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!entityId) return;
    api.GET("/entities/{entityId}", { params: { path: { entityId } } }).then(
      ({ data, error, response }) => (data ? setEntity(data) : setLoadProblem(problemOf(error, response.status))),
      () => setLoadProblem(networkProblem()),
    );
  }, [entityId]);

  async function save(values: EntityValues) {
    setProblem(null);
    setBusy(true);
    try {
      const body = entityInput(values);
      const { data, error, response } = entityId
        ? await api.PUT("/entities/{entityId}", { params: { path: { entityId } }, body })
        : await api.POST("/entities", { body });
      if (!data) return setProblem(problemOf(error, response.status));
      navigate(`/entites?${entityId ? "enregistree" : "ajoutee"}=${encodeURIComponent(data.entity_id)}`);
    } catch {
      setProblem(networkProblem());
    } finally {
      setBusy(false);
    }
  }

  const title = entityId ? (entity ? `Modifier « ${entity.name} »` : "Modifier une entité") : "Ajouter une entité";
  const ready = !entityId || entity !== null;
  return (
    <section class="entities-area" aria-labelledby="entity-title" data-loaded={String(ready)}>
      <p><a href="/entites">← Toutes les entités</a></p>
      <h1 id="entity-title">{title}</h1>
      {loadProblem && <p class="error" role="alert">{loadProblem.message}</p>}
      {!ready && !loadProblem && <p aria-busy="true">Chargement…</p>}
      {ready && (
        <EntityForm initial={entity ? entityValues(entity) : EMPTY_ENTITY} busy={busy} problem={problem}
          submitLabel={entityId ? "Enregistrer les changements" : "Ajouter l'entité"} onSubmit={(v) => void save(v)} />
      )}
    </section>
  );
}
