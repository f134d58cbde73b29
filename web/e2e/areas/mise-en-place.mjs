// Setting up an account from nothing, as a newcomer does on `make app`'s
// empty tenant (infra/tools/src/demo_admin.rs): each form says what must
// come first, then an entity, a vehicle, a driver and an assignment, all
// through the screens.
import { check } from "../support.mjs";

const EMAIL = "admin@nouvelle-societe.example";
const PASSWORD = process.env.DEMO_PASSWORD ?? "Demo-Local-Only-1";

/** Today and a past hour as the period fields take them (Paris time). */
function parisNow(offsetMs = 0) {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const p = Object.fromEntries(format.formatToParts(new Date(Date.now() + offsetMs)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

async function loaded(page) {
  await page.locator('section[data-loaded="true"]').first().waitFor();
}

export const scenarios = [
  [
    "mettre en place un compte vide : chaque formulaire dit quoi créer d'abord, puis entité, véhicule, conducteur et attribution",
    async (t) => {
      const { page } = t;
      await page.goto(`${t.base}/connexion`);
      await page.getByLabel("E-mail professionnel").fill(EMAIL);
      await page.getByLabel("Mot de passe").fill(PASSWORD);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByRole("heading", { name: "Tableau de bord" }).waitFor();

      // Nothing yet: the planning asks for a vehicle, the vehicle for an entity.
      await page.goto(`${t.base}/planning/nouvelle`);
      await page.getByText("Ajoutez d'abord un véhicule à la flotte").waitFor();
      await page.goto(`${t.base}/flotte/nouveau`);
      await page.getByText("Ajoutez d'abord une entité").waitFor();
      await t.screen("60-mise-en-place-entite-d-abord");
      await page.getByRole("link", { name: "Ajouter une entité" }).click();
      await page.getByRole("heading", { name: "Ajouter une entité" }).waitFor();
      await page.getByLabel("Entité interne").check();
      await page.getByLabel("Nom de l'entité").fill("Direction générale");
      await page.getByRole("button", { name: "Ajouter l'entité" }).click();
      await page.getByRole("status").filter({ hasText: "L'entité « Direction générale » est ajoutée." }).waitFor();

      await page.goto(`${t.base}/flotte/nouveau`);
      await page.getByRole("heading", { name: "Ajouter un véhicule" }).waitFor();
      await page.getByLabel("Immatriculation", { exact: true }).fill("EN-301-VA");
      await page.getByLabel("Marque").fill("Peugeot");
      await page.getByLabel("Modèle").fill("208");
      await page.getByRole("button", { name: "Ajouter le véhicule" }).click();
      await page.getByText("EN-301-VA est enregistré.").waitFor();

      await page.goto(`${t.base}/planning/nouvelle`);
      await page.getByText("Ajoutez d'abord un conducteur").waitFor();
      await t.screen("61-mise-en-place-conducteur-d-abord");
      await page.getByRole("link", { name: "Ajouter un conducteur" }).click();
      await page.getByRole("heading", { name: "Ajouter un conducteur" }).waitFor();
      await page.getByLabel("Nom", { exact: true }).fill("Nouveau");
      await page.getByLabel("Prénom").fill("Alix");
      await page.getByLabel("Adresse", { exact: true }).fill("2 rue du Départ");
      await page.getByLabel("Code postal").fill("33000");
      await page.getByLabel("Ville").fill("Bordeaux");
      await page.getByRole("button", { name: "Ajouter le conducteur" }).click();
      await page.getByText("Le conducteur est ajouté.").waitFor();

      await page.getByRole("link", { name: "Attribuer un véhicule à Alix Nouveau" }).click();
      await loaded(page);
      const offered = await page.locator("#assignment-vehicle option").allInnerTexts();
      const vehicle = offered.find((o) => o.includes("EN-301-VA"));
      check(vehicle && offered.length === 2, `the one vehicle is offered: ${offered.join(" | ")}`);
      await page.locator("#assignment-vehicle").selectOption({ label: vehicle });
      const since = parisNow(-3_600_000);
      await page.locator("#assignment-from-date").fill(since.date);
      await page.locator("#assignment-from-time").fill(since.time);
      await page.getByRole("button", { name: "Enregistrer l'attribution" }).click();
      await page.getByText("L'attribution est enregistrée.").waitFor();
      await page.goto(`${t.base}/planning`);
      await loaded(page);
      const card = await page.locator("[data-vehicle]").first().innerText();
      check(card.includes("EN-301-VA") && card.includes("Alix Nouveau") && card.includes("En cours"), `the planning: ${card}`);
      await t.screen("62-mise-en-place-planning");
    },
  ],
];
