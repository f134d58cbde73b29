import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/client";
import { type Names, actionLabel, checkText, targetOf } from "./journalText";

const names: Names = {
  self: "u-me",
  actor: (id) => (id === "u-me" ? "Vous" : "Camille Martin"),
  person: (id) => (id === "u-cam" ? "Camille Martin" : undefined),
  entity: (id) => (id === "e-lyon" ? "Agence de Lyon" : undefined),
};

function entry(action: string, target: string): Schemas["JournalEntry"] {
  return { entry_id: "000000000001", seq: 1, at: "2026-05-12T08:00:00Z", user_id: "u-me", action, target, request_id: "r", prev_hash: "0", hash: "1" };
}

const target = (t: string) => targetOf(entry("read", t), names);

describe("the journal's entries in plain French", () => {
  it("names every action the API writes, and no code", () => {
    const codes = ["read", "create", "update", "delete", "export", "import", "apply", "invite", "deactivate", "reactivate",
      "answer", "cancel_answer", "transmit", "in_progress", "acknowledged", "refused", "sign_in"];
    for (const code of codes) expect(actionLabel(code)).not.toBe("Autre opération");
    expect(actionLabel("privacy:erasure")).toBe("Demande RGPD : effacement");
    expect(actionLabel("privacy:lift_restriction")).toBe("Demande RGPD : levée de la limitation");
    expect(actionLabel("something_new")).toBe("Autre opération");
  });

  it("says what each target is, with a link to the notice or the driver", () => {
    expect(target("notice:8812000001:answer")).toEqual({ text: "la réponse à l'avis n° 8812000001", href: "/avis/8812000001" });
    expect(target("notice:8812000001:suggestions").text).toBe("les conducteurs suggérés pour l'avis n° 8812000001");
    expect(target("notice:8812000001").text).toBe("la personne désignée sur l'avis n° 8812000001");
    expect(target("driver:5f2c0e4b9a8d4c1e")).toEqual({ text: "un conducteur (réf. 5f2c0e4b)", href: "/conducteurs/5f2c0e4b9a8d4c1e" });
    expect(target("drivers:list(3)").text).toBe("la liste des conducteurs (3 conducteurs)");
    expect(target("drivers:export(1)").text).toBe("la liste des conducteurs en Excel (1 conducteur)");
    expect(target("answers:a-1,a-2,a-3").text).toBe("3 réponses");
    expect(target("export:x1(15 notices)").text).toBe("un export des avis (15 avis)");
    expect(target("export:x1").text).toBe("un export des avis");
    expect(target("entity:e-lyon").text).toBe("l'entité Agence de Lyon");
    expect(target("entity:e-gone").text).toBe("une entité supprimée");
    expect(target("user:u-me:preferences").text).toBe("vos préférences de notification");
    expect(target("user:u-cam").text).toBe("le compte de Camille Martin");
    expect(target("user:u-gone").text).toBe("le compte d'un utilisateur supprimé");
    expect(target("vehicle:v-1:drivers").text).toBe("qui conduisait un véhicule");
    expect(target("tenant:settings").text).toBe("les paramètres du compte");
    expect(target("journal").text).toBe("le journal d'accès");
    expect(target("mystery:42").text).toBe("un autre élément du compte");
  });
});

const check = (over: Partial<Schemas["ChainCheck"]>): Schemas["ChainCheck"] => ({
  intact: true, entries: 120, first_seq: 1, last_seq: 120, last_hash: "h", head_seq: 120, anchors_checked: 2, problems: [], ...over,
});

describe("the integrity check told in plain French", () => {
  it("says an intact journal is intact, with what was checked", () => {
    const text = checkText(check({}));
    expect(text.headline).toMatch(/^Le journal est intact/);
    expect(text.details).toEqual([
      "120 entrées vérifiées, de la n° 1 à la n° 120 : chacune suit bien la précédente.",
      "La dernière entrée inscrite (n° 120) est bien là : rien n'a été retiré à la fin.",
      "2 copies scellées du journal (que personne ne peut modifier) concordent avec lui.",
    ]);
    expect(text.problems).toEqual([]);
  });

  it("tells entries removed after a year from a break, and says when no sealed copy exists yet", () => {
    const text = checkText(check({ first_seq: 41, expired_up_to: 40, anchors_checked: 0 }));
    expect(text.intact).toBe(true);
    expect(text.details).toContain("Les entrées n° 1 à 40, de plus d'un an, ont été supprimées comme prévu (conservation d'un an) : ce n'est pas une altération.");
    expect(text.details.join(" ")).toContain("Aucune copie scellée n'a encore été faite");
  });

  it("says where a broken journal breaks", () => {
    const text = checkText(check({
      intact: false,
      problems: [
        { seq: 57, problem: "ne suit pas l'entrée 56 (chaîne rompue)" },
        { seq: 12, problem: "le contenu ne correspond plus à son empreinte (modifié)" },
      ],
    }));
    expect(text.headline).toBe("Le journal a été altéré : 2 anomalies trouvées, la première à l'entrée n° 12.");
    expect(text.problems).toEqual([
      "Entrée n° 57 : ne suit pas l'entrée 56 (chaîne rompue).",
      "Entrée n° 12 : le contenu ne correspond plus à son empreinte (modifié).",
    ]);
    expect(text.details.join(" ")).not.toContain("chacune suit bien");
  });
});
