import { describe, expect, it } from "vitest";
import { problemOf } from "./client";

const body = (message: string, fields?: { field: string; reason: string }[]) => ({
  error: { code: "forbidden", message, fields },
});

describe("what the user reads of an API error", () => {
  it("says a refusal, a missing resource or a server error in French, never the API's English", () => {
    expect(problemOf(body("your roles do not allow this"), 403).message).toBe("Vous n'avez pas le droit de faire cela.");
    expect(problemOf(body("notice not found"), 404).message).toMatch(/^Introuvable/);
    expect(problemOf(body("internal error"), 500).message).toMatch(/réessayez/);
  });

  it("puts each field's reason next to its field, under a French heading", () => {
    const problem = problemOf(body("driver.address.postcode: …", [
      { field: "driver.address.postcode", reason: "Le code postal français a 5 chiffres." },
    ]), 422);
    expect(problem.message).toBe("Certains champs sont à corriger :");
    expect(problem.fields["driver.address.postcode"]).toBe("Le code postal français a 5 chiffres.");
  });
});
