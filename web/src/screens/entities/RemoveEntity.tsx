// Supprimer une entité, after a second, confirming click. The API refuses
// while vehicles or drivers still belong to it: its sentence says how many,
// and the links lead to where they are moved or removed.
import { useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";

type Entity = Schemas["Entity"];

export function RemoveEntity({ entity, onRemoved }: { entity: Entity; onRemoved: (e: Entity) => void }) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function remove() {
    setProblem(null);
    setBusy(true);
    try {
      const { error, response } = await api.DELETE("/entities/{entityId}", {
        params: { path: { entityId: entity.entity_id } },
      });
      if (!response.ok) {
        setConfirming(false);
        return setProblem(problemOf(error, response.status));
      }
      onRemoved(entity);
    } catch {
      setProblem(networkProblem());
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {!confirming && (
        <button type="button" class="danger" disabled={busy} aria-label={`Supprimer l'entité ${entity.name}`}
          onClick={() => { setProblem(null); setConfirming(true); }}>
          Supprimer
        </button>
      )}
      {confirming && (
        <div class="confirm" role="group" aria-label={`Supprimer l'entité ${entity.name} ?`}>
          <p>Supprimer l'entité « {entity.name} » ? C'est définitif.</p>
          <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>Confirmer la suppression</button>
          <button type="button" disabled={busy} onClick={() => setConfirming(false)}>Annuler</button>
        </div>
      )}
      {problem && (
        <div class="error" role="alert">
          <p>« {entity.name} » n'est pas supprimée. {problem.message}</p>
          {problem.status === 409 && (
            <p>
              Vous les trouverez dans <a href="/flotte">Flotte</a> et dans <a href="/conducteurs">Conducteurs</a>.
            </p>
          )}
        </div>
      )}
    </>
  );
}
