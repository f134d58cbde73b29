import { describe, expect, it } from "vitest";
import { SECOND_FACTOR_REQUIRED, errorCode, problemOf } from "./client";

const body = (message: string, fields?: { field: string; code: string; reason: string }[]) => ({
  error: { code: "forbidden", message, fields },
});

describe("what the user reads of an API error", () => {
  it("shows the API's French sentence for a refusal, a missing resource or a conflict", () => {
    const forbidden = "Vos rôles ne permettent pas cette action sur cet avis.";
    expect(problemOf(body(forbidden), 403).message).toBe(forbidden);
    const conflict = "L'immatriculation AB-123-CD est déjà dans la flotte sur cette période.";
    expect(problemOf(body(conflict), 409).message).toBe(conflict);
  });

  it("says an expired session, a server error or a message-less refusal in its own words", () => {
    expect(problemOf(body("Vous n'êtes pas connecté."), 401).message).toBe("Votre session a expiré : reconnectez-vous.");
    expect(problemOf(body("Une erreur interne est survenue."), 500).message).toMatch(/réessayez/);
    expect(problemOf(undefined, 404).message).toMatch(/^Introuvable/);
    expect(problemOf({ message: "Service Unavailable" }, 503).message).toMatch(/réessayez/);
  });

  it("puts each field's reason next to its field, under a French heading", () => {
    const problem = problemOf(body("driver.address.postcode: …", [
      { field: "driver.address.postcode", code: "invalid_postcode", reason: "Le code postal français a 5 chiffres." },
    ]), 422);
    expect(problem.message).toBe("Certains champs sont à corriger :");
    expect(problem.fields["driver.address.postcode"]).toBe("Le code postal français a 5 chiffres.");
  });
});

describe("a tenant that requires a second factor", () => {
  it("is recognised by the API's code, whatever the message", async () => {
    const refusal = new Response(JSON.stringify({ error: { code: SECOND_FACTOR_REQUIRED, message: "…" } }), { status: 403 });
    expect(await errorCode(refusal)).toBe("second_factor_required");
    expect(await refusal.json()).toHaveProperty("error.code", "second_factor_required");
    expect(await errorCode(new Response("not json", { status: 403 }))).toBeUndefined();
  });
});
