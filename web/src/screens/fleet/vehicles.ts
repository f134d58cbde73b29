// The fleet's rules as the screens need them: where a vehicle stands today
// (Paris), who may change it, and the form's values to and from the API.
import type { Schemas } from "../../api/client";
import { frenchDate } from "../../format";
import { plateLabel } from "../../ui/plate";

export type Vehicle = Schemas["Vehicle"];
export type VehicleInput = Schemas["VehicleInput"];
type Can = Schemas["Capabilities"];
type Scope = Schemas["Scope"];

const parisDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today in Paris as `YYYY-MM-DD`, whatever the browser's zone (the API counts fleet days there). */
export function parisToday(now = new Date()): string {
  return parisDay.format(now);
}

export type FleetState = "coming" | "in" | "leaving" | "out";

/** Entry ahead, in service, exit date set ahead, or already out. */
export function fleetState(vehicle: Pick<Vehicle, "entry_on" | "exit_on">, today: string): FleetState {
  if (vehicle.exit_on && vehicle.exit_on < today) return "out";
  if (vehicle.entry_on > today) return "coming";
  return vehicle.exit_on ? "leaving" : "in";
}

/** The state in words, with its date. */
export function fleetStateLabel(vehicle: Vehicle, today: string): string {
  switch (fleetState(vehicle, today)) {
    case "coming": return `Entrée prévue le ${frenchDate(vehicle.entry_on)}`;
    case "in": return "Dans la flotte";
    case "leaving": return vehicle.exit_on === today ? "Sort aujourd'hui" : `Sortie prévue le ${frenchDate(vehicle.exit_on ?? "")}`;
    case "out": return `Sorti le ${frenchDate(vehicle.exit_on ?? "")}`;
  }
}

/** The "in or out of the fleet" filter: `dans` keeps vehicles not yet out, `sortis` the others. */
export function keptBy(filter: string, vehicle: Vehicle, today: string): boolean {
  const out = fleetState(vehicle, today) === "out";
  if (filter === "dans") return !out;
  if (filter === "sortis") return out;
  return true;
}

function covers(scope: Scope | null | undefined, entityId: string): boolean {
  if (!scope) return false;
  return scope.kind === "all_entities" || scope.entities.includes(entityId);
}

/** Whether the user may change the vehicles of `entityId`. */
export function writesFleetOf(can: Can, entityId: string): boolean {
  return covers(can.write_fleet, entityId);
}

/** The form's values, as typed (dates as `YYYY-MM-DD`, empty when none). */
export interface VehicleValues {
  plate: string;
  country: string;
  make: string;
  model: string;
  entity_id: string;
  entry_on: string;
  exit_on: string;
  pool: boolean;
}

export function emptyValues(entityId: string, today: string): VehicleValues {
  return { plate: "", country: "FRA", make: "", model: "", entity_id: entityId, entry_on: today, exit_on: "", pool: false };
}

export function valuesOf(v: Vehicle): VehicleValues {
  return {
    plate: plateLabel(v.plate), country: v.plate.country, make: v.make, model: v.model,
    entity_id: v.entity_id, entry_on: v.entry_on, exit_on: v.exit_on ?? "", pool: v.pool,
  };
}

/** What the API takes: trimmed text, an empty exit date as none. */
export function inputOf(values: VehicleValues): VehicleInput {
  return {
    plate: values.plate.trim(), country: values.country, make: values.make.trim(), model: values.model.trim(),
    entity_id: values.entity_id, entry_on: values.entry_on, exit_on: values.exit_on || null, pool: values.pool,
  };
}

/**
 * Errors the API cannot name because the browser sends nothing for them:
 * an empty date input gives no date at all, which the API would refuse as
 * an unreadable body rather than next to the field.
 */
export function missingDates(values: VehicleValues): Record<string, string> {
  return values.entry_on ? {} : { entry_on: "Indiquez la date d'entrée dans la flotte." };
}
