// Exports: ask for the last 12 months of notices as a file, follow the job
// while it runs, and download it until it is deleted.
import "./exports.css";
import { useApp } from "../../context";
import { useEntities } from "../privacy/people";
import { ExportForm } from "./ExportForm";
import { ExportCard, ExportTable } from "./ExportJobs";
import { useExports } from "./useExports";

export function ExportsRoutes({ url }: { url: URL }) {
  const { me } = useApp();
  const scope = me.can.read_notices;
  if (!scope) {
    return (
      <section aria-labelledby="exports-title" data-path={url.pathname}>
        <h1 id="exports-title">Exports</h1>
        <p class="error" role="alert">Vos droits ne comprennent pas les avis : vous ne pouvez pas les exporter.</p>
      </section>
    );
  }
  return <ExportsScreen everywhere={scope.kind === "all_entities"} allowed={scope.kind === "entities" ? scope.entities : []} />;
}

function ExportsScreen({ everywhere, allowed }: { everywhere: boolean; allowed: string[] }) {
  const entities = useEntities();
  const exports = useExports();
  const mine = entities ? [...entities.values()].filter((e) => everywhere || allowed.includes(e.entity_id)) : null;
  const entityName = (id: string) => entities?.get(id)?.name;
  const { jobs } = exports;
  const ready = jobs !== null && mine !== null;
  return (
    <section aria-labelledby="exports-title" data-loaded={String(ready)}>
      <h1 id="exports-title">Exports</h1>
      {mine && <ExportForm entities={mine} everywhere={everywhere} onQueued={exports.add} />}
      {exports.latest && <ExportCard job={exports.latest} entityName={entityName} refresh={exports.refresh} />}
      <section aria-labelledby="exports-list-title">
        <h2 id="exports-list-title">Exports récents</h2>
        <p class="hint">Chaque fichier est gardé 7 jours, puis supprimé.</p>
        {!ready && !exports.problem && <p aria-busy="true">Chargement des exports…</p>}
        {exports.problem && <p class="error" role="alert">{exports.problem.message}</p>}
        {jobs && jobs.length === 0 && <p class="empty">Aucun export ces 7 derniers jours.</p>}
        {jobs && jobs.length > 0 && <ExportTable jobs={jobs} entityName={entityName} refresh={exports.refresh} />}
      </section>
    </section>
  );
}
