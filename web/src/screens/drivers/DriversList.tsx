// Conducteurs: the drivers the user may read, found by name, e-mail or
// town; fleet managers add, edit, remove, import and export them.
import { useState } from "preact/hooks";
import type { Problem, Schemas } from "../../api/client";
import { useApp } from "../../context";
import { navigateWithFilters } from "../../router";
import { downloadFile } from "../../ui/files";
import { Field } from "../Field";
import { entityName, writesFleet, writesIn } from "./access";
import { call, done, loadAll, useLoad } from "../../ui/load";
import { RemoveButton } from "./RemoveButton";

type Driver = Schemas["Driver"];
type Entity = Schemas["Entity"];

/** Lower case without accents, so that "helene" finds "Hélène". */
export function folded(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}

/** The drivers every typed word is found in (names, e-mails, town). */
export function searchDrivers(drivers: Driver[], search: string): Driver[] {
  const words = folded(search).split(/\s+/).filter(Boolean);
  if (words.length === 0) return drivers;
  return drivers.filter((d) => {
    const text = folded([d.first_name, d.last_name, d.personal_email, d.professional_email, d.address.city].join(" "));
    return words.every((w) => text.includes(w));
  });
}

export function DriversList({ query }: { query: URLSearchParams }) {
  const { api, me } = useApp();
  const entity = query.get("entite") ?? "";
  const search = query.get("recherche") ?? "";
  const loading = useLoad(() => loadAll<[Schemas["DriverList"], Schemas["EntityList"]]>(
    call(api.GET("/drivers", { params: { query: { entity_id: entity || undefined } } })),
    call(api.GET("/entities")),
  ), [entity]);
  const [drivers, entities] = loading.data ?? [null, null];
  const found = drivers ? searchDrivers(drivers.drivers, search) : [];
  return (
    <section aria-labelledby="drivers-title" data-loaded={String(loading.fresh && !!drivers)}>
      <h1 id="drivers-title">Conducteurs</h1>
      <p class="hint">Les personnes que vous pouvez désigner. Aucune donnée de permis de conduire n'est demandée.</p>
      <DriverTools entity={entity} />
      <DriverFilters query={query} entities={entities?.entities ?? []} />
      {loading.problem && <p class="error" role="alert">{loading.problem.message}</p>}
      {!drivers && !loading.problem && <p aria-busy="true">Chargement des conducteurs…</p>}
      {drivers && (
        <p role="status" class="count">{countLabel(found.length, drivers.drivers.length, search)}</p>
      )}
      {drivers && found.length > 0 && (
        <DriverTable drivers={found} entities={entities?.entities ?? []} canWrite={writesFleet(me.can)}
          onRemoved={loading.reload} />
      )}
    </section>
  );
}

function countLabel(shown: number, total: number, search: string): string {
  if (total === 0) return "Aucun conducteur pour le moment.";
  if (!search) return total === 1 ? "1 conducteur." : `${total} conducteurs.`;
  if (shown === 0) return `Aucun conducteur ne correspond à « ${search} ».`;
  return `${shown} conducteur${shown > 1 ? "s" : ""} sur ${total} pour « ${search} ».`;
}

/** Adding, importing and exporting (the export is for readers too). */
function DriverTools({ entity }: { entity: string }) {
  const { api, me } = useApp();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  async function exportAll() {
    setBusy(true);
    setProblem(await downloadFile(api, "/drivers/export", "conducteurs.xlsx", { query: entity ? { entity_id: entity } : undefined }));
    setBusy(false);
  }
  return (
    <div class="toolbar">
      {writesFleet(me.can) && <a class="button primary" href="/conducteurs/nouveau">Ajouter un conducteur</a>}
      {writesFleet(me.can) && <a class="button" href="/conducteurs/import">Importer un fichier Excel</a>}
      <button type="button" disabled={busy} onClick={() => void exportAll()}>
        {entity ? "Exporter les conducteurs de cette entité (Excel)" : "Exporter les conducteurs (Excel)"}
      </button>
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </div>
  );
}

