// The planning per driver: each driver with the vehicles they have had,
// have and will have; drivers without any vehicle are named at the end.
import { useApp } from "../../context";
import { entityName, writesFleet } from "../drivers/access";
import { AssignmentTable } from "./AssignmentTable";
import { type Driver, type Planning, vehicleName } from "./data";
import { matchesSearch } from "./PlanningScreen";

interface Props {
  planning: Planning;
  search: string;
  onChanged: () => void;
}

export function ByDriver({ planning, search, onChanged }: Props) {
  const now = Date.now();
  const described = planning.drivers.map((d) => {
    const assignments = planning.assignments.filter((a) => a.driver_id === d.driver_id);
    const plates = assignments.map((a) => vehicleName(planning.vehicles, a.vehicle_id));
    return { driver: d, assignments, text: [d.first_name, d.last_name, ...plates].join(" ") };
  });
  const found = described.filter((d) => matchesSearch(d.text, search));
  const assigned = found.filter((d) => d.assignments.length > 0);
  const idle = found.filter((d) => d.assignments.length === 0);
  if (planning.drivers.length === 0) return <p class="empty">Aucun conducteur : ajoutez-en dans Conducteurs.</p>;
  if (found.length === 0) return <p class="empty">Aucun conducteur ne correspond à « {search} ».</p>;
  return (
    <div class="plan-list">
      <p class="count" role="status">
        {assigned.length === 1 ? "1 conducteur avec un véhicule" : `${assigned.length} conducteurs avec un véhicule`}
        {idle.length > 0 && `, ${idle.length} sans véhicule`}.
      </p>
      {assigned.map(({ driver, assignments }) => (
        <DriverCard key={driver.driver_id} driver={driver} planning={{ ...planning, assignments }} now={now} onChanged={onChanged} />
      ))}
      {idle.length > 0 && (
        <div class="card" role="region" aria-labelledby="idle-drivers">
          <h2 id="idle-drivers">Sans véhicule sur cette période</h2>
          <ul class="idle">
            {idle.map(({ driver: d }) => (
              <li key={d.driver_id}><a href={`/conducteurs/${encodeURIComponent(d.driver_id)}`}>{d.first_name} {d.last_name}</a></li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function DriverCard({ driver: d, planning, now, onChanged }: { driver: Driver; planning: Planning; now: number; onChanged: () => void }) {
  const { me } = useApp();
  const name = `${d.first_name} ${d.last_name}`;
  const id = `driver-${d.driver_id}`;
  const vehicleOf = (vehicleId: string) => planning.vehicles.find((v) => v.vehicle_id === vehicleId);
  return (
    <div class="card plan-card" role="region" aria-labelledby={id} data-driver={name}>
      <h2 id={id}>
        <a href={`/conducteurs/${encodeURIComponent(d.driver_id)}`}>{name}</a>
        <span class="plan-sub">{entityName(planning.entities, d.entity_id)}</span>
      </h2>
      <AssignmentTable label={`Véhicules de ${name}`} whoTitle="Véhicule" assignments={planning.assignments} now={now}
        onChanged={onChanged} whoText={(a) => `${name} sur ${vehicleName(planning.vehicles, a.vehicle_id)}`}
        who={(a) => {
          const v = vehicleOf(a.vehicle_id);
          return (
            <>
              <strong class="plate">{vehicleName(planning.vehicles, a.vehicle_id)}</strong>
              {v && <span class="muted">{v.make} {v.model}{v.pool ? " · véhicule de pool" : ""}</span>}
            </>
          );
        }} />
      {writesFleet(me.can) && (
        <div class="actions">
          <a class="button" href={`/planning/nouvelle?conducteur=${encodeURIComponent(d.driver_id)}`}>Attribuer un véhicule à {name}</a>
        </div>
      )}
    </div>
  );
}
