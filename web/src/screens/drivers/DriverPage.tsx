// One driver: how to reach them, and the vehicles they have had, have and
// will have (the planning that feeds the suggestions on notices).
import type { Schemas } from "../../api/client";
import { useApp } from "../../context";
import { navigate } from "../../router";
import { COUNTRIES } from "../../labels";
import { plateLabel } from "../../ui/plate";
import { PERIOD_STATE, periodLabel, periodState } from "../planning/time";
import { entityName, writesFleet, writesIn } from "./access";
import { DriverBadges } from "./DriversList";
import { call, done, loadAll, useLoad } from "../../ui/load";
import { RemoveButton } from "./RemoveButton";

type Driver = Schemas["Driver"];
type Assignment = Schemas["Assignment"];
type Vehicle = Schemas["Vehicle"];

const SAVED: Record<string, string> = {
  ajoute: "Le conducteur est ajouté.",
  attribution: "L'attribution est enregistrée.",
  modifie: "Les modifications sont enregistrées.",
};

export function DriverPage({ driverId, query }: { driverId: string; query: URLSearchParams }) {
  const { api } = useApp();
  const loading = useLoad(() => loadAll<[Driver, Schemas["AssignmentList"], Schemas["VehicleList"], Schemas["EntityList"]]>(
    call(api.GET("/drivers/{driverId}", { params: { path: { driverId } } })),
    call(api.GET("/assignments", { params: { query: { driver_id: driverId } } })),
    call(api.GET("/vehicles")),
    call(api.GET("/entities")),
  ), [driverId]);
  const saved = SAVED[query.get("enregistre") ?? ""];
  if (loading.problem) {
    return (
      <section aria-labelledby="driver-title">
        <p><a href="/conducteurs">← Tous les conducteurs</a></p>
        <h1 id="driver-title">Conducteur</h1>
        <p class="error" role="alert">{loading.problem.message}</p>
      </section>
    );
  }
  if (!loading.data) return <p aria-busy="true">Chargement du conducteur…</p>;
  const [driver, assignments, vehicles, entities] = loading.data;
  return (
    <section aria-labelledby="driver-title" data-loaded={String(loading.fresh)}>
      <p><a href="/conducteurs">← Tous les conducteurs</a></p>
      <h1 id="driver-title">{driver.first_name} {driver.last_name} <DriverBadges driver={driver} /></h1>
      {saved && <p role="status" class="saved">{saved}</p>}
      <DriverFacts driver={driver} entities={entities.entities} />
      <Assignments driver={driver} assignments={assignments.assignments} vehicles={vehicles.vehicles} />
    </section>
  );
}

function DriverFacts({ driver, entities }: { driver: Driver; entities: Schemas["Entity"][] }) {
  const { api, me } = useApp();
  const { address } = driver;
  const country = COUNTRIES.find(([code]) => code === address.country)?.[1] ?? address.country;
  const name = `${driver.first_name} ${driver.last_name}`;
  const remove = async () => {
    const problem = await done(api.DELETE("/drivers/{driverId}", { params: { path: { driverId: driver.driver_id } } }));
    if (!problem) navigate("/conducteurs");
    return problem;
  };
  return (
    <div class="card facts" aria-labelledby="driver-facts-title" role="region">
      <h2 id="driver-facts-title">Coordonnées</h2>
      <dl>
        <dt>Entité</dt>
        <dd>{entityName(entities, driver.entity_id)}</dd>
        <dt>Adresse</dt>
        <dd>
          {address.line1}
          {address.line2 && <><br />{address.line2}</>}
          <br />{address.postcode} {address.city}, {country}
        </dd>
        <dt>E-mail professionnel</dt>
        <dd>{driver.professional_email ?? "—"}</dd>
        <dt>E-mail personnel</dt>
        <dd>{driver.personal_email ?? "—"}</dd>
      </dl>
      {writesIn(me.can, driver.entity_id) && (
        <div class="actions">
          <a class="button" href={`/conducteurs/${encodeURIComponent(driver.driver_id)}/modifier`}>Modifier</a>
          <RemoveButton what={`le conducteur ${name}`} onConfirm={remove}
            consequence="Cette personne ne sera plus suggérée sur les avis." />
        </div>
      )}
    </div>
  );
}

interface AssignmentsProps {
  driver: Driver;
  assignments: Assignment[];
  vehicles: Vehicle[];
}

/** Current and upcoming first, then the past ones, most recent first. */
function Assignments({ driver, assignments, vehicles }: AssignmentsProps) {
  const { me } = useApp();
  const now = Date.now();
  const ahead = assignments.filter((a) => periodState(a, now) !== "past");
  const past = assignments.filter((a) => periodState(a, now) === "past").reverse();
  const canAssign = writesFleet(me.can);
  return (
    <div class="card" role="region" aria-labelledby="driver-assignments-title">
      <h2 id="driver-assignments-title">Véhicules attribués</h2>
      {canAssign && (
        <p><a class="button" href={`/planning/nouvelle?conducteur=${encodeURIComponent(driver.driver_id)}`}>
          Attribuer un véhicule à {driver.first_name} {driver.last_name}
        </a></p>
      )}
      <h3 id="driver-current">En cours et à venir</h3>
      {ahead.length === 0
        ? <p class="empty">Aucun véhicule attribué en ce moment.</p>
        : <AssignmentTable labelledBy="driver-current" assignments={ahead} vehicles={vehicles} now={now} />}
      <h3 id="driver-past">Passées</h3>
      {past.length === 0
        ? <p class="empty">Aucune attribution passée.</p>
        : <AssignmentTable labelledBy="driver-past" assignments={past} vehicles={vehicles} now={now} />}
    </div>
  );
}

function AssignmentTable({ labelledBy, assignments, vehicles, now }: { labelledBy: string; assignments: Assignment[]; vehicles: Vehicle[]; now: number }) {
  const { me } = useApp();
  return (
    <table class="notices" aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">Véhicule</th>
          <th scope="col">Période (heure de Paris)</th>
          <th scope="col">État</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {assignments.map((a) => {
          const vehicle = vehicles.find((v) => v.vehicle_id === a.vehicle_id);
          const plate = vehicle ? plateLabel(vehicle.plate) : "Véhicule retiré";
          const state = periodState(a, now);
          return (
            <tr key={a.assignment_id}>
              <th scope="row">
                <strong class="plate">{plate}</strong>
                {vehicle && <span class="muted">{vehicle.make} {vehicle.model}{vehicle.pool ? " · véhicule de pool" : ""}</span>}
              </th>
              <td>{periodLabel(a)}</td>
              <td><span class={`badge period-${state}`}>{PERIOD_STATE[state]}</span></td>
              <td>
                {writesIn(me.can, a.entity_id) && (
                  <a class="button" href={`/planning/${encodeURIComponent(a.assignment_id)}`}
                    aria-label={`Modifier l'attribution de ${plate} ${periodLabel(a)}`}>Modifier</a>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
