// Flotte: the vehicles in the user's scope, by plate, with filters; the
// matrix to fill in and the fleet's export; adding, changing and removing
// for those who manage the fleet.
import { useEffect, useState } from "preact/hooks";
import type { Problem } from "../../api/client";
import { useApp } from "../../context";
import { frenchDate } from "../../format";
import { FleetFilters } from "./FleetFilters";
import { FleetDownloads } from "./FleetDownloads";
import { takeFlash } from "./flash";
import { call, entityName, useEntities } from "./load";
import { plateLabel } from "./plate";
import { RemoveVehicle } from "./RemoveVehicle";
import { type Vehicle, fleetState, fleetStateLabel, keptBy, parisToday, writesFleetOf } from "./vehicles";

export function FleetList({ query }: { query: URLSearchParams }) {
  const { api, me } = useApp();
  const entities = useEntities(api);
  const [vehicles, setVehicles] = useState<Vehicle[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loadedQuery, setLoadedQuery] = useState<string | null>(null);
  const [told, setTold] = useState<string | null>(() => takeFlash());
  const entity_id = query.get("entite") || undefined;
  const plate = query.get("immatriculation") || undefined;

  async function load(signal?: AbortSignal) {
    const loaded = await call(api.GET("/vehicles", { params: { query: { entity_id, plate } }, signal }));
    if (signal?.aborted) return;
    if ("problem" in loaded) return setProblem(loaded.problem);
    setProblem(null);
    setVehicles(loaded.data.vehicles);
    setLoadedQuery(query.toString());
  }

  useEffect(() => {
    const superseded = new AbortController();
    setVehicles(null);
    void load(superseded.signal);
    return () => superseded.abort();
  }, [query.toString()]);

  const today = parisToday();
  const shown = vehicles?.filter((v) => keptBy(query.get("etat") ?? "", v, today)) ?? null;
  const writes = !!me.can.write_fleet;
  const removed = (label: string) => {
    setTold(`${label} est retiré de la flotte.`);
    void load();
  };

  return (
    <section aria-labelledby="fleet-title" data-loaded={String(loadedQuery === query.toString())}>
      <h1 id="fleet-title">Flotte</h1>
      <FleetActions writes={writes} />
      <FleetFilters query={query} entities={entities} />
      {told && <p class="saved" role="status">{told}</p>}
      {problem && <p class="error" role="alert">{problem.message}</p>}
      {shown === null && !problem && <p aria-busy="true">Chargement des véhicules…</p>}
      {shown && shown.length === 0 && <p class="empty">Aucun véhicule ne correspond à ces critères.</p>}
      {shown && shown.length > 0 && (
        <table class="notices fleet">
          <caption>{shown.length === 1 ? "1 véhicule" : `${shown.length} véhicules`}, par immatriculation</caption>
          <thead>
            <tr>
              <th scope="col">Immatriculation</th>
              <th scope="col">Véhicule</th>
              <th scope="col">Entité</th>
              <th scope="col">Entrée</th>
              <th scope="col">État</th>
              {writes && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((v) => (
              <tr key={v.vehicle_id} data-plate={v.plate.normalized}>
                <th scope="row" class="plate">{plateLabel(v.plate)}</th>
                <td>{v.make} {v.model}{v.pool && <span class="muted">Véhicule de pool</span>}</td>
                <td>{entityName(entities, v.entity_id)}</td>
                <td>{frenchDate(v.entry_on)}</td>
                <td class={`fleet-${fleetState(v, today)}`}>{fleetStateLabel(v, today)}</td>
                {writes && (
                  <td class="row-actions">
                    {writesFleetOf(me.can, v.entity_id) && <VehicleActions vehicle={v} onRemoved={removed} />}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function VehicleActions({ vehicle, onRemoved }: { vehicle: Vehicle; onRemoved: (plate: string) => void }) {
  const label = plateLabel(vehicle.plate);
  return (
    <>
      <a href={`/flotte/${encodeURIComponent(vehicle.vehicle_id)}`} aria-label={`Modifier le véhicule ${label}`}>Modifier</a>
      <RemoveVehicle vehicleId={vehicle.vehicle_id} plate={label} onRemoved={onRemoved} />
    </>
  );
}

function FleetActions({ writes }: { writes: boolean }) {
  return (
    <div class="fleet-actions">
      {writes && (
        <ul class="links" aria-label="Gérer la flotte">
          <li><a class="button primary" href="/flotte/nouveau">Ajouter un véhicule</a></li>
          <li><a class="button" href="/flotte/import">Importer la matrice Excel</a></li>
          <li><a class="button" href="/flotte/mise-a-jour">Mettre à jour toute la flotte</a></li>
        </ul>
      )}
      <FleetDownloads writes={writes} />
    </div>
  );
}
