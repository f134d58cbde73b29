// Removing something in two steps, without a pop-up: "Supprimer", then
// "Confirmer la suppression" next to it, and the refusal said in place.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Problem } from "../../api/client";

interface Props {
  /** What is removed, for the buttons' names: "le conducteur Camille Exemple". */
  what: string;
  /** What the removal also means, said before confirming. */
  consequence?: string;
  /** Removes it: null once done, else the problem to show. */
  onConfirm: () => Promise<Problem | null>;
}

export function RemoveButton({ what, consequence, onConfirm }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    // Focus follows the step, so that keyboard users land on the next button.
    if (!moved.current) return;
    (confirming ? confirm : start).current?.focus();
  }, [confirming]);

  function step(next: boolean) {
    moved.current = true;
    setProblem(null);
    setConfirming(next);
  }

  async function remove() {
    setBusy(true);
    const refused = await onConfirm();
    setBusy(false);
    if (refused) setProblem(refused);
  }

  if (!confirming) {
    return (
      <button type="button" class="danger" ref={start} aria-label={`Supprimer ${what}`} onClick={() => step(true)}>
        Supprimer
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={`Suppression de ${what}`}>
      <p>Supprimer {what} ?{consequence ? ` ${consequence}` : ""}</p>
      <div class="actions">
        <button type="button" class="danger" ref={confirm} disabled={busy} onClick={() => void remove()}>
          Confirmer la suppression
        </button>
        <button type="button" disabled={busy} onClick={() => step(false)}>Annuler</button>
      </div>
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </div>
  );
}
