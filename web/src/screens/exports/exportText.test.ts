import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/client";
import { contentText, deletedText, fileSize, periodText, statusText, stillListed } from "./exportText";

function job(over: Partial<Schemas["ExportJob"]>): Schemas["ExportJob"] {
  return {
    export_id: "x1", status: "queued", format: "xlsx", filters: {}, created_by: "u-1",
    created_at: "2026-05-12T08:00:00Z", updated_at: "2026-05-12T08:00:00Z",
    period_from: "2025-05-12T08:00:00Z", period_to: "2026-05-12T08:00:00Z",
    rows_total: 0, rows_done: 0, progress: 0, ...over,
  };
}

describe("an export job in plain French", () => {
  it("says where it stands", () => {
    expect(statusText(job({}))).toBe("En attente de traitement…");
    expect(statusText(job({ status: "running", rows_total: 15, rows_done: 6, progress: 40 }))).toBe("En cours : 6 avis écrits sur 15 (40 %)");
    expect(statusText(job({ status: "done", rows_total: 15, file_size: 12_800 }))).toBe("Prêt : 15 avis, 13 Ko");
    expect(statusText(job({ status: "failed", message: "L'export a échoué 3 fois : demandez-le à nouveau." })))
      .toBe("Échec. L'export a échoué 3 fois : demandez-le à nouveau.");
  });

  it("says what it holds and over which months (Paris days)", () => {
    const one = job({ filters: { entity_id: "e-lyon", status: "OPEN", plate: "AB123CD" } });
    expect(contentText(one, (id) => (id === "e-lyon" ? "Agence de Lyon" : undefined), "toutes les entités")).toBe("Agence de Lyon, statut « À traiter », véhicule AB123CD");
    expect(contentText(job({}), () => undefined, "toutes vos entités")).toBe("toutes vos entités");
    expect(periodText(job({ period_from: "2025-05-11T23:30:00Z" }))).toBe("avis reçus du 12/05/2025 au 12/05/2026");
  });

  it("lists a file until it is deleted, and an unfinished job for 7 days", () => {
    const now = Date.parse("2026-05-20T00:00:00Z");
    expect(stillListed(job({ status: "done", expires_at: "2026-05-19T08:00:00Z" }), now)).toBe(false);
    expect(stillListed(job({ status: "done", expires_at: "2026-05-21T08:00:00Z" }), now)).toBe(true);
    expect(stillListed(job({ status: "failed", created_at: "2026-05-10T08:00:00Z" }), now)).toBe(false);
    expect(fileSize(2_500_000)).toBe("2,4 Mo");
    expect(deletedText(job({ status: "done", expires_at: "2026-05-19T08:00:00Z" }), now)).toBe(
      "Ce fichier a été supprimé le 19/05/2026 à 10:00, 7 jours après sa création : demandez un nouvel export.");
    expect(deletedText(job({ status: "done", expires_at: "2026-05-21T08:00:00Z" }), now)).toBeNull();
  });
});
