// A fleet refresh's difference, before it is applied: the vehicles the
// file adds, those it changes (what, from what to what) and those leaving.
import type { Schemas } from "../../api/client";
import { frenchDate } from "../../format";
import { entityName } from "./entities";
import { plateLabel } from "../../ui/plate";

type Changes = Schemas["FleetChanges"];
type Change = Schemas["FleetChange"];
type Entities = Schemas["Entity"][];

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function FleetDiff({ changes, entities }: { changes: Changes; entities: Entities }) {
  return (
    <div class="fleet-diff">
      <ul class="figures summary" aria-label="La différence en chiffres">
        <li data-figure="ajoutés"><span class="figure">{changes.added.length}</span> {changes.added.length === 1 ? "ajouté" : "ajoutés"}</li>
        <li data-figure="modifiés"><span class="figure">{changes.changed.length}</span> {changes.changed.length === 1 ? "modifié" : "modifiés"}</li>
        <li data-figure="sortants"><span class="figure">{changes.leaving.length}</span> {changes.leaving.length === 1 ? "sortant" : "sortants"}</li>
      </ul>
      {changes.added.length > 0 && <Added rows={changes.added} />}
      {changes.changed.length > 0 && <Changed changes={changes.changed} entities={entities} />}
      {changes.leaving.length > 0 && <Leaving vehicles={changes.leaving} entities={entities} />}
    </div>
  );
}

function Added({ rows }: { rows: Schemas["FleetRow"][] }) {
  return (
    <table class="notices diff" id="diff-added">
      <caption>Ajoutés : {count(rows.length, "véhicule nouveau", "véhicules nouveaux")} dans le fichier</caption>
      <thead><tr><th scope="col">Immatriculation</th><th scope="col">Véhicule</th><th scope="col">Entité</th><th scope="col">Entrée</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.plate.normalized}>
            <th scope="row" class="plate">{plateLabel(r.plate)}</th>
            <td>{r.make} {r.model}</td>
            <td>{r.entity}</td>
            <td>{frenchDate(r.entry_on)}{r.exit_on && <span class="muted">sortie le {frenchDate(r.exit_on)}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A column's value before and after, as the user reads it. */
function sides(change: Change, column: string, entities: Entities): [string, string] {
  const { current, uploaded } = change;
  const day = (d?: string | null) => (d ? frenchDate(d) : "aucune");
  switch (column) {
    case "Marque": return [current.make, uploaded.make];
    case "Modèle": return [current.model, uploaded.model];
    case "Entité": return [entityName(entities, current.entity_id), uploaded.entity];
    case "Date d'entrée": return [day(current.entry_on), day(uploaded.entry_on)];
    case "Date de sortie": return [day(current.exit_on), day(uploaded.exit_on)];
    default: return ["", ""];
  }
}

function Changed({ changes, entities }: { changes: Change[]; entities: Entities }) {
  return (
    <table class="notices diff" id="diff-changed">
      <caption>Modifiés : {count(changes.length, "véhicule", "véhicules")} dont le fichier change les informations</caption>
      <thead><tr><th scope="col">Immatriculation</th><th scope="col">Ce qui change</th></tr></thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.current.vehicle_id}>
            <th scope="row" class="plate">{plateLabel(c.current.plate)}</th>
            <td>
              <ul class="changes">
                {c.fields.map((column) => {
                  const [before, after] = sides(c, column, entities);
                  return <li key={column}>{column} : {before} → <strong>{after}</strong></li>;
                })}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Leaving({ vehicles, entities }: { vehicles: Schemas["Vehicle"][]; entities: Entities }) {
  return (
    <table class="notices diff" id="diff-leaving">
      <caption>Sortants : {vehicles.length === 1 ? "1 véhicule absent du fichier, qui sortira" : `${vehicles.length} véhicules absents du fichier, qui sortiront`} de la flotte</caption>
      <thead><tr><th scope="col">Immatriculation</th><th scope="col">Véhicule</th><th scope="col">Entité</th></tr></thead>
      <tbody>
        {vehicles.map((v) => (
          <tr key={v.vehicle_id}>
            <th scope="row" class="plate">{plateLabel(v.plate)}</th>
            <td>{v.make} {v.model}</td>
            <td>{entityName(entities, v.entity_id)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
