// Flotte: the vehicles in the user's scope, by plate, with filters; the
// matrix to fill in and the fleet's export; adding, changing and removing
// for those who manage the fleet.
import { useEffect, useState } from "preact/hooks";
import type { Problem } from "../../api/client";
import { useApp } from "../../context";
import { FleetFilters } from "./FleetFilters";
import { FleetDownloads } from "./FleetDownloads";
import { takeFlash } from "./flash";
import { call } from "../../ui/load";
import { useEntities } from "../../ui/entities";
import { FleetTable } from "./FleetTable";
import { type Vehicle, keptBy, parisToday } from "./vehicles";

export function FleetList({ query }: { query: URLSearchParams }) {
  const { api, me } = useApp();
  const entities = useEntities().entities ?? [];
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
  const removed = (vehicleId: string, label: string) => {
    setTold(`${label} est retiré de la flotte.`);
    setVehicles((all) => all?.filter((v) => v.vehicle_id !== vehicleId) ?? null);
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
        <FleetTable vehicles={shown} entities={entities} today={today} onRemoved={removed} />
      )}
    </section>
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
