import { afterEach, describe, expect, it } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import type { Schemas } from "../../api/client";
import { ImportReport, outcomeSentence } from "./ImportReport";

const record = (over: Partial<Schemas["ImportRecord"]>): Schemas["ImportRecord"] => ({
  import_id: "i1", kind: "vehicles", status: "rejected", partial: false, created_by: "u1",
  created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
  rows_total: 2, rows_done: 0, errors: [], errors_total: 0, ...over,
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the import report", () => {
  it("lists each refused cell by Excel row and column, with the API's reason", () => {
    const host = document.createElement("div");
    document.body.append(host);
    const errors = [
      { row: 14, column: "Immatriculation", code: "invalid_plate" as const, reason: "L'immatriculation « AB12 » ne suit aucun format français." },
      { row: 15, column: "Marque", code: "required" as const, reason: "Ce champ est obligatoire." },
    ];
    act(() => render(<ImportReport record={record({ errors, errors_total: 2, message: "2 cellule(s) refusée(s) : rien n'a été appliqué." })} id="t" />, host));
    const rows = [...host.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ["ligne 14", "colonne Immatriculation", "L'immatriculation « AB12 » ne suit aucun format français."],
      ["ligne 15", "colonne Marque", "Ce champ est obligatoire."],
    ]);
    expect(host.querySelector("[role=status]")?.textContent).toBe("2 cellule(s) refusée(s) : rien n'a été appliqué.");
    expect(host.querySelector("code")).toBeNull();
  });

  it("says how many cells are not listed when the API kept only the first ones", () => {
    const host = document.createElement("div");
    document.body.append(host);
    const errors = [{ row: 2, column: "Marque", reason: "Ce champ est obligatoire." }];
    act(() => render(<ImportReport record={record({ errors, errors_total: 1500 })} id="t" />, host));
    expect(host.textContent).toContain("Seules les 1 premières cellules sont listées sur 1500.");
  });

  it("tells a partial apply from a clean one", () => {
    expect(outcomeSentence(record({ status: "done", rows_done: 2, errors_total: 3 })))
      .toBe("2 lignes valides importées ; 3 cellules refusées, non appliquées (détail ci-dessous).");
    expect(outcomeSentence(record({ status: "done", rows_done: 1 }))).toBe("1 ligne importée, sans erreur.");
    expect(outcomeSentence(record({ status: "done", rows_done: 5 }))).toBe("5 lignes importées, sans erreur.");
  });
});
