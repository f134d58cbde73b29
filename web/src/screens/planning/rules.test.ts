import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/client";
import { conflictOf, overlaps, refusalText } from "./rules";

const day = (d: number) => `2026-03-${String(d).padStart(2, "0")}T07:00:00Z`;

function a(id: string, driver: string, from: number, until: number | null): Schemas["Assignment"] {
  return { assignment_id: id, vehicle_id: "v1", driver_id: driver, from: day(from), until: until ? day(until) : null, entity_id: "e" };
}

describe("the planning's overlap rules", () => {
  const plan = [a("1", "alice", 1, 10)];

  it("treats periods as half-open: a hand-over instant is no overlap", () => {
    expect(overlaps(a("2", "bob", 10, null), plan[0])).toBe(false);
    expect(overlaps(a("2", "bob", 9, null), plan[0])).toBe(true);
    expect(overlaps(a("2", "bob", 1, 2), a("3", "carl", 5, null))).toBe(false);
  });

  it("finds what the API refuses, as the domain does", () => {
    expect(conflictOf(a("2", "bob", 9, null), plan, false)?.assignment_id).toBe("1");
    expect(conflictOf(a("2", "bob", 10, null), plan, false)).toBeNull();
    expect(conflictOf(a("2", "bob", 9, null), plan, true)).toBeNull();
    expect(conflictOf(a("2", "alice", 2, 3), plan, true)?.assignment_id).toBe("1");
    expect(conflictOf(a("1", "alice", 1, 12), plan, false)).toBeNull();
    expect(conflictOf({ ...a("2", "bob", 2, 3), vehicle_id: "v2" }, plan, false)).toBeNull();
  });

  it("explains the refusal with the driver in the way and the rule", () => {
    const text = refusalText(a("2", "bob", 9, null), plan[0], "Alice Martin");
    expect(text).toContain("déjà attribué à Alice Martin du 01/03/2026 08:00 au 10/03/2026 08:00");
    expect(text).toContain("véhicule de pool");
    expect(refusalText(a("2", "alice", 2, 3), plan[0], "Alice Martin")).toContain("Alice Martin a déjà ce véhicule");
  });
});
