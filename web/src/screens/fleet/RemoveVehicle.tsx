// Removing a vehicle, in two steps on its row: the button, then what
// removal means and the confirmation.
import { useState } from "preact/hooks";
import { type Problem, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";

interface Props {
  vehicleId: string;
  plate: string;
  onRemoved: (plate: string) => void;
}

export function RemoveVehicle({ vehicleId, plate, onRemoved }: Props) {
  const { api } = useApp();
  const [asked, setAsked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function remove() {
    setBusy(true);
    setProblem(null);
    try {
      const { error, response } = await api.DELETE("/vehicles/{vehicleId}", { params: { path: { vehicleId } } });
      if (response.ok) return onRemoved(plate);
      setProblem(problemOf(error, response.status));
    } catch {
      setProblem(networkProblem());
    } finally {
      setBusy(false);
    }
  }

  if (!asked) {
    return (
      <button type="button" class="danger" aria-label={`Supprimer le véhicule ${plate}`} onClick={() => setAsked(true)}>
        Supprimer
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={`Supprimer le véhicule ${plate}`}>
      <p>{plate} sort de la flotte aujourd'hui et disparaît de la liste. L'ANTAI en est informée dans la déclaration du jour ; les avis d'infractions antérieures vous parviennent encore.</p>
      <div class="actions">
        <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>Confirmer la suppression</button>
        <button type="button" disabled={busy} onClick={() => setAsked(false)}>Annuler</button>
      </div>
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </div>
  );
}
