import { describe, expect, it } from "vitest";
import { choicesOf, grantFieldIds, grantSentence, grantsOf, noRoles } from "./grants";

const lyon = { kind: "entities" as const, entities: ["e-lyon"] };

describe("roles and scopes in the user form", () => {
  it("sends one grant per role ticked, in the form's order, with its own scope and last day", () => {
    const choices = noRoles(true);
    choices.designation = { granted: true, allEntities: false, entities: ["e-lyon"], until: "2030-08-31" };
    choices.fleet_management = { granted: true, allEntities: true, entities: ["e-paris"], until: "" };
    expect(grantsOf(choices)).toEqual([
      { role: "fleet_management", scope: { kind: "all_entities" } },
      { role: "designation", scope: lyon, until: "2030-08-31" },
    ]);
  });

  it("reads a user's grants back into the same blocks", () => {
    const grants = [
      { role: "admin" as const, scope: { kind: "entities" as const, entities: ["e-paris"] } },
      { role: "designation" as const, scope: lyon, until: "2030-01-31" },
    ];
    const choices = choicesOf(grants, true);
    expect(choices.admin).toEqual({ granted: true, allEntities: false, entities: ["e-paris"], until: "" });
    expect(choices.fleet_management.granted).toBe(false);
    expect(grantsOf(choices)).toEqual(grants);
  });

  it("merges two grants of one role: entities add up, all entities and no end win", () => {
    const choices = choicesOf([
      { role: "designation", scope: lyon, until: "2030-01-31" },
      { role: "designation", scope: { kind: "entities", entities: ["e-paris"] } },
    ], false);
    expect(choices.designation).toEqual({ granted: true, allEntities: false, entities: ["e-lyon", "e-paris"], until: "" });
    const all = choicesOf([{ role: "admin", scope: lyon }, { role: "admin", scope: { kind: "all_entities" } }], true);
    expect(all.admin.allEntities).toBe(true);
  });

  it("starts on all entities only for those who may grant them", () => {
    expect(noRoles(true).designation.allEntities).toBe(true);
    expect(noRoles(false).designation.allEntities).toBe(false);
  });

  it("places the API's errors on the block of the role they were sent for", () => {
    const choices = noRoles(true);
    choices.admin.granted = true;
    choices.designation.granted = true;
    const ids = grantFieldIds(choices);
    expect(ids["grants[0].scope"]).toBe("grant-admin-scope");
    expect(ids["grants[1].until"]).toBe("grant-designation-until");
    expect(ids["grants[2].scope"]).toBeUndefined();
  });

  it("says a grant in French", () => {
    const name = (id: string) => (id === "e-lyon" ? "Agence de Lyon" : id);
    expect(grantSentence({ role: "designation", scope: lyon, until: "2030-08-31" }, name))
      .toBe("Désignation : Agence de Lyon, jusqu'au 31/08/2030");
    expect(grantSentence({ role: "admin", scope: { kind: "all_entities" } }, name))
      .toBe("Administration : toutes les entités");
  });
});
