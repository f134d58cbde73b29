// Importing a workbook (vehicles, drivers or assignments): pick the file,
// follow its progress, read the refused cells, and apply the valid rows
// anyway when the API allows it. Shared by the fleet, drivers and planning screens.
import { useEffect, useState } from "preact/hooks";
import { Field } from "../Field";
import { ImportProgress } from "./ImportProgress";
import { ImportReport, lines } from "./ImportReport";
import type { ImportRecord } from "./send";
import { canApplyValidRows } from "./uploadPath";
import { useImportFlow } from "./useImportFlow";
import "./imports.css";

interface Props {
  kind: "vehicles" | "drivers" | "assignments";
  title: string;
  /** Called once rows were applied (to reload the list beside the panel). */
  onFinished?: () => void;
  /** Called whenever an import ends, applied or not (to reload a list of imports). */
  onEnded?: (record: ImportRecord) => void;
}

export function ImportPanel({ kind, title, onFinished, onEnded }: Props) {
  const { state, run, reset, busy } = useImportFlow(kind);
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const id = `import-${kind}`;
  const record = state.record;

  useEffect(() => {
    if (state.phase !== "finished" || !record) return;
    if (record.status === "done") onFinished?.();
    onEnded?.(record);
  }, [state.phase, record?.status]);

  function submit(event: Event) {
    event.preventDefault();
    setMissing(!file);
    if (file) void run(file, false);
  }

  return (
    <section class="card import-panel" aria-labelledby={`${id}-title`} data-status={state.phase === "finished" ? (record?.status ?? "problem") : state.phase}>
      <h2 id={`${id}-title`}>{title}</h2>
      <form onSubmit={submit}>
        <Field label="Classeur Excel (.xlsx)" id={`${id}-file`} error={missing ? "Choisissez le classeur à importer." : undefined}
          hint="Rien n'est appliqué si une cellule est refusée : vous verrez la liste des cellules à corriger.">
          <input id={`${id}-file`} type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={`${id}-file-hint`} disabled={busy}
            onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); setMissing(false); reset(); }} />
        </Field>
        <button type="submit" class="primary" disabled={busy}>Importer le classeur</button>
      </form>
      <ImportProgress state={state} id={id} />
      {record && state.phase === "finished" && <ImportReport record={record} id={id} />}
      {record && state.phase === "finished" && file && canApplyValidRows(record) && (
        <div class="actions">
          <button type="button" onClick={() => void run(file, true)}>Appliquer quand même les lignes valides</button>
          <p class="hint">
            {record.rows_total === 1 ? "La ligne sans erreur sera importée" : `Les ${lines(record.rows_total)} sans erreur seront importées`} ;
            les cellules refusées resteront à corriger.
          </p>
        </div>
      )}
      {state.problem && <p class="error" role="alert">{state.problem.message}</p>}
    </section>
  );
}
