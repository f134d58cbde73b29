// The fleet's filters, kept in the address (entite, immatriculation, etat).
import { useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { navigateWithFilters } from "../../router";
import { Field } from "../Field";

export function FleetFilters({ query, entities }: { query: URLSearchParams; entities: Schemas["Entity"][] }) {
  const [plate, setPlate] = useState(query.get("immatriculation") ?? "");
  const apply = (changes: Record<string, string>) => navigateWithFilters("/flotte", query, changes);
  return (
    <form class="filters" role="search" aria-label="Filtrer la flotte"
      onSubmit={(e) => { e.preventDefault(); apply({ immatriculation: plate.trim() }); }}>
      {entities.length > 1 && (
        <Field label="Entité" id="fleet-filter-entity">
          <select id="fleet-filter-entity" value={query.get("entite") ?? ""} onChange={(e) => apply({ entite: e.currentTarget.value })}>
            <option value="">Toutes les entités</option>
            {entities.map((e) => <option key={e.entity_id} value={e.entity_id}>{e.name}</option>)}
          </select>
        </Field>
      )}
      <Field label="Dans la flotte ou sortis" id="fleet-filter-state">
        <select id="fleet-filter-state" value={query.get("etat") ?? ""} onChange={(e) => apply({ etat: e.currentTarget.value })}>
          <option value="">Tous les véhicules</option>
          <option value="dans">Dans la flotte (ou à venir)</option>
          <option value="sortis">Sortis de la flotte</option>
        </select>
      </Field>
      <Field label="Immatriculation" id="fleet-filter-plate" hint="Complète, avec ou sans tirets">
        <input id="fleet-filter-plate" type="search" value={plate} placeholder="AB-123-CD" aria-describedby="fleet-filter-plate-hint"
          onInput={(e) => setPlate(e.currentTarget.value)} />
      </Field>
      <button type="submit">Rechercher</button>
    </form>
  );
}
