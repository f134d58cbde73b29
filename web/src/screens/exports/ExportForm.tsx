// Asking for an export: the last 12 months of notices, of every entity the
// user may see or of one, as Excel or CSV, optionally one status or one plate.
import { useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { NOTICE_STATUS } from "../../labels";
import { Field } from "../Field";
import { FORMATS } from "./exportText";

type Job = Schemas["ExportJob"];
type Entity = Schemas["Entity"];

interface Props {
  /** The entities the user may export, by id. */
  entities: Entity[];
  /** Whether the user's scope is the whole tenant. */
  everywhere: boolean;
  onQueued: (job: Job) => void;
}

export function ExportForm({ entities, everywhere, onQueued }: Props) {
  const { api } = useApp();
  const [entity, setEntity] = useState("");
  const [format, setFormat] = useState<Schemas["ExportFormat"]>("xlsx");
  const [status, setStatus] = useState("");
  const [plate, setPlate] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const body = {
        format,
        entity_id: entity || null,
        status: (status || null) as Schemas["NoticeStatus"] | null,
        plate: plate.trim() || null,
      };
      const { data, error, response } = await api.POST("/exports", { body });
      if (!data) setProblem(problemOf(error, response.status));
      else onQueued(data);
    } catch {
      setProblem(networkProblem());
    }
    setBusy(false);
  }

  const error = (field: string) => problem?.fields[field];
  return (
    <form class="card export-form" onSubmit={submit} noValidate aria-labelledby="export-form-title">
      <h2 id="export-form-title">Demander un export</h2>
      <p class="hint">
        Les avis reçus ces 12 derniers mois, avec leur statut et leur réponse (jamais les coordonnées des conducteurs
        désignés). Le fichier est prêt en quelques instants ; vous recevez aussi un e-mail avec le lien.
      </p>
      <div class="row">
        <ScopeField entities={entities} everywhere={everywhere} value={entity} onChange={setEntity} error={error("entity_id")} />
        <Field label="Statut (facultatif)" id="export-status" error={error("status")}>
          <select id="export-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">Tous les statuts</option>
            {Object.entries(NOTICE_STATUS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </Field>
        <Field label="Immatriculation (facultatif)" id="export-plate" error={error("plate")}>
          <input id="export-plate" value={plate} placeholder="AB-123-CD" onInput={(e) => setPlate(e.currentTarget.value)}
            aria-invalid={error("plate") ? "true" : undefined} aria-describedby={error("plate") ? "export-plate-error" : undefined} />
        </Field>
      </div>
      <fieldset class="formats">
        <legend>Format du fichier</legend>
        {Object.entries(FORMATS).map(([value, label]) => (
          <label key={value} class="radio">
            <input type="radio" name="export-format" value={value} checked={format === value}
              onChange={() => setFormat(value as Schemas["ExportFormat"])} />
            {label}
          </label>
        ))}
        {error("format") && <p class="field-error" role="alert">{error("format")}</p>}
      </fieldset>
      <button type="submit" class="primary" disabled={busy}>{busy ? "Demande en cours…" : "Demander l'export"}</button>
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </form>
  );
}

interface ScopeProps {
  entities: Entity[];
  everywhere: boolean;
  value: string;
  onChange: (entity: string) => void;
  error?: string;
}

/** The whole tenant (or all of one's entities) or one entity; nothing to choose with a single entity. */
function ScopeField({ entities, everywhere, value, onChange, error }: ScopeProps) {
  if (!everywhere && entities.length === 1) {
    return (
      <div class="field">
        <p class="label-like">Entité</p>
        <p>{entities[0].name}</p>
      </div>
    );
  }
  return (
    <Field label="Entité" id="export-entity" error={error}>
      <select id="export-entity" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{everywhere ? "Toutes les entités" : "Toutes vos entités"}</option>
        {entities.map((e) => <option key={e.entity_id} value={e.entity_id}>{e.name}</option>)}
      </select>
    </Field>
  );
}
