// What the planning screens read: the assignments with the vehicles and
// drivers they name, and how to name each.
import type { Api, Schemas } from "../../api/client";
import { call, loadAll, type Loaded } from "../../ui/load";
import { plateLabel } from "../../ui/plate";

export type Assignment = Schemas["Assignment"];
export type Vehicle = Schemas["Vehicle"];
export type Driver = Schemas["Driver"];

export interface Planning {
  assignments: Assignment[];
  vehicles: Vehicle[];
  drivers: Driver[];
  entities: Schemas["Entity"][];
}

export async function loadPlanning(api: Api, filter: { vehicle_id?: string; driver_id?: string } = {}): Promise<Loaded<Planning>> {
  const loaded = await loadAll<[Schemas["AssignmentList"], Schemas["VehicleList"], Schemas["DriverList"], Schemas["EntityList"]]>(
    call(api.GET("/assignments", { params: { query: filter } })),
    call(api.GET("/vehicles")),
    call(api.GET("/drivers")),
    call(api.GET("/entities")),
  );
  if ("problem" in loaded) return loaded;
  const [assignments, vehicles, drivers, entities] = loaded.data;
  return { data: { assignments: assignments.assignments, vehicles: vehicles.vehicles, drivers: drivers.drivers, entities: entities.entities } };
}

/** "Camille Exemple", or what to say of a driver since removed. */
export function driverName(drivers: Driver[], driverId: string): string {
  const d = drivers.find((x) => x.driver_id === driverId);
  return d ? `${d.first_name} ${d.last_name}` : "Conducteur supprimé";
}

/** "AB-123-CD", or what to say of a vehicle since removed. */
export function vehicleName(vehicles: Vehicle[], vehicleId: string): string {
  const v = vehicles.find((x) => x.vehicle_id === vehicleId);
  return v ? plateLabel(v.plate) : "Véhicule retiré";
}

/** The drivers holding the vehicle at `now` (several for a pool vehicle). */
export function holdersAt(assignments: Assignment[], vehicleId: string, now: number): Assignment[] {
  return assignments.filter((a) => a.vehicle_id === vehicleId && new Date(a.from).getTime() <= now
    && (!a.until || new Date(a.until).getTime() > now));
}
