// The whole journal as a CSV file, for an auditor.
import { useState } from "preact/hooks";
import type { Problem } from "../../api/client";
import { useApp } from "../../context";
import { downloadFile } from "../../ui/files";

export function JournalExport() {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);

  async function download() {
    setBusy(true);
    setProblem(null);
    setSaved(false);
    const failed = await downloadFile(api, "/journal/export", "journal.csv");
    setBusy(false);
    if (failed) return setProblem(failed);
    setSaved(true);
  }

  return (
    <section class="card" aria-labelledby="journal-export-title">
      <h2 id="journal-export-title">Export pour un auditeur</h2>
      <p class="hint">
        Toutes les entrées dans un fichier CSV (séparateur « ; »), avec les empreintes qui permettent de vérifier la
        chaîne. Cet export est lui-même inscrit au journal.
      </p>
      <button type="button" onClick={() => void download()} disabled={busy}>
        {busy ? "Préparation du fichier…" : "Exporter le journal (CSV)"}
      </button>
      {saved && <p role="status" class="saved">Le fichier journal.csv est téléchargé.</p>}
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </section>
  );
}
