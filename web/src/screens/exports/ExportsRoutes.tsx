// Exports: ask for the last 12 months of notices as a file, follow the job
// while it runs, and download it until it is deleted.
import "./exports.css";
import { useApp } from "../../context";
import type { Schemas } from "../../api/client";
import { useEntities } from "../privacy/people";
import { contentText } from "./exportText";
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
  // The export-ready e-mail links to /exports/<id>: that job first, with a fresh link.
  const focus = url.pathname.match(/^\/exports\/([^/]+)$/)?.[1];
  return (
    <ExportsScreen key={focus} focus={focus && decodeURIComponent(focus)}
      everywhere={scope.kind === "all_entities"} allowed={scope.kind === "entities" ? scope.entities : []} />
  );
}

interface ScreenProps {
  /** The job the address names, if any. */
  focus?: string;
  everywhere: boolean;
  allowed: string[];
}

function ExportsScreen({ focus, everywhere, allowed }: ScreenProps) {
  const { me } = useApp();
  const entities = useEntities();
  const exports = useExports(focus);
  const mine = entities ? [...entities.values()].filter((e) => everywhere || allowed.includes(e.entity_id)) : null;
  const entityName = (id: string) => entities?.get(id)?.name;
  // A job without an entity holds all its requester could export then.
  const mineWhole = everywhere ? "toutes les entités" : mine?.length === 1 ? mine[0].name : "toutes vos entités";
  const content = (job: Schemas["ExportJob"]) =>
    contentText(job, entityName, job.created_by === me.user.user_id ? mineWhole : "tout le périmètre du demandeur");
  const { jobs } = exports;
  const ready = jobs !== null && mine !== null;
  const card = exports.latest && <ExportCard job={exports.latest} content={content} refresh={exports.refresh} />;
  return (
    <section class="exports-area" aria-labelledby="exports-title" data-loaded={String(ready)}>
      <h1 id="exports-title">Exports</h1>
      {focus && card}
      {focus && ready && !exports.latest && (
        <p class="error" role="alert">Cet export est introuvable : il a peut-être été supprimé, ou n'est pas dans votre périmètre.</p>
      )}
      {mine && <ExportForm entities={mine} everywhere={everywhere} onQueued={exports.add} />}
      {!focus && card}
      <section aria-labelledby="exports-list-title">
        <h2 id="exports-list-title">Exports récents</h2>
        <p class="hint">Chaque fichier est gardé 7 jours, puis supprimé.</p>
        {!ready && !exports.problem && <p aria-busy="true">Chargement des exports…</p>}
        {exports.problem && <p class="error" role="alert">{exports.problem.message}</p>}
        {jobs && jobs.length === 0 && <p class="empty">Aucun export ces 7 derniers jours.</p>}
        {jobs && jobs.length > 0 && <ExportTable jobs={jobs} content={content} refresh={exports.refresh} />}
      </section>
    </section>
  );
}
