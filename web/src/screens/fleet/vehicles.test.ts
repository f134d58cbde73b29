import { describe, expect, it } from "vitest";
import { fleetState, fleetStateLabel, inputOf, keptBy, parisToday, writesFleetOf, type Vehicle } from "./vehicles";

const vehicle = (entry_on: string, exit_on: string | null = null): Vehicle => ({
  tenant_id: "t", entity_id: "e-lyon", vehicle_id: "v1", plate: { normalized: "AB123CD", country: "FRA", kind: { system: "siv", provisional: false } },
  make: "RENAULT", model: "CLIO", entry_on, exit_on, pool: false,
});

describe("parisToday", () => {
  it("is the day in Paris, not in the browser's zone", () => {
    // 23:30 UTC on 31 Dec is already 1 Jan in Paris.
    expect(parisToday(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(parisToday(new Date("2026-06-15T10:00:00Z"))).toBe("2026-06-15");
  });
});

describe("fleetState", () => {
  const today = "2026-06-15";
  it("tells entry ahead, in service, exit ahead and out", () => {
    expect(fleetState(vehicle("2026-07-01"), today)).toBe("coming");
    expect(fleetState(vehicle("2025-01-01"), today)).toBe("in");
    expect(fleetState(vehicle("2025-01-01", "2026-09-30"), today)).toBe("leaving");
    expect(fleetState(vehicle("2025-01-01", today), today)).toBe("leaving");
    expect(fleetState(vehicle("2025-01-01", "2026-06-14"), today)).toBe("out");
  });
  it("says it in French with the date", () => {
    expect(fleetStateLabel(vehicle("2025-01-01", "2026-09-30"), today)).toBe("Sortie prévue le 30/09/2026");
    expect(fleetStateLabel(vehicle("2025-01-01", "2026-06-14"), today)).toBe("Sorti le 14/06/2026");
    expect(fleetStateLabel(vehicle("2025-01-01", today), today)).toBe("Sort aujourd'hui");
    expect(fleetStateLabel(vehicle("2025-01-01"), today)).toBe("Dans la flotte");
  });
  it("filters in or out of the fleet", () => {
    const out = vehicle("2025-01-01", "2026-06-01");
    const leaving = vehicle("2025-01-01", "2026-09-30");
    expect(keptBy("dans", out, today)).toBe(false);
    expect(keptBy("dans", leaving, today)).toBe(true);
    expect(keptBy("sortis", out, today)).toBe(true);
    expect(keptBy("", out, today)).toBe(true);
  });
});

describe("writesFleetOf", () => {
  it("follows the write_fleet scope", () => {
    const base = { manage_tenant: false };
    expect(writesFleetOf({ ...base, write_fleet: { kind: "all_entities" } }, "e-paris")).toBe(true);
    expect(writesFleetOf({ ...base, write_fleet: { kind: "entities", entities: ["e-lyon"] } }, "e-paris")).toBe(false);
    expect(writesFleetOf({ ...base, write_fleet: null }, "e-lyon")).toBe(false);
  });
});

describe("inputOf", () => {
  it("trims text and sends an empty exit date as none", () => {
    const input = inputOf({ plate: " ab-123-cd ", country: "FRA", make: " Renault", model: "Clio ", entity_id: "e-lyon", entry_on: "2026-01-01", exit_on: "", pool: false });
    expect(input).toEqual({ plate: "ab-123-cd", country: "FRA", make: "Renault", model: "Clio", entity_id: "e-lyon", entry_on: "2026-01-01", exit_on: null, pool: false });
  });
});