function DriverFilters({ query, entities }: { query: URLSearchParams; entities: Entity[] }) {
  const [search, setSearch] = useState(query.get("recherche") ?? "");
  const apply = (changes: Record<string, string>) => navigateWithFilters("/conducteurs", query, changes);
  return (
    <form class="filters" role="search" aria-label="Rechercher des conducteurs"
      onSubmit={(e) => { e.preventDefault(); apply({ recherche: search.trim() }); }}>
      <Field label="Nom, e-mail ou ville" id="drivers-search">
        <input id="drivers-search" type="search" value={search} autocomplete="off"
          onInput={(e) => setSearch(e.currentTarget.value)} />
      </Field>
      {entities.length > 1 && (
        <Field label="Entité" id="drivers-entity">
          <select id="drivers-entity" value={query.get("entite") ?? ""}
            onChange={(e) => apply({ entite: e.currentTarget.value })}>
            <option value="">Toutes les entités</option>
            {entities.map((e) => <option key={e.entity_id} value={e.entity_id}>{e.name}</option>)}
          </select>
        </Field>
      )}
      <button type="submit">Rechercher</button>
    </form>
  );
}

interface TableProps {
  drivers: Driver[];
  entities: Entity[];
  canWrite: boolean;
  onRemoved: () => void;
}

function DriverTable({ drivers, entities, canWrite, onRemoved }: TableProps) {
  return (
    <table class="notices drivers">
      <caption class="visually-hidden">Conducteurs, par nom</caption>
      <thead>
        <tr>
          <th scope="col">Conducteur</th>
          <th scope="col">Entité</th>
          <th scope="col">Ville</th>
          <th scope="col">E-mail professionnel</th>
          {canWrite && <th scope="col"><span class="visually-hidden">Actions</span></th>}
        </tr>
      </thead>
      <tbody>
        {drivers.map((d) => <DriverRow key={d.driver_id} driver={d} entities={entities} canWrite={canWrite} onRemoved={onRemoved} />)}
      </tbody>
    </table>
  );
}

function DriverRow({ driver: d, entities, canWrite, onRemoved }: { driver: Driver } & Omit<TableProps, "drivers">) {
  const { api, me } = useApp();
  const name = `${d.first_name} ${d.last_name}`;
  const remove = async () => {
    const problem = await done(api.DELETE("/drivers/{driverId}", { params: { path: { driverId: d.driver_id } } }));
    if (!problem) onRemoved();
    return problem;
  };
  return (
    <tr>
      <th scope="row">
        <a href={`/conducteurs/${encodeURIComponent(d.driver_id)}`}>{d.last_name} {d.first_name}</a>
        <DriverBadges driver={d} />
      </th>
      <td>{entityName(entities, d.entity_id)}</td>
      <td>{d.address.city}{d.address.country !== "FRA" && <span class="muted">{d.address.country}</span>}</td>
      <td>{d.professional_email ?? <span class="muted">—</span>}</td>
      {canWrite && (
        <td>
          {writesIn(me.can, d.entity_id) && (
            <div class="row-actions">
              <a class="button" href={`/conducteurs/${encodeURIComponent(d.driver_id)}/modifier`}
                aria-label={`Modifier ${name}`}>Modifier</a>
              <RemoveButton what={`le conducteur ${name}`} onConfirm={remove}
                consequence="Cette personne ne sera plus suggérée sur les avis." />
            </div>
          )}
        </td>
      )}
    </tr>
  );
}

/** The privacy states a manager must know of before designating. */
export function DriverBadges({ driver }: { driver: Driver }) {
  return (
    <>
      {driver.restricted && <span class="badge soon">Traitement limité</span>}
      {driver.objected && <span class="badge">Opposition à la désignation automatique</span>}
    </>
  );
}
