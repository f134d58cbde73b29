import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/client";
import { driverValues } from "../DriverForm";
import { driverChanges, rectificationErrors, userChanges } from "./rectification";

const driver: Schemas["Driver"] = {
  tenant_id: "t", entity_id: "e-lyon", driver_id: "d-1", last_name: "Essai", first_name: "Sacha",
  address: { line1: "12 rue de l'Exemple", line2: null, postcode: "69003", city: "Lyon", country: "FRA" },
  personal_email: null, professional_email: "sacha@transports-exemple.example", restricted: false, objected: false,
};

describe("a rectification carries only what changes", () => {
  it("sends nothing when nothing was changed", () => {
    expect(driverChanges(driver, driverValues(driver))).toEqual({});
  });

  it("sends the address whole when one of its parts changes, and a blank e-mail as null", () => {
    const values = { ...driverValues(driver), "address.postcode": "69007", professional_email: " " };
    expect(driverChanges(driver, values)).toEqual({
      address: { line1: "12 rue de l'Exemple", line2: null, postcode: "69007", city: "Lyon", country: "FRA" },
      professional_email: null,
    });
  });

  it("sends a user's trimmed names that changed", () => {
    expect(userChanges({ first_name: "Alex", last_name: "Fictif" }, { first_name: "Alex", last_name: " Fictive " })).toEqual({ last_name: "Fictive" });
  });

  it("puts the API's errors on the form's fields, with or without the changes prefix", () => {
    expect(rectificationErrors({ "changes.address.postcode": "a", "address.city": "b" })).toEqual({ "address.postcode": "a", "address.city": "b" });
  });
});
