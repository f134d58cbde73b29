import { describe, expect, it } from "vitest";
import { NUMBERS, settingsInput, settingsValues, valuesProblems } from "./settings";

const stored = {
  answer_grace_hours: 4, smart_exit_grace_days: 60, auto_designation: false,
  notify_driver_on_acknowledgement: true, remind_open_after_days: 7, session_idle_minutes: 30,
  second_factor_required: false,
};

describe("the tenant's settings form", () => {
  it("sends back what it read when nothing changed", () => {
    expect(settingsInput(settingsValues(stored))).toEqual(stored);
  });

  it("names each number out of bounds or not a whole number, in French", () => {
    const values = { ...settingsValues(stored), answer_grace_hours: "100", session_idle_minutes: "2,5" };
    expect(valuesProblems(values)).toEqual({
      answer_grace_hours: "La valeur doit aller de 1 à 72 heures.",
      session_idle_minutes: "Saisissez un nombre entier de minutes, de 5 à 240.",
    });
    expect(valuesProblems(settingsValues(stored))).toEqual({});
  });

  it("explains every setting in a sentence", () => {
    for (const spec of NUMBERS) expect(spec.explain).toMatch(/\.$/);
  });
});
