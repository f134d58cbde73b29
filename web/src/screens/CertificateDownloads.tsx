// The certificate of an answer ANTAI acknowledged: its PDF for people, its
// signed proof for whoever checks it offline.
import { useState } from "preact/hooks";
import type { Problem } from "../api/client";
import { useApp } from "../context";
import { downloadFile } from "../ui/files";

export function CertificateDownloads({ number }: { number: string }) {
  const { api } = useApp();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const params = { path: { noticeNumber: number } };

  async function download(proof: boolean) {
    setBusy(true);
    setProblem(null);
    const failed = proof
      ? await downloadFile(api, "/notices/{noticeNumber}/certificate/proof", `attestation-${number}.json`, params)
      : await downloadFile(api, "/notices/{noticeNumber}/certificate", `attestation-${number}.pdf`, params);
    setProblem(failed);
    setBusy(false);
  }

  return (
    <div class="certificate">
      <h3>Attestation</h3>
      <p>
        L'ANTAI a accepté cette réponse : l'attestation le prouve. Son code de vérification permet à
        quiconque de la vérifier, sans compte.
      </p>
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={() => void download(false)}>
          Télécharger l'attestation
        </button>
        <button type="button" disabled={busy} onClick={() => void download(true)}>
          Télécharger la preuve signée (JSON)
        </button>
      </div>
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </div>
  );
}
