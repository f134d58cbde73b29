// The planning per vehicle: each vehicle with its drivers; a pool vehicle
// says how many hold it right now.
import { useApp } from "../../context";
import { entityName, writesIn } from "../drivers/access";
import { AssignmentTable } from "./AssignmentTable";
import { type Planning, type Vehicle, driverName, holdersAt } from "./data";
import { matchesSearch } from "./PlanningScreen";
import { plateLabel } from "../../ui/plate";

interface Props {
  planning: Planning;
  search: string;
  /** Whether finished assignments are shown too. */
  withPast: boolean;
  onChanged: () => void;
}

export function ByVehicle({ planning, search, withPast, onChanged }: Props) {
  const now = Date.now();
  const described = planning.vehicles.map((v) => {
    const assignments = planning.assignments.filter((a) => a.vehicle_id === v.vehicle_id);
    const names = assignments.map((a) => driverName(planning.drivers, a.driver_id));
    return { vehicle: v, assignments, text: [plateLabel(v.plate), v.make, v.model, ...names].join(" ") };
  });
  const found = described.filter((d) => matchesSearch(d.text, search));
  if (planning.vehicles.length === 0) return <p class="empty">Aucun véhicule dans la flotte : ajoutez-en dans Flotte.</p>;
  if (found.length === 0) return <p class="empty">Aucun véhicule ne correspond à « {search} ».</p>;
  return (
    <div class="plan-list">
      <p class="count" role="status">{found.length === 1 ? "1 véhicule." : `${found.length} véhicules.`}</p>
      {found.map(({ vehicle, assignments }) => (
        <VehicleCard key={vehicle.vehicle_id} vehicle={vehicle} planning={{ ...planning, assignments }} now={now}
          withPast={withPast} onChanged={onChanged} />
      ))}
    </div>
  );
}

interface CardProps {
  vehicle: Vehicle;
  planning: Planning;
  now: number;
  withPast: boolean;
  onChanged: () => void;
}

function VehicleCard({ vehicle: v, planning, now, withPast, onChanged }: CardProps) {
  const { me } = useApp();
  const plate = plateLabel(v.plate);
  const id = `vehicle-${v.vehicle_id}`;
  const holders = holdersAt(planning.assignments, v.vehicle_id, now);
  const encoded = encodeURIComponent(v.vehicle_id);
  return (
    <div class="card plan-card" role="region" aria-labelledby={id} data-vehicle={plate}>
      <h2 id={id}>
        <span class="plate">{plate}</span>
        <span class="plan-sub">{v.make} {v.model} · {entityName(planning.entities, v.entity_id)}</span>
        {v.pool && <span class="badge pool">Véhicule de pool</span>}
        {v.pool && holders.length > 1 && <span class="badge pool-now">{holders.length} conducteurs en ce moment</span>}
      </h2>
      {v.pool && (
        <p class="hint">Véhicule partagé : plusieurs conducteurs peuvent l'avoir en même temps ; sur un avis, tous sont suggérés.</p>
      )}
      {planning.assignments.length === 0
        ? <p class="empty">{withPast ? "Aucune attribution." : "Aucun conducteur attribué en ce moment ni à venir."}</p>
        : (
          <AssignmentTable label={`Conducteurs de ${plate}`} whoTitle="Conducteur" assignments={planning.assignments} now={now}
            onChanged={onChanged} whoText={(a) => `${driverName(planning.drivers, a.driver_id)} sur ${plate}`}
            who={(a) => <DriverLink planning={planning} driverId={a.driver_id} />} />
        )}
      <div class="actions">
        {writesIn(me.can, v.entity_id) && (
          <a class="button" href={`/planning/nouvelle?vehicule=${encoded}`}>Attribuer {plate} à un conducteur</a>
        )}
        <a class="button" href={`/planning/qui-avait?vehicule=${encoded}`}>Qui avait {plate} le … ?</a>
      </div>
    </div>
  );
}

/** The driver's page, or plain words for a driver since removed. */
function DriverLink({ planning, driverId }: { planning: Planning; driverId: string }) {
  const name = driverName(planning.drivers, driverId);
  if (!planning.drivers.some((d) => d.driver_id === driverId)) return <span class="muted">{name}</span>;
  return <a href={`/conducteurs/${encodeURIComponent(driverId)}`}>{name}</a>;
}
