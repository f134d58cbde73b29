import { describe, expect, it } from "vitest";
import { placeErrors } from "./problems";

describe("field errors placed on inputs", () => {
  it("puts each reason by its input, and keeps the ones without an input", () => {
    const problem = { message: "Certains champs sont à corriger :", fields: { siret: "clé fausse", "weird.path": "autre" } };
    expect(placeErrors(problem, { siret: "entity-siret" })).toEqual({ byId: { "entity-siret": "clé fausse" }, rest: ["autre"] });
  });
});
