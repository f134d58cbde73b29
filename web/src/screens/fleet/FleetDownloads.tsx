// The fleet's files: the empty matrix to fill in, and the fleet as it stands.
import { useState } from "preact/hooks";
import type { Problem } from "../../api/client";
import { useApp } from "../../context";
import { downloadFile } from "../../ui/files";

export function FleetDownloads({ writes }: { writes: boolean }) {
  const { api } = useApp();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function download(path: "/fleet/template" | "/fleet/export", name: string) {
    setBusy(true);
    setProblem(await downloadFile(api, path, name));
    setBusy(false);
  }

  return (
    <div class="actions">
      {writes && (
        <button type="button" disabled={busy} onClick={() => void download("/fleet/template", "matrice-flotte.xlsx")}>
          Télécharger la matrice vierge (Excel)
        </button>
      )}
      <button type="button" disabled={busy} onClick={() => void download("/fleet/export", "flotte.xlsx")}>
        Exporter la flotte (Excel)
      </button>
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </div>
  );
}
