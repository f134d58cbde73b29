// Tableau de bord: what is urgent now and how the last 12 months went, for
// every entity the user may see. Anonymous figures only (never per driver).
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../api/client";
import { useApp } from "../context";
import { frenchDate } from "../format";
import { navigate } from "../router";
import { Field } from "./Field";
import { MonthChart } from "./MonthChart";

type Dashboard = Schemas["Dashboard"];
type Figures = Schemas["Figures"];

export function DashboardScreen({ query }: { query: URLSearchParams }) {
  const { api } = useApp();
  const entity = query.get("entite") ?? "";
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    const superseded = new AbortController();
    setDashboard(null);
    setProblem(null);
    api
      .GET("/stats", { params: { query: { entity_id: entity || undefined } }, signal: superseded.signal })
      .then(({ data, error, response }) => {
        if (superseded.signal.aborted) return;
        if (data) setDashboard(data);
        else setProblem(problemOf(error, response.status));
      })
      .catch(() => superseded.signal.aborted || setProblem(networkProblem()));
    return () => superseded.abort();
  }, [entity]);

  return (
    <section aria-labelledby="dashboard-title" data-loaded={String(dashboard !== null)}>
      <h1 id="dashboard-title">Tableau de bord</h1>
      {problem && <p class="error" role="alert">{problem.message}</p>}
      {!dashboard && !problem && <p aria-busy="true">Calcul des chiffres…</p>}
      {dashboard && <DashboardBody dashboard={dashboard} entity={entity} />}
    </section>
  );
}

function DashboardBody({ dashboard, entity }: { dashboard: Dashboard; entity: string }) {
  const { total } = dashboard;
  return (
    <>
      <p class="hint">
        Chiffres au {frenchDate(dashboard.today)} ; l'historique couvre les 12 derniers mois, depuis le{" "}
        {frenchDate(dashboard.history_from)}.
      </p>
      <EntityChoice entity={entity} />
      <NowCards figures={total} entity={entity} />
      <YearSummary figures={total} />
      <MonthChart months={total.months} />
      {!entity && dashboard.entities.length > 1 && <EntityTable entities={dashboard.entities} />}
    </>
  );
}

/** Shown when the user sees more than one entity. */
function EntityChoice({ entity }: { entity: string }) {
  const { api } = useApp();
  const [entities, setEntities] = useState<Schemas["Entity"][]>([]);
  useEffect(() => {
    api.GET("/entities").then(({ data }) => setEntities(data?.entities ?? []), () => setEntities([]));
  }, []);
  if (entities.length < 2) return null;
  return (
    <form class="filters" aria-label="Choisir l'entité" onSubmit={(e) => e.preventDefault()}>
      <Field label="Entité" id="dashboard-entity">
        <select id="dashboard-entity" value={entity}
          onChange={(e) => {
            const chosen = e.currentTarget.value;
            navigate(chosen ? `/tableau-de-bord?entite=${encodeURIComponent(chosen)}` : "/tableau-de-bord");
          }}>
          <option value="">Toutes les entités</option>
          {entities.map((e) => <option key={e.entity_id} value={e.entity_id}>{e.name}</option>)}
        </select>
      </Field>
    </form>
  );
}

/** The figures that call for action, each a link to the notices it counts. */
function NowCards({ figures, entity }: { figures: Figures; entity: string }) {
  const list = (filters: Record<string, string>) => {
    const query = new URLSearchParams(filters);
    if (entity) query.set("entite", entity);
    return `/avis?${query.toString()}`;
  };
  const cards: [string, number, string, string][] = [
    ["Échéance sous 2 jours", figures.due_within_2_days, list({ statut: "OPEN", echeance: "2" }), "urgent"],
    ["Échéance sous 7 jours", figures.due_within_7_days, list({ statut: "OPEN", echeance: "7" }), "soon"],
    ["Avis à traiter", figures.open, list({ statut: "OPEN" }), ""],
    ["Réponses refusées à corriger", figures.answers_in_error, list({ statut: "ANSWER_IN_ERROR" }), "urgent"],
    ["Réponses en délai de grâce", figures.answers_pending, list({ statut: "ANSWER_PENDING" }), ""],
  ];
  return (
    <ul class="figures" aria-label="À traiter">
      {cards.map(([label, count, href, tone]) => (
        <li key={label} class={count > 0 ? tone : ""}>
          <a href={href}>
            <strong class="figure" data-figure={label}>{count}</strong>
            <span>{label}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function YearSummary({ figures }: { figures: Figures }) {
  const { answered, decided, percent } = figures.answered_in_time;
  return (
    <ul class="figures summary" aria-label="Bilan">
      <li>
        <strong class="figure" data-figure="Acquittés ce mois-ci">{figures.acknowledged_this_month}</strong>
        <span>Acquittés par l'ANTAI ce mois-ci</span>
      </li>
      <li>
        <strong class="figure" data-figure="Partis en papier">{figures.gone_to_paper}</strong>
        <span>Partis en avis papier (12 mois)</span>
      </li>
      <li>
        <strong class="figure" data-figure="Répondus dans les délais">{percent === null || percent === undefined ? "—" : `${percent} %`}</strong>
        <span>
          Répondus dans les délais (12 mois)
          {decided > 0 && <span class="muted">{answered} sur {decided} avis traités</span>}
        </span>
      </li>
    </ul>
  );
}

function EntityTable({ entities }: { entities: Schemas["EntityFigures"][] }) {
  return (
    <table class="notices entity-figures">
      <caption>Par entité</caption>
      <thead>
        <tr>
          <th scope="col">Entité</th>
          <th scope="col">À traiter</th>
          <th scope="col">Sous 2 jours</th>
          <th scope="col">Sous 7 jours</th>
          <th scope="col">Refusées</th>
          <th scope="col">En délai de grâce</th>
          <th scope="col">Acquittés ce mois-ci</th>
          <th scope="col">Papier (12 mois)</th>
          <th scope="col">Dans les délais</th>
        </tr>
      </thead>
      <tbody>
        {entities.map(({ entity_id, entity_name, figures: f }) => (
          <tr key={entity_id}>
            <th scope="row">
              <a href={`/tableau-de-bord?entite=${encodeURIComponent(entity_id)}`}>{entity_name}</a>
            </th>
            <td>{f.open}</td>
            <td>{f.due_within_2_days}</td>
            <td>{f.due_within_7_days}</td>
            <td>{f.answers_in_error}</td>
            <td>{f.answers_pending}</td>
            <td>{f.acknowledged_this_month}</td>
            <td>{f.gone_to_paper}</td>
            <td>{f.answered_in_time.percent == null ? "—" : `${f.answered_in_time.percent} %`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
