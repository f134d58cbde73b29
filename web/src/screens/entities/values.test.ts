import { describe, expect, it } from "vitest";
import { EMPTY_ENTITY, addressLine, entityInput, entityValues } from "./values";

describe("an entity's form values", () => {
  it("sends a legal entity's address even when empty, so that each missing line is named", () => {
    const input = entityInput({ ...EMPTY_ENTITY, name: " Nord " });
    expect(input.name).toBe("Nord");
    expect(input.address).toEqual({ line1: "", line2: null, postcode: "", city: "", country: "FRA" });
    expect(input.siren).toBeNull();
  });

  it("takes the spaces out of a SIREN and a SIRET typed as printed", () => {
    const input = entityInput({ ...EMPTY_ENTITY, siren: "732 829 320", siret: "732 829 320 00074" });
    expect([input.siren, input.siret]).toEqual(["732829320", "73282932000074"]);
  });

  it("sends an internal entity without SIREN, SIRET, or an address left blank", () => {
    const input = entityInput({ ...EMPTY_ENTITY, kind: "internal", name: "Atelier", siren: "732829320" });
    expect(input).toEqual({ kind: "internal", name: "Atelier", address: null, siren: null, siret: null });
  });

  it("edits a stored entity as it was", () => {
    const entity = {
      entity_id: "e1", kind: "legal" as const, name: "Nord", siren: "732829320", siret: null,
      address: { line1: "1 rue de l'Exemple", line2: null, postcode: "59000", city: "Lille", country: "FRA" },
    };
    expect(entityInput(entityValues(entity))).toEqual({
      kind: "legal", name: "Nord", address: entity.address, siren: "732829320", siret: null,
    });
    expect(addressLine(entity)).toBe("1 rue de l'Exemple, 59000 Lille");
  });
});
