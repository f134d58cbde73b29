// Mettre à jour la flotte: the whole fleet as it is now, in one workbook;
// the difference with the stored fleet is shown, then applied on request.
import { useState } from "preact/hooks";
import { Field } from "../Field";
import { ImportProgress } from "../imports/ImportProgress";
import { ImportReport } from "../imports/ImportReport";
import { useImportFlow } from "../imports/useImportFlow";
import type { ImportRecord } from "../imports/send";
import { AppliedRefresh, ApplyRefresh } from "./ApplyRefresh";
import { FleetDiff } from "./FleetDiff";
import { FleetDownloads } from "./FleetDownloads";
import { useEntities } from "../../ui/entities";

export function FleetRefresh() {
  const entities = useEntities().entities ?? [];
  const { state, run, reset, busy } = useImportFlow("fleet_refresh");
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const [applied, setApplied] = useState<{ record: ImportRecord; exitOn: string | null } | null>(null);
  const record = state.phase === "finished" ? state.record : null;

  function submit(event: Event) {
    event.preventDefault();
    setMissing(!file);
    setApplied(null);
    if (file) void run(file, false);
  }

  return (
    <section aria-labelledby="refresh-title" data-status={state.phase === "finished" ? (record?.status ?? "problem") : state.phase}>
      <p><a href="/flotte">← Retour à la flotte</a></p>
      <h1 id="refresh-title">Mettre à jour toute la flotte</h1>
      <ol class="steps hint">
        <li>Exportez la flotte actuelle, corrigez-la dans Excel : ajoutez les nouveaux véhicules, modifiez ceux qui changent, supprimez les lignes des véhicules qui partent.</li>
        <li>Déposez le fichier : designa le compare à la flotte enregistrée et vous montre ce qui changerait. Rien n'est encore appliqué.</li>
        <li>Vérifiez la différence, puis appliquez-la.</li>
      </ol>
      <FleetDownloads writes={false} />
      <form class="card import-panel" onSubmit={submit}>
        <Field label="Fichier de toute la flotte (.xlsx)" id="refresh-file" error={missing ? "Choisissez le fichier de la flotte." : undefined}>
          <input id="refresh-file" type="file" disabled={busy} accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); setMissing(false); setApplied(null); reset(); }} />
        </Field>
        <button type="submit" class="primary" disabled={busy}>Comparer avec la flotte</button>
        <ImportProgress state={state} id="refresh" />
      </form>
      {record && record.status !== "awaiting_apply" && <ImportReport record={record} id="refresh" />}
      {record?.status === "awaiting_apply" && record.changes && (
        <section class="card" aria-labelledby="diff-title">
          <h2 id="diff-title">{applied ? "Mise à jour appliquée" : "Ce que le fichier changerait"}</h2>
          <FleetDiff changes={record.changes} entities={entities} />
          {applied
            ? <AppliedRefresh applied={applied.record} exitOn={applied.exitOn} />
            : <ApplyRefresh record={record} leaving={record.changes.leaving.length} onApplied={(r, exitOn) => setApplied({ record: r, exitOn })} />}
        </section>
      )}
      {state.problem && <p class="error" role="alert">{state.problem.message}</p>}
    </section>
  );
}
