// Applying a fleet refresh's difference, once, with the exit date its
// leaving vehicles get; then what was done.
import { useState } from "preact/hooks";
import type { Problem } from "../../api/client";
import { useApp } from "../../context";
import { frenchDate } from "../../format";
import { Field } from "../Field";
import { ImportReport } from "../imports/ImportReport";
import type { ImportRecord } from "../imports/send";
import { call } from "../../ui/load";
import { parisToday } from "./vehicles";

interface Props {
  record: ImportRecord;
  leaving: number;
  onApplied: (applied: ImportRecord, exitOn: string | null) => void;
}

export function ApplyRefresh({ record, leaving, onApplied }: Props) {
  const { api } = useApp();
  const [exitOn, setExitOn] = useState(parisToday());
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const nothing = record.diff?.added === 0 && record.diff.changed === 0 && record.diff.leaving === 0;

  async function apply(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const exit = leaving > 0 && exitOn ? exitOn : null;
    const done = await call(api.POST("/imports/{importId}/apply", {
      params: { path: { importId: record.import_id } },
      body: exit ? { exit_on: exit } : null,
    }));
    setBusy(false);
    if ("problem" in done) return setProblem(done.problem);
    onApplied(done.data, exit);
  }

  if (nothing) return <p class="empty">Le fichier correspond déjà à la flotte : rien à appliquer.</p>;
  return (
    <form onSubmit={apply}>
      {leaving > 0 && (
        <Field label="Date de sortie des véhicules sortants" id="refresh-exit" error={problem?.fields.exit_on}
          hint="Aujourd'hui par défaut. Ils restent dans la flotte jusqu'à ce jour inclus.">
          <input id="refresh-exit" type="date" value={exitOn} onInput={(e) => setExitOn(e.currentTarget.value)}
            aria-describedby="refresh-exit-hint" />
        </Field>
      )}
      <button type="submit" class="primary" disabled={busy}>Appliquer</button>
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </form>
  );
}

/** What the apply did: vehicles written, and those whose plate was taken meanwhile. */
export function AppliedRefresh({ applied, exitOn }: { applied: ImportRecord; exitOn: string | null }) {
  return (
    <div class="apply-result" data-status={applied.status}>
      <p class="saved" role="status">
        {applied.rows_done === 1 ? "1 véhicule mis à jour." : `${applied.rows_done} véhicules mis à jour.`}
        {exitOn && ` Les véhicules sortants quittent la flotte le ${frenchDate(exitOn)}.`}
      </p>
      {applied.errors_total > 0 && <ImportReport record={applied} id="applied" />}
      <p><a href="/flotte">Voir la flotte</a></p>
    </div>
  );
}
