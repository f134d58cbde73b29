import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/client";
import { detailsText, erasedSubjects, noticesInFlight, reasonText, rightsFor, subjectText } from "./privacyText";

type Entry = Schemas["PrivacyRegisterEntry"];

/** `details` is an open object in the schema: the tests write it freely. */
function entry(over: Partial<Omit<Entry, "details">> & { details?: Record<string, unknown> }): Entry {
  return <Entry>{
    request_id: "20260512T080000Z-1", right: "access", subject: { type: "driver", id: "d-1" }, requested_by: "u-1",
    received_at: "2026-05-12T08:00:00Z", outcome: "done", details: {}, ...over,
  };
}

describe("the rights offered for each person", () => {
  it("offers a driver every right, restriction or its lifting as the driver stands", () => {
    expect(rightsFor("driver").map(([r]) => r)).toEqual(["access", "portability", "rectification", "erasure", "restriction", "objection"]);
    expect(rightsFor("driver", true).map(([r]) => r)).toContain("lift_restriction");
    expect(rightsFor("driver", true).map(([r]) => r)).not.toContain("restriction");
  });

  it("warns beforehand of the rights the API refuses for a typed-in designee or a user", () => {
    const designee = Object.fromEntries(rightsFor("designee"));
    expect(Object.keys(designee)).toEqual(["access", "portability", "rectification", "erasure", "objection"]);
    expect(designee.rectification).toMatch(/^Sera refusée/);
    expect(Object.fromEntries(rightsFor("user")).restriction).toMatch(/^Sera refusée.*désactivant son compte/);
  });
});

describe("what the register says, in plain French", () => {
  it("explains an erasure refused while a designation travels to ANTAI, and lists its notices", () => {
    const refused = entry({ right: "erasure", outcome: "refused", reason: "La personne est désignée… (RGPD art. 17.3.b)",
      details: { notices_in_flight: ["4100000301", "4100000302"] } });
    expect(noticesInFlight(refused)).toEqual(["4100000301", "4100000302"]);
    expect(reasonText(refused)).toMatch(/encore en route vers l'ANTAI.*retirée pendant son délai de grâce/);
  });

  it("never shows the API's routes in a refusal's reason", () => {
    const designee = entry({ right: "rectification", outcome: "refused", subject: { type: "designee", id: "41" },
      reason: "Une désignation saisie se corrige ou se retire depuis la réponse de l'avis (PUT ou DELETE /notices/{noticeNumber}/answer)." });
    const user = entry({ right: "restriction", outcome: "refused", subject: { type: "user", id: "u-2" },
      reason: "Le traitement des données d'un utilisateur se limite en désactivant son compte (POST /users/{userId}/deactivate)." });
    for (const e of [designee, user]) expect(reasonText(e)).not.toMatch(/\/|\{/);
  });

  it("tells what an erasure did and that the designations stay as proof", () => {
    const erased = entry({ right: "erasure", details: { data_key_erased: true, assignments_deleted: 2,
      outbound_files_deleted: ["outbound/F1"], imports_deleted: [], designations_kept_as_proof: 1, confirmation_sent: true } });
    expect(detailsText(erased)).toEqual([
      "Données effacées : elles ne peuvent plus être lues, sauvegardes comprises.",
      "2 attributions supprimées, 1 fichier d'envoi à l'ANTAI supprimé.",
      "1 désignation gardée comme preuve, au nom « [effacé] ».",
      "Le demandeur a reçu un e-mail de confirmation.",
    ]);
  });

  it("names the corrected fields of a rectification and counts what an access handed over", () => {
    expect(detailsText(entry({ right: "rectification", details: { fields: ["address", "last_name"] } }))).toEqual(["Corrigé : adresse, nom."]);
    expect(detailsText(entry({ details: { assignments: 3, designations: 1 } }))).toEqual(["Données remises : 3 attributions, 1 désignation."]);
    expect(detailsText(entry({ details: { confirmation_sent: false } }))[1]).toMatch(/n'a pas pu partir/);
  });

  it("names the person while they exist, and says erased once the register holds the erasure", () => {
    const names = { driver: (id: string) => (id === "d-1" ? "Sacha Essai" : undefined), user: () => undefined };
    const gone = entry({ subject: { type: "driver", id: "d-9" } });
    const erasure = entry({ right: "erasure", subject: { type: "driver", id: "d-9" } });
    expect(subjectText(entry({}).subject, names, false)).toBe("Conducteur : Sacha Essai");
    expect(subjectText(gone.subject, names, erasedSubjects([erasure]).has("driver:d-9"))).toBe("Conducteur effacé");
    expect(subjectText(gone.subject, names, false)).toBe("Conducteur supprimé de la base");
    expect(subjectText({ type: "designee", id: "4100000301" }, names, false)).toBe("Personne désignée sur l'avis n° 4100000301");
  });
});
