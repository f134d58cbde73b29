// The import's progress bar: bytes sent while the file travels, then rows
// applied while the API reads it.
import type { ImportState } from "./useImportFlow";

export function ImportProgress({ state, id }: { state: ImportState; id: string }) {
  const { phase, record } = state;
  if (phase === "idle" || phase === "finished") return null;
  const label = `${id}-progress-label`;
  if (phase === "uploading" && state.size > 0) {
    const percent = Math.round((100 * state.sent) / state.size);
    return (
      <div class="import-progress" role="status">
        <p id={label}>Envoi du fichier : {percent} %</p>
        <progress aria-labelledby={label} value={state.sent} max={state.size}>{percent} %</progress>
      </div>
    );
  }
  const total = record?.rows_total ?? 0;
  if (phase === "processing" && total > 0) {
    return (
      <div class="import-progress" role="status">
        <p id={label}>Lignes appliquées : {record?.rows_done ?? 0} sur {total}</p>
        <progress aria-labelledby={label} value={record?.rows_done ?? 0} max={total} />
        <Leave />
      </div>
    );
  }
  // Rows not counted yet: the bar runs without a value (indeterminate).
  return (
    <div class="import-progress" role="status">
      <p id={label}>{phase === "processing" ? "Lecture du classeur en cours…" : "Envoi et lecture du classeur…"}</p>
      <progress aria-labelledby={label} />
      {phase === "processing" && <Leave />}
    </div>
  );
}

/** A workbook read in the background goes on without the page. */
function Leave() {
  return <p class="hint">Vous pouvez quitter cette page : l'import continue en arrière-plan.</p>;
}
