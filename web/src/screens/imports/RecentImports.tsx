// The user's recent imports (all of the tenant's for its admins), newest
// first: when, what, and how it ended.
import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { type Problem, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { parisDateTime } from "../../format";
import { IMPORT_KIND, IMPORT_STATUS, ImportReport } from "./ImportReport";
import type { ImportKind, ImportRecord } from "./send";
import "./imports.css";

interface Props {
  /** Only these kinds (all when absent). */
  kinds?: ImportKind[];
  /** Changes when an import ends, to read the list again. */
  refresh?: unknown;
  limit?: number;
}

export function RecentImports({ kinds, refresh, limit = 10 }: Props) {
  const { api } = useApp();
  const [imports, setImports] = useState<ImportRecord[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  /** The import whose refused cells are shown beneath its row. */
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    api.GET("/imports").then(
      ({ data, error, response }) => (data ? setImports(data.imports) : setProblem(problemOf(error, response.status))),
      () => setProblem(networkProblem()),
    );
  }, [refresh]);

  const shown = imports?.filter((i) => !kinds || kinds.includes(i.kind)).slice(0, limit) ?? null;
  return (
    <section class="recent-imports" aria-labelledby="recent-imports-title" data-loaded={String(shown !== null)}>
      <h2 id="recent-imports-title">Imports récents</h2>
      {problem && <p class="error" role="alert">{problem.message}</p>}
      {shown && shown.length === 0 && <p class="empty">Aucun import pour l'instant.</p>}
      {shown && shown.length > 0 && (
        <table class="notices imports">
          <caption class="visually-hidden">Imports récents, le plus récent en premier</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Type</th>
              <th scope="col">Résultat</th>
              <th scope="col">Lignes appliquées</th>
              <th scope="col">Cellules refusées</th>
              <th scope="col"><span class="visually-hidden">Rapport</span></th>
            </tr>
          </thead>
          <tbody>
            {shown.map((i) => (
              <Fragment key={i.import_id}>
                <tr>
                  <td>{parisDateTime(i.created_at)}</td>
                  <td>{IMPORT_KIND[i.kind]}</td>
                  <td>{IMPORT_STATUS[i.status]}{i.partial && <span class="muted">lignes valides seulement</span>}</td>
                  <td>{applied(i)}</td>
                  <td>{i.errors_total}</td>
                  <td>
                    {(i.errors.length > 0 || i.message) && (
                      <button type="button" aria-expanded={open === i.import_id}
                        aria-label={`${open === i.import_id ? "Masquer" : "Voir"} le rapport de l'import du ${parisDateTime(i.created_at)}`}
                        onClick={() => setOpen(open === i.import_id ? null : i.import_id)}>
                        {open === i.import_id ? "Masquer" : "Voir le rapport"}
                      </button>
                    )}
                  </td>
                </tr>
                {open === i.import_id && (
                  <tr>
                    <td colSpan={6}><ImportReport record={i} id={`recent-${i.import_id}`} /></td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Rows applied: none while rejected or waiting, else done out of total. */
function applied(i: ImportRecord): string {
  if (i.status === "done" || i.status === "applied") return String(i.rows_done);
  if (i.status === "processing" && i.rows_total > 0) return `${i.rows_done} sur ${i.rows_total}`;
  return "—";
}
