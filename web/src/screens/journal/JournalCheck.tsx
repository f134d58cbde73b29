// "Vérifier l'intégrité": the hash chain checked by the API, told in plain French.
import { useState } from "preact/hooks";
import { type Problem, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { parisDateTime } from "../../format";
import { type CheckText, checkText } from "./journalText";

export function JournalCheck() {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ text: CheckText; at: string } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function verify() {
    setBusy(true);
    setProblem(null);
    try {
      const { data, error, response } = await api.GET("/journal/verify");
      if (!data) setProblem(problemOf(error, response.status));
      else setResult({ text: checkText(data), at: new Date().toISOString() });
    } catch {
      setProblem(networkProblem());
    }
    setBusy(false);
  }

  return (
    <section class="card" aria-labelledby="journal-check-title">
      <h2 id="journal-check-title">Intégrité du journal</h2>
      <p class="hint">designa recalcule chaque maillon de la chaîne et la compare aux copies scellées chaque jour.</p>
      <button type="button" class="primary" onClick={() => void verify()} disabled={busy}>
        {busy ? "Vérification en cours…" : "Vérifier l'intégrité"}
      </button>
      <div role="status" aria-live="polite">
        {result && <CheckResult {...result} />}
      </div>
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </section>
  );
}

function CheckResult({ text, at }: { text: CheckText; at: string }) {
  return (
    <div class={text.intact ? "chain-check intact" : "chain-check broken"} data-intact={String(text.intact)}>
      <p class="check-headline">{text.headline}</p>
      {text.problems.length > 0 && (
        <ul class="check-problems">
          {text.problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
      <ul class="check-details">
        {text.details.map((d) => <li key={d}>{d}</li>)}
      </ul>
      <p class="hint">Vérifié le {parisDateTime(at)} (heure de Paris).</p>
    </div>
  );
}
