import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/client";
import { searchDrivers } from "./DriversList";
import { writableEntities, writesIn } from "./access";

function driver(first: string, last: string, city: string, email: string | null = null): Schemas["Driver"] {
  return {
    tenant_id: "t", entity_id: "e-lyon", driver_id: `${first}-${last}`, first_name: first, last_name: last,
    address: { line1: "1 rue", postcode: "69001", city, country: "FRA" }, professional_email: email,
    restricted: false, objected: false,
  };
}

describe("searching drivers", () => {
  const drivers = [driver("Hélène", "Durand", "Lyon", "h.durand@example.com"), driver("Marc", "Hélie", "Paris")];

  it("finds every typed word, accents and case ignored", () => {
    expect(searchDrivers(drivers, "helene").map((d) => d.first_name)).toEqual(["Hélène"]);
    expect(searchDrivers(drivers, "HÉL").length).toBe(2);
    expect(searchDrivers(drivers, "hel paris").map((d) => d.last_name)).toEqual(["Hélie"]);
    expect(searchDrivers(drivers, "durand@example").length).toBe(1);
    expect(searchDrivers(drivers, "  ").length).toBe(2);
    expect(searchDrivers(drivers, "Nantes")).toEqual([]);
  });
});

describe("who may write drivers and the planning", () => {
  const entities = [{ entity_id: "e-lyon", kind: "internal", name: "Lyon" }, { entity_id: "e-paris", kind: "internal", name: "Siège" }] as Schemas["Entity"][];

  it("follows the fleet management grant's entities", () => {
    const lyonOnly = { manage_tenant: false, write_fleet: { kind: "entities", entities: ["e-lyon"] } } as Schemas["Capabilities"];
    expect(writesIn(lyonOnly, "e-lyon")).toBe(true);
    expect(writesIn(lyonOnly, "e-paris")).toBe(false);
    expect(writableEntities(lyonOnly, entities).map((e) => e.name)).toEqual(["Lyon"]);
    const reader = { manage_tenant: false, write_fleet: null, read_notices: { kind: "all_entities" } } as Schemas["Capabilities"];
    expect(writableEntities(reader, entities)).toEqual([]);
    const all = { manage_tenant: true, write_fleet: { kind: "all_entities" } } as Schemas["Capabilities"];
    expect(writableEntities(all, entities).length).toBe(2);
  });
});
