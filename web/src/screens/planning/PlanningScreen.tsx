// Planning: who has which vehicle when, per vehicle or per driver. Pool
// vehicles show every driver holding them at once; all are suggested.
import { useState } from "preact/hooks";
import { useApp } from "../../context";
import { navigate } from "../../router";
import { Field } from "../Field";
import { writesFleet } from "../drivers/access";
import { useLoad } from "../../ui/load";
import { folded } from "../drivers/DriversList";
import { ByDriver } from "./ByDriver";
import { ByVehicle } from "./ByVehicle";
import { type Planning, loadPlanning } from "./data";
import { periodState } from "./time";

export type View = "vehicules" | "conducteurs";

export function PlanningScreen({ query }: { query: URLSearchParams }) {
  const { api } = useApp();
  const loading = useLoad(() => loadPlanning(api), []);
  const view: View = query.get("vue") === "conducteurs" ? "conducteurs" : "vehicules";
  const withPast = query.get("passees") === "1";
  const search = query.get("recherche") ?? "";
  const shown = loading.data ? visible(loading.data, withPast) : null;
  return (
    <section aria-labelledby="planning-title" data-loaded={String(loading.fresh && !!loading.data)}>
      <h1 id="planning-title">Planning des attributions</h1>
      <p class="hint">
        Qui a quel véhicule, et quand (heure de Paris). Sur un avis, les conducteurs qui avaient le véhicule
        à l'heure de l'infraction sont suggérés.
      </p>
      {query.get("enregistre") === "1" && <p role="status" class="saved">L'attribution est enregistrée.</p>}
      <PlanningTools />
      <ViewSwitch query={query} view={view} />
      <PlanningFilters query={query} view={view} />
      {loading.problem && <p class="error" role="alert">{loading.problem.message}</p>}
      {!shown && !loading.problem && <p aria-busy="true">Chargement du planning…</p>}
      {shown && view === "vehicules" && <ByVehicle planning={shown} search={search} withPast={withPast} onChanged={loading.reload} />}
      {shown && view === "conducteurs" && <ByDriver planning={shown} search={search} onChanged={loading.reload} />}
    </section>
  );
}

/** The planning without the finished assignments, unless they are asked for. */
function visible(planning: Planning, withPast: boolean): Planning {
  if (withPast) return planning;
  const now = Date.now();
  return { ...planning, assignments: planning.assignments.filter((a) => periodState(a, now) !== "past") };
}

/** Changes the planning's address, keeping the other settings. */
export function planningAddress(query: URLSearchParams, changes: Record<string, string>): string {
  const next = new URLSearchParams(query);
  for (const [key, value] of Object.entries(changes)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  const text = next.toString();
  return text ? `/planning?${text}` : "/planning";
}

function PlanningTools() {
  const { me } = useApp();
  return (
    <div class="toolbar">
      {writesFleet(me.can) && <a class="button primary" href="/planning/nouvelle">Ajouter une attribution</a>}
      {writesFleet(me.can) && <a class="button" href="/planning/import">Importer un planning Excel</a>}
      <a class="button" href="/planning/qui-avait">Qui avait ce véhicule le … ?</a>
    </div>
  );
}

function ViewSwitch({ query, view }: { query: URLSearchParams; view: View }) {
  const link = (value: View, label: string) => (
    <a href={planningAddress(query, { vue: value === "vehicules" ? "" : value })}
      aria-current={view === value ? "page" : undefined}>{label}</a>
  );
  return (
    <nav class="view-switch" aria-label="Présentation du planning">
      {link("vehicules", "Par véhicule")}
      {link("conducteurs", "Par conducteur")}
    </nav>
  );
}

function PlanningFilters({ query, view }: { query: URLSearchParams; view: View }) {
  const [search, setSearch] = useState(query.get("recherche") ?? "");
  return (
    <form class="filters" role="search" aria-label="Filtrer le planning"
      onSubmit={(e) => { e.preventDefault(); navigate(planningAddress(query, { recherche: search.trim() })); }}>
      <Field label={view === "vehicules" ? "Immatriculation ou conducteur" : "Conducteur ou immatriculation"} id="planning-search">
        <input id="planning-search" type="search" value={search} autocomplete="off"
          onInput={(e) => setSearch(e.currentTarget.value)} />
      </Field>
      <label class="radio past-toggle">
        <input type="checkbox" checked={query.get("passees") === "1"}
          onChange={(e) => navigate(planningAddress(query, { passees: e.currentTarget.checked ? "1" : "" }))} />
        Afficher aussi les attributions terminées
      </label>
      <button type="submit">Rechercher</button>
    </form>
  );
}

/** Whether every typed word is in `text` (accents and case ignored; plates without dashes). */
export function matchesSearch(text: string, search: string): boolean {
  const flat = (s: string) => folded(s).replace(/[-\s.]/g, "");
  const words = folded(search).split(/\s+/).filter(Boolean);
  return words.every((w) => folded(text).includes(w) || flat(text).includes(flat(w)));
}
