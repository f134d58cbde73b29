// Removing a vehicle, in two steps: the button on its row, then, on a row
// of its own beneath, what removal means and the confirmation.
import { useEffect, useRef, useState } from "preact/hooks";
import { type Problem, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";

export function RemoveButton({ plate, onAsk }: { plate: string; onAsk: () => void }) {
  return (
    <button type="button" class="danger" aria-label={`Supprimer le véhicule ${plate}`} onClick={onAsk}>
      Supprimer
    </button>
  );
}

interface Props {
  vehicleId: string;
  plate: string;
  onRemoved: (plate: string) => void;
  onCancel: () => void;
}

export function ConfirmRemoval({ vehicleId, plate, onRemoved, onCancel }: Props) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  // The keyboard user lands on the decision they asked for.
  useEffect(() => confirm.current?.focus(), []);

  async function remove() {
    setBusy(true);
    setProblem(null);
    try {
      const { error, response } = await api.DELETE("/vehicles/{vehicleId}", { params: { path: { vehicleId } } });
      if (response.ok) return onRemoved(plate);
      setProblem(problemOf(error, response.status));
    } catch {
      setProblem(networkProblem());
    }
    setBusy(false);
  }

  return (
    <div class="confirm" role="group" aria-label={`Supprimer le véhicule ${plate}`}>
      <p>
        Supprimer <strong>{plate}</strong> ? Il sort de la flotte aujourd'hui (ou à sa date de sortie si elle est passée)
        et disparaît de la liste. L'ANTAI en est informée dans la déclaration du jour ; les avis d'infractions antérieures
        vous parviennent encore.
      </p>
      <div class="actions">
        <button type="button" class="danger" ref={confirm} disabled={busy} onClick={() => void remove()}>Confirmer la suppression</button>
        <button type="button" disabled={busy} onClick={onCancel}>Annuler</button>
      </div>
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </div>
  );
}
