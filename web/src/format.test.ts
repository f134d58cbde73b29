import { describe, expect, it } from "vitest";
import { amount, countdown, daysLeftLabel, frenchDate, monthLabel, parisDateTime, urgency } from "./format";

describe("French formatting", () => {
  it("shows an offence in Paris time whatever the offset it comes with", () => {
    expect(parisDateTime("2026-11-20T08:15:07+01:00")).toBe("20/11/2026 08:15:07");
    expect(parisDateTime("2026-11-20T07:15:07Z")).toBe("20/11/2026 08:15:07");
    // Summer time: UTC+2.
    expect(parisDateTime("2026-07-14T21:59:00Z")).toBe("14/07/2026 23:59:00");
  });

  it("writes a calendar day as JJ/MM/AAAA", () => {
    expect(frenchDate("2026-12-04")).toBe("04/12/2026");
  });

  it("writes cents as euros with a decimal comma", () => {
    expect(amount(13500).replace(/\s/g, " ")).toBe("135,00 €");
    expect(amount(4500).replace(/\s/g, " ")).toBe("45,00 €");
  });

  it("colours the days left: red within 2, orange within 7", () => {
    expect([-1, 0, 2, 3, 7, 8].map(urgency)).toEqual(["late", "urgent", "urgent", "soon", "soon", "calm"]);
    expect(daysLeftLabel(0)).toBe("dernier jour");
    expect(daysLeftLabel(1)).toBe("1 jour");
    expect(daysLeftLabel(12)).toBe("12 jours");
    expect(daysLeftLabel(-3)).toBe("délai dépassé");
  });

  it("counts down the grace window", () => {
    expect(countdown(3 * 3600 + 59 * 60 + 5)).toBe("3 h 59 min");
    expect(countdown(245)).toBe("4 min 05 s");
    expect(countdown(-5)).toBe("0 min 00 s");
  });
  it("names the months of the dashboard's chart in French", () => {
    expect(monthLabel("2026-03")).toBe("mars 26");
    expect(monthLabel("2025-12", "long")).toBe("décembre 2025");
    expect(monthLabel("2026-01", "month")).toBe("janv.");
  });
});
