// Avis: the tenant's notices in the caller's scope, soonest deadline first.
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../api/client";
import { useApp } from "../context";
import { daysLeftLabel, frenchDate, parisDateTime, urgency } from "../format";
import { NOTICE_STATUS } from "../labels";
import { navigateWithFilters } from "../router";
import { Field } from "./Field";

type Notice = Schemas["Notice"];
type NoticeStatus = Schemas["NoticeStatus"];

const DUE_WITHIN = [
  ["", "Toutes les échéances"],
  ["2", "Sous 2 jours"],
  ["7", "Sous 7 jours"],
  ["15", "Sous 15 jours"],
] as const;

export function Notices({ query }: { query: URLSearchParams }) {
  const { api } = useApp();
  const [notices, setNotices] = useState<Notice[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Which filters the rows shown answer (tests wait for it to match the address).
  const [loadedQuery, setLoadedQuery] = useState<string | null>(null);
  const filters = {
    status: (query.get("statut") || undefined) as NoticeStatus | undefined,
    search: query.get("recherche") || undefined,
    due_within_days: query.get("echeance") ? Number(query.get("echeance")) : undefined,
    entity_id: query.get("entite") || undefined,
    offence_from: query.get("du") || undefined,
    offence_to: query.get("au") || undefined,
  };

  // `signal` drops the answer to filters the user has already changed: a slow
  // reply must never overwrite the rows of the newer filters.
  async function load(cursor?: string, signal?: AbortSignal) {
    setProblem(null);
    try {
      const { data, error, response } = await api.GET("/notices", {
        params: { query: { ...filters, cursor, limit: 25 } },
        signal,
      });
      if (signal?.aborted) return;
      if (!data) return setProblem(problemOf(error, response.status));
      setNotices((shown) => (cursor && shown ? [...shown, ...data.notices] : data.notices));
      setNext(data.next_cursor ?? null);
      setLoadedQuery(query.toString());
    } catch {
      if (!signal?.aborted) setProblem(networkProblem());
    }
  }

  useEffect(() => {
    const superseded = new AbortController();
    setNotices(null);
    void load(undefined, superseded.signal);
    return () => superseded.abort();
  }, [query.toString()]);

  return (
    <section aria-labelledby="notices-title" data-loaded={String(loadedQuery === query.toString())}>
      <h1 id="notices-title">Avis de contravention</h1>
      <NoticeFilters query={query} />
      {problem && <p class="error" role="alert">{problem.message}</p>}
      {notices === null && !problem && <p aria-busy="true">Chargement des avis…</p>}
      {notices && notices.length === 0 && !next && <p class="empty">Aucun avis ne correspond à ces critères.</p>}
      {notices && notices.length === 0 && next && (
        <p class="empty">Aucun avis parmi les échéances les plus proches : cherchez dans les suivants.</p>
      )}
      {notices && notices.length > 0 && <NoticeTable notices={notices} />}
      {next && (
        <button type="button" onClick={() => void load(next)}>
          Afficher les avis suivants
        </button>
      )}
    </section>
  );
}

function NoticeFilters({ query }: { query: URLSearchParams }) {
  const { api } = useApp();
  const [search, setSearch] = useState(query.get("recherche") ?? "");
  const [entities, setEntities] = useState<Schemas["Entity"][]>([]);
  useEffect(() => {
    api.GET("/entities").then(({ data }) => setEntities(data?.entities ?? []), () => setEntities([]));
  }, []);
  const apply = (changes: Record<string, string>) => navigateWithFilters("/avis", query, changes);
  return (
    <form class="filters" role="search" aria-label="Filtrer les avis"
      onSubmit={(e) => { e.preventDefault(); apply({ recherche: search.trim() }); }}>
      <Field label="Statut" id="filter-status">
        <select id="filter-status" value={query.get("statut") ?? ""}
          onChange={(e) => apply({ statut: e.currentTarget.value })}>
          <option value="">Tous les statuts</option>
          {Object.entries(NOTICE_STATUS).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
      </Field>
      <Field label="Échéance" id="filter-due">
        <select id="filter-due" value={query.get("echeance") ?? ""}
          onChange={(e) => apply({ echeance: e.currentTarget.value })}>
          {DUE_WITHIN.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </Field>
      {entities.length > 1 && (
        <Field label="Entité" id="filter-entity">
          <select id="filter-entity" value={query.get("entite") ?? ""}
            onChange={(e) => apply({ entite: e.currentTarget.value })}>
            <option value="">Toutes les entités</option>
            {entities.map((e) => <option key={e.entity_id} value={e.entity_id}>{e.name}</option>)}
          </select>
        </Field>
      )}
      <Field label="Infraction du" id="filter-from">
        <input id="filter-from" type="date" value={query.get("du") ?? ""}
          onChange={(e) => apply({ du: e.currentTarget.value })} />
      </Field>
      <Field label="Infraction au" id="filter-to">
        <input id="filter-to" type="date" value={query.get("au") ?? ""}
          onChange={(e) => apply({ au: e.currentTarget.value })} />
      </Field>
      <Field label="Immatriculation ou n° d'avis" id="filter-search">
        <input id="filter-search" type="search" value={search} placeholder="AB-123-CD ou 8812…"
          onInput={(e) => setSearch(e.currentTarget.value)} />
      </Field>
      <button type="submit">Rechercher</button>
    </form>
  );
}

function NoticeTable({ notices }: { notices: Notice[] }) {
  return (
    <table class="notices">
      <caption class="visually-hidden">Avis triés par échéance, la plus proche en premier</caption>
      <thead>
        <tr>
          <th scope="col">Échéance</th>
          <th scope="col">Avis</th>
          <th scope="col">Véhicule</th>
          <th scope="col">Infraction</th>
          <th scope="col">Statut</th>
        </tr>
      </thead>
      <tbody>
        {notices.map((n) => (
          <tr key={n.notice_number}>
            <td>
              <DaysLeft notice={n} />
              <span class="muted">{frenchDate(n.deadline)}</span>
            </td>
            <td><a href={`/avis/${encodeURIComponent(n.notice_number)}`}>{n.notice_number}</a></td>
            <td>
              <strong class="plate">{n.plate}</strong>
              <span class="muted">{n.make} {n.model}</span>
            </td>
            <td>
              {n.offence.label}
              <span class="muted">{parisDateTime(n.offence_at)}</span>
            </td>
            <td class={`status-${n.status.toLowerCase()}`}>{NOTICE_STATUS[n.status]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The days left, coloured only while an answer is still due. */
export function DaysLeft({ notice }: { notice: Notice }) {
  const due = notice.status === "OPEN" || notice.status === "ANSWER_IN_ERROR";
  if (!due) return <span class="badge done">—</span>;
  return <span class={`badge ${urgency(notice.days_left)}`}>{daysLeftLabel(notice.days_left)}</span>;
}
