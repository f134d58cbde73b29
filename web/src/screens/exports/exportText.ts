// The export jobs in plain French: what they hold, where they stand, until when.
import type { Schemas } from "../../api/client";
import { parisDateTime } from "../../format";
import { NOTICE_STATUS } from "../../labels";

type Job = Schemas["ExportJob"];

export const FORMATS: Record<Schemas["ExportFormat"], string> = {
  xlsx: "Excel (.xlsx)",
  csv: "CSV (s'ouvre dans Excel)",
};

/** `JJ/MM/AAAA à HH:MM`, Paris time. */
export function parisMinute(iso: string): string {
  const [day, time] = parisDateTime(iso).split(" ");
  return `${day} à ${time.slice(0, 5)}`;
}

const paris = (iso: string) => parisDateTime(iso).split(" ")[0];

export function periodText(job: Job): string {
  return `avis reçus du ${paris(job.period_from)} au ${paris(job.period_to)}`;
}

/**
 * Which notices: one entity, or `whole` (what the requester could export:
 * "toutes les entités", one entity's name…), and the optional narrowing.
 */
export function contentText(job: Job, entityName: (id: string) => string | undefined, whole: string): string {
  const { entity_id, status, plate } = job.filters;
  const parts = [entity_id ? (entityName(entity_id) ?? "une entité supprimée") : whole];
  if (status) parts.push(`statut « ${NOTICE_STATUS[status]} »`);
  if (plate) parts.push(`véhicule ${plate}`);
  return parts.join(", ");
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} octets`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.round(kb)} Ko`;
  return `${(kb / 1024).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} Mo`;
}

const notices = (n: number) => `${n} avis`;

export function statusText(job: Job): string {
  switch (job.status) {
    case "queued":
      return "En attente de traitement…";
    case "running":
      return job.rows_total > 0
        ? `En cours : ${job.rows_done} avis écrits sur ${job.rows_total} (${job.progress} %)`
        : "En cours…";
    case "done":
      return `Prêt : ${notices(job.rows_total)}${job.file_size != null ? `, ${fileSize(job.file_size)}` : ""}`;
    case "failed":
      return `Échec. ${job.message ?? "L'export n'a pas abouti : demandez-le à nouveau."}`;
  }
}

export const running = (job: Job) => job.status === "queued" || job.status === "running";

/** Days a file is kept, and how long a job that never finished stays listed. */
const KEPT_MS = 7 * 86_400_000;

/** Still worth listing: a file not yet deleted, or a job of the last 7 days. */
export function stillListed(job: Job, now: number): boolean {
  if (job.expires_at) return Date.parse(job.expires_at) > now;
  return Date.parse(job.created_at) > now - KEPT_MS;
}

/** Said of a file already deleted, null while it is kept. */
export function deletedText(job: Job, now: number): string | null {
  if (!job.expires_at || Date.parse(job.expires_at) > now) return null;
  return `Ce fichier a été supprimé le ${parisMinute(job.expires_at)}, 7 jours après sa création : demandez un nouvel export.`;
}

export function expiryText(job: Job): string | null {
  return job.expires_at ? `Disponible jusqu'au ${parisMinute(job.expires_at)}` : null;
}
