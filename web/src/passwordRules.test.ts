import { describe, expect, it } from "vitest";
import { missingRules } from "./passwordRules";

describe("the password rules shown as you type", () => {
  it("names every missing rule in French", () => {
    expect(missingRules("court")).toEqual([
      "au moins 12 caractères", "une majuscule", "un chiffre", "un symbole (par exemple ! ? - _ #)",
    ]);
  });

  it("accepts what the user pool accepts, accents included", () => {
    expect(missingRules("Invitee-Locale-2026!")).toEqual([]);
    expect(missingRules("Élodie-Très-Sûr-9")).toEqual([]);
    expect(missingRules("ÉLODIE-TRÈS-SÛR-9")).toEqual(["une minuscule"]);
  });
});
