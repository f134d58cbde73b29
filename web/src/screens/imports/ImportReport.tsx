// What an import did, in words, and every refused cell by row and column.
import type { ImportRecord } from "./send";

export const IMPORT_STATUS: Record<ImportRecord["status"], string> = {
  awaiting_upload: "En attente du fichier",
  processing: "En cours de lecture",
  rejected: "Refusé : rien n'a été appliqué",
  done: "Importé",
  awaiting_apply: "Différence prête, à appliquer",
  applied: "Appliqué",
  failed: "Échec : fichier illisible",
};

export const IMPORT_KIND: Record<ImportRecord["kind"], string> = {
  vehicles: "Véhicules",
  drivers: "Conducteurs",
  assignments: "Attributions",
  fleet_refresh: "Mise à jour de la flotte",
};

export const lines = (n: number) => (n === 1 ? "1 ligne" : `${n} lignes`);
const cells = (n: number) => (n === 1 ? "1 cellule refusée" : `${n} cellules refusées`);

/** One sentence on the outcome (the API's own message when it has one). */
export function outcomeSentence(record: ImportRecord): string {
  switch (record.status) {
    case "done":
      return record.errors_total > 0
        ? `${lines(record.rows_done)} valides importées ; ${cells(record.errors_total)}, non appliquées (détail ci-dessous).`
        : `${lines(record.rows_done)} importée${record.rows_done > 1 ? "s" : ""}, sans erreur.`;
    case "rejected":
      return record.message ?? `${cells(record.errors_total)} : rien n'a été appliqué.`;
    case "failed":
      return record.message ?? "Le fichier n'a pas pu être lu.";
    default:
      return IMPORT_STATUS[record.status];
  }
}

export function ImportReport({ record, id }: { record: ImportRecord; id: string }) {
  const tone = record.status === "done" || record.status === "applied" ? "saved" : record.status === "awaiting_apply" ? "" : "error";
  return (
    <div class="import-report">
      <p class={tone} role="status">{outcomeSentence(record)}</p>
      {record.errors.length > 0 && <RefusedCells record={record} id={id} />}
    </div>
  );
}

function RefusedCells({ record, id }: { record: ImportRecord; id: string }) {
  const shown = record.errors.length;
  return (
    <>
      <table class="notices refused" id={`${id}-refused`}>
        <caption>Cellules à corriger dans le classeur (ligne et colonne Excel)</caption>
        <thead>
          <tr>
            <th scope="col">Ligne</th>
            <th scope="col">Colonne</th>
            <th scope="col">À corriger</th>
          </tr>
        </thead>
        <tbody>
          {record.errors.map((e, i) => (
            <tr key={i}>
              <th scope="row">ligne {e.row}</th>
              <td>colonne {e.column}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {record.errors_total > shown && (
        <p class="hint">Seules les {shown} premières cellules sont listées sur {record.errors_total}.</p>
      )}
    </>
  );
}
