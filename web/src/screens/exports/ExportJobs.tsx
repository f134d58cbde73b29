// The export jobs: the one just asked for, with its progress bar, and the
// table of recent ones with their links until the files are deleted.
import { useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { useApp } from "../../context";
import { useUsers, userName } from "../privacy/people";
import { FORMATS, deletedText, expiryText, parisMinute, periodText, running, statusText } from "./exportText";

type Job = Schemas["ExportJob"];

interface Props {
  /** What the job holds, in words ("Agence de Lyon, statut « À traiter »"). */
  content: (job: Job) => string;
  refresh: (id: string) => Promise<Job | null>;
}

export function ExportCard({ job, content, refresh }: Props & { job: Job }) {
  const { me } = useApp();
  const deleted = deletedText(job, Date.now());
  return (
    <section class="card export-card" aria-labelledby="export-card-title" data-status={job.status}
      data-export={job.export_id}>
      <h2 id="export-card-title">{job.created_by === me.user.user_id ? "Votre export" : "Export"} du {parisMinute(job.created_at)}</h2>
      <p>{capitalized(content(job))} : {periodText(job)}, {FORMATS[job.format]}.</p>
      {deleted ? <p class="job-deleted">{deleted}</p> : <JobState job={job} id="export-card" live />}
      {job.status === "done" && job.download_url && (
        <p><DownloadLink job={job} refresh={refresh} class="button primary" /></p>
      )}
      {job.status === "done" && !deleted && <p class="hint">{expiryText(job)} (heure de Paris).</p>}
    </section>
  );
}

/** Where a job stands; a progress bar while it runs. `live`: said aloud as it changes. */
function JobState({ job, id, live = false }: { job: Job; id: string; live?: boolean }) {
  const label = `${id}-state`;
  return (
    <div class={`job-state job-${job.status}`}>
      <p id={label} role={live ? "status" : undefined}>{statusText(job)}</p>
      {running(job) && (
        job.status === "running" && job.rows_total > 0
          ? <progress aria-labelledby={label} value={job.progress} max={100}>{job.progress} %</progress>
          : <progress aria-labelledby={label} />
      )}
    </div>
  );
}

/** Links are signed for one hour: one read longer ago than that is read again first. */
const FRESH_MS = 50 * 60_000;

function DownloadLink({ job, refresh, class: className }: { job: Job; refresh: Props["refresh"]; class?: string }) {
  const [readAt] = useState(Date.now());
  async function open(event: MouseEvent) {
    if (Date.now() - readAt < FRESH_MS) return;
    event.preventDefault();
    const fresh = await refresh(job.export_id);
    if (fresh?.download_url) location.assign(fresh.download_url);
  }
  const kind = job.format === "xlsx" ? "Excel" : "CSV";
  return (
    <a href={job.download_url ?? undefined} class={className} onClick={(e) => void open(e)}
      aria-label={`Télécharger le fichier ${kind} de l'export du ${parisMinute(job.created_at)}`}>
      Télécharger le fichier {kind}
    </a>
  );
}

export function ExportTable({ jobs, content, refresh }: Props & { jobs: Job[] }) {
  const { me } = useApp();
  const users = useUsers();
  // An admin sees everyone's exports: say whose each is.
  const whose = me.can.manage_tenant && users;
  return (
    <table class="notices exports">
      <caption class="visually-hidden">Exports récents, le plus récent en premier</caption>
      <thead>
        <tr>
          <th scope="col">Demandé le</th>
          {whose && <th scope="col">Par</th>}
          <th scope="col">Contenu</th>
          <th scope="col">État</th>
          <th scope="col">Fichier</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <tr key={job.export_id} data-export={job.export_id}>
            <td>{parisMinute(job.created_at)}</td>
            {whose && <td>{userName(job.created_by, whose, me.user.user_id)}</td>}
            <td>
              {capitalized(content(job))}
              <span class="muted">{periodText(job)} · {FORMATS[job.format]}</span>
            </td>
            <td><JobState job={job} id={`export-${job.export_id}`} /></td>
            <td>
              {job.download_url
                ? <><DownloadLink job={job} refresh={refresh} /><span class="muted">{expiryText(job)}</span></>
                : <span class="muted">{job.status === "done" ? "Plus téléchargeable avec vos droits actuels" : "—"}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
