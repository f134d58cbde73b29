// The planning's rules as the API applies them (shared/src/domain/assignment.rs),
// to explain a refusal in plain French: which assignment is in the way, and why.
import type { Schemas } from "../../api/client";
import { periodLabel } from "./time";

type Assignment = Schemas["Assignment"];

interface Candidate {
  assignment_id?: string;
  vehicle_id: string;
  driver_id: string;
  from: string;
  until?: string | null;
}

const ms = (iso: string) => new Date(iso).getTime();

/** Half-open periods overlap when each one ends after the other starts. */
export function overlaps(a: Candidate, b: Candidate): boolean {
  const endsAfter = (p: Candidate, t: string) => !p.until || ms(p.until) > ms(t);
  return endsAfter(a, b.from) && endsAfter(b, a.from);
}

/**
 * The assignment that makes the API refuse `candidate`: the same driver
 * twice at once on the vehicle, or another driver on a vehicle that is not a pool.
 */
export function conflictOf(candidate: Candidate, assignments: Assignment[], pool: boolean): Assignment | null {
  for (const other of assignments) {
    if (other.vehicle_id !== candidate.vehicle_id || other.assignment_id === candidate.assignment_id) continue;
    if (!overlaps(candidate, other)) continue;
    if (other.driver_id === candidate.driver_id || !pool) return other;
  }
  return null;
}

/** Why the planning refuses `candidate` because of `conflict`, in plain French. */
export function refusalText(candidate: Candidate, conflict: Assignment, driverName: string): string {
  if (conflict.driver_id === candidate.driver_id) {
    return `${driverName} a déjà ce véhicule ${periodLabel(conflict)} : les deux périodes se chevauchent. `
      + "Allongez plutôt cette attribution-là.";
  }
  return `Ce véhicule est déjà attribué à ${driverName} ${periodLabel(conflict)}, et les deux périodes se chevauchent. `
    + "Un véhicule n'a qu'un conducteur à la fois : faites commencer l'une quand l'autre se termine. "
    + "Seul un véhicule de pool, partagé, peut avoir plusieurs conducteurs en même temps ; "
    + "cela se règle dans la fiche du véhicule (Flotte).";
}

/** The rule, when the assignment in the way is no longer visible. */
export const RULE = "Cette période chevauche une autre attribution du véhicule. Un véhicule n'a qu'un conducteur à la fois, "
  + "et un même conducteur ne peut l'avoir deux fois sur la même période ; seul un véhicule de pool, partagé, "
  + "peut avoir plusieurs conducteurs en même temps.";
