import { describe, expect, it } from "vitest";
import { fromParis, nextDay, periodLabel, periodState, toParis } from "./time";

describe("Paris local times of the planning", () => {
  it("turns a Paris date and time into the instant, summer and winter", () => {
    expect(fromParis("2026-01-15", "08:30")).toBe("2026-01-15T07:30:00Z");
    expect(fromParis("2026-07-15", "08:30")).toBe("2026-07-15T06:30:00Z");
    expect(fromParis("2026-07-15", "00:00")).toBe("2026-07-14T22:00:00Z");
  });

  it("survives the clock changes", () => {
    // 29 March 2026: 02:00 → 03:00. 02:30 does not exist; it lands an hour later.
    expect(fromParis("2026-03-29", "01:30")).toBe("2026-03-29T00:30:00Z");
    expect(fromParis("2026-03-29", "03:30")).toBe("2026-03-29T01:30:00Z");
    expect(toParis(fromParis("2026-03-29", "02:30")).time).toBe("03:30");
    // 25 October 2026: 03:00 → 02:00.
    expect(fromParis("2026-10-25", "04:00")).toBe("2026-10-25T03:00:00Z");
  });

  it("reads an instant back as the Paris inputs show it", () => {
    expect(toParis("2026-07-14T22:00:00Z")).toEqual({ date: "2026-07-15", time: "00:00" });
    expect(toParis("2026-01-15T07:30:00+00:00")).toEqual({ date: "2026-01-15", time: "08:30" });
  });

  it("goes to the next day across months and years", () => {
    expect(nextDay("2026-02-28")).toBe("2026-03-01");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
  });

  it("says the period and where it stands", () => {
    expect(periodLabel({ from: "2026-01-15T07:30:00Z", until: "2026-02-01T23:00:00Z" }))
      .toBe("du 15/01/2026 08:30 au 02/02/2026 00:00");
    expect(periodLabel({ from: "2026-01-15T07:30:00Z", until: null }))
      .toBe("depuis le 15/01/2026 08:30, jusqu'à nouvel ordre");
    const now = Date.parse("2026-03-01T12:00:00Z");
    expect(periodState({ from: "2026-03-02T00:00:00Z" }, now)).toBe("upcoming");
    expect(periodState({ from: "2026-02-01T00:00:00Z", until: "2026-03-01T12:00:00Z" }, now)).toBe("past");
    expect(periodState({ from: "2026-02-01T00:00:00Z", until: null }, now)).toBe("current");
  });
});
