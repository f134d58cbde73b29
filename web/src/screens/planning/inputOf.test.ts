import { describe, expect, it } from "vitest";
import { inputOf } from "./AssignmentEditor";

describe("the assignment form's input", () => {
  const base = { vehicle: "v1", driver: "d1", from: { date: "2026-01-15", time: "08:30" }, until: { date: "", time: "" } };

  it("sends Paris times as instants; no end means until further notice", () => {
    expect(inputOf(base)).toEqual({ input: { vehicle_id: "v1", driver_id: "d1", from: "2026-01-15T07:30:00Z", until: null } });
  });

  it("ends at the end of the day when the end has no time", () => {
    const whole = inputOf({ ...base, until: { date: "2026-07-14", time: "" } });
    expect(whole).toMatchObject({ input: { until: "2026-07-14T22:00:00Z" } });
    const timed = inputOf({ ...base, until: { date: "2026-07-14", time: "18:00" } });
    expect(timed).toMatchObject({ input: { until: "2026-07-14T16:00:00Z" } });
  });

  it("names each missing field before sending", () => {
    const result = inputOf({ vehicle: "", driver: "", from: { date: "", time: "" }, until: { date: "", time: "10:00" } });
    expect(result).toEqual({ fields: {
      vehicle_id: "Choisissez le véhicule.", driver_id: "Choisissez le conducteur.",
      from: "Indiquez le jour où le conducteur prend le véhicule.", until: "Indiquez aussi le jour, ou effacez l'heure.",
    } });
  });
});
