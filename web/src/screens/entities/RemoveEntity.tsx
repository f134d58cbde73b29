// Supprimer une entité, after a second, confirming click. The API refuses
// while vehicles or drivers still belong to it: the list shows its
// sentence under the entity's row (Refusal), with where to find them.
import { useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";

type Entity = Schemas["Entity"];

interface Props {
  entity: Entity;
  onRemoved: (e: Entity) => void;
  /** The refusal, or null when the user tries again. */
  onRefused: (problem: Problem | null) => void;
}

export function RemoveEntity({ entity, onRemoved, onRefused }: Props) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  async function remove() {
    onRefused(null);
    setBusy(true);
    try {
      const { error, response } = await api.DELETE("/entities/{entityId}", {
        params: { path: { entityId: entity.entity_id } },
      });
      if (!response.ok) {
        setConfirming(false);
        return onRefused(problemOf(error, response.status));
      }
      onRemoved(entity);
    } catch {
      onRefused(networkProblem());
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {!confirming && (
        <button type="button" class="danger" disabled={busy} aria-label={`Supprimer l'entité ${entity.name}`}
          onClick={() => { onRefused(null); setConfirming(true); }}>
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
    </>
  );
}

/** Why the entity was not removed, under its row. */
export function Refusal({ entity, problem }: { entity: Entity; problem: Problem }) {
  return (
    <div class="error" role="alert">
      <p>« {entity.name} » n'est pas supprimée. {problem.message}</p>
      {problem.status === 409 && (
        <p>
          Vous les trouverez dans <a href="/flotte">Flotte</a> et dans <a href="/conducteurs">Conducteurs</a>.
        </p>
      )}
    </div>
  );
}
