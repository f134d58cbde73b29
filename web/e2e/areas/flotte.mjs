// Flotte: the vehicles, the matrix import and its report, the fleet
// refresh, adding, changing and removing a vehicle, a large workbook
// through the presigned upload, and what a read-only colleague sees.
// Workbooks are read and written with exceljs, as a fleet manager's Excel would.
import { randomBytes } from "node:crypto";
import ExcelJS from "exceljs";
import { EMAIL, PASSWORD, check, adminApi, colleagueWithPassword } from "../support.mjs";

const COLUMNS = ["Immatriculation", "Pays", "Marque", "Modèle", "Entité", "Date d'entrée", "Date de sortie"];
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Signs in as `email` and opens the fleet. */
async function signInToFleet(t, email = EMAIL, password = PASSWORD) {
  const { page } = t;
  await page.goto(`${t.base}/flotte`);
  await page.getByLabel("E-mail professionnel").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("heading", { name: "Flotte", exact: true }).waitFor();
  await page.locator('section[data-loaded="true"]').waitFor();
}

/** Opens the fleet filtered by `query` and returns its rows once loaded. */
async function fleetRows(t, query = "") {
  const { page } = t;
  await page.goto(`${t.base}/flotte${query}`);
  await page.locator('section[data-loaded="true"]').waitFor();
  return page.locator("table.fleet tbody tr");
}

/**
 * `count` plates no run has used: SIV letters (no I, O, U, S or W, so
 * neither the SS series nor W garages) and digits drawn from the clock.
 */
function freshPlates(count) {
  const letters = "ABCDEFGHJKLMNPQRTVXYZ";
  const start = Math.floor(Date.now() / 10);
  return Array.from({ length: count }, (_, i) => {
    const n = start * 7 + i;
    const digits = String((n % 999) + 1).padStart(3, "0");
    let rest = Math.floor(n / 999);
    const l = [];
    for (let k = 0; k < 4; k += 1) {
      l.push(letters[rest % letters.length]);
      rest = Math.floor(rest / letters.length);
    }
    return `${l[0]}${l[1]}-${digits}-${l[2]}${l[3]}`;
  });
}

const parisDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });
/** `YYYY-MM-DD` in Paris, `days` from today. */
function parisIso(days = 0) {
  return parisDay.format(new Date(Date.now() + days * 86_400_000));
}
const french = (iso) => iso.split("-").reverse().join("/");

/** A cell as the matrix wants it: text, dates as JJ/MM/AAAA. */
function cellText(value) {
  if (value instanceof Date) return french(value.toISOString().slice(0, 10));
  if (value && typeof value === "object" && "richText" in value) return value.richText.map((r) => r.text).join("");
  return value == null ? "" : String(value);
}

/** A workbook of the matrix's columns and these rows (arrays of text), as a buffer. */
async function matrix(rows, sheetName = "Flotte") {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(COLUMNS);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Clicks `button` and reads the workbook the browser downloads: its first sheet's rows as text. */
async function downloadedRows(page, button) {
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const rows = [];
  workbook.worksheets[0].eachRow((row) => rows.push(COLUMNS.map((_, i) => cellText(row.getCell(i + 1).value))));
  return { name: download.suggestedFilename(), rows };
}

/** The report's refused cells as `ligne N · colonne X`. */
async function refusedCells(page) {
  return page.locator("table.refused tbody tr").evaluateAll((trs) =>
    trs.map((tr) => `${tr.querySelector("th").textContent} · ${tr.querySelector("td").textContent}`));
}

export const scenarios = [
  [
    "importer la matrice : le rapport par ligne et colonne, puis les lignes valides seulement",
    async (t) => {
      const { page } = t;
      await signInToFleet(t);
      const seeded = await page.locator("table.fleet tbody tr").count();
      check(seeded >= 5, `the fleet lists the 5 demo vehicles at least, got ${seeded}`);
      check((await page.locator('tr[data-plate="AB123CD"] th').innerText()) === "AB-123-CD", "plates shown with their dashes");
      await t.screen("20-flotte");
      await page.getByRole("link", { name: "Importer la matrice Excel" }).click();
      await page.getByRole("heading", { name: "Importer des véhicules" }).waitFor();
      const template = await downloadedRows(page, page.getByRole("button", { name: "Télécharger la matrice vierge (Excel)" }));
      check(template.name === "matrice-flotte.xlsx", `the matrix's file name: ${template.name}`);
      check(template.rows.length === 1 && template.rows[0].join("|") === COLUMNS.join("|"), `the matrix's header: ${template.rows[0]}`);
      await t.screen("21-flotte-import");

      const [good1, good2, noMake, unknownEntity, badDate] = freshPlates(5);
      const workbook = await matrix([
        [good1, "FRA", "Renault", "Clio", "Agence de Lyon", french(parisIso(-30)), ""],
        [good2, "", "Peugeot", "208", "Siège", "01/03/2026", "31/12/2030"],
        ["AB-12", "FRA", "Citroën", "C3", "Siège", "01/03/2026", ""],
        [noMake, "FRA", "", "Kangoo", "Agence de Lyon", "01/03/2026", ""],
        [unknownEntity, "FRA", "Dacia", "Sandero", "Agence de Marseille", "01/03/2026", ""],
        [badDate, "FRA", "Toyota", "Yaris", "Siège", "32/13/2026", ""],
      ]);
      await page.getByLabel("Classeur Excel (.xlsx)").setInputFiles({ name: "flotte-a-importer.xlsx", mimeType: XLSX, buffer: workbook });
      await page.getByRole("button", { name: "Importer le classeur" }).click();
      await page.locator('section.import-panel[data-status="rejected"]').waitFor();
      const refused = await refusedCells(page);
      const expected = ["ligne 4 · colonne Immatriculation", "ligne 5 · colonne Marque", "ligne 6 · colonne Entité", "ligne 7 · colonne Date d'entrée"];
      check(refused.join("\n") === expected.join("\n"), `the refused cells, by row and column:\n${refused.join("\n")}`);
      const reasons = await page.locator("table.refused tbody td:nth-child(3)").allTextContents();
      check(reasons[0].includes("format français") && reasons[1] === "Ce champ est obligatoire.", `the API's reasons in French: ${reasons.join(" / ")}`);
      check(reasons[2].includes("« Agence de Marseille » n'est pas l'une de vos entités"), `unknown entity: ${reasons[2]}`);
      await page.getByText("4 cellule(s) refusée(s) : rien n'a été appliqué").waitFor();
      const { api } = await adminApi(t);
      const before = await (await api("GET", `/vehicles?plate=${good1}`)).json();
      check(before.vehicles.length === 0, "nothing applied while the workbook is rejected");
      await t.screen("22-flotte-import-rapport");
      await page.getByRole("button", { name: "Appliquer quand même les lignes valides" }).click();
      await page.locator('section.import-panel[data-status="done"]').waitFor();
      await page.getByText("2 lignes valides importées ; 4 cellules refusées, non appliquées").waitFor();
      check((await refusedCells(page)).length === 4, "the refused cells stay listed after the partial apply");
      await page.locator('.recent-imports td', { hasText: "lignes valides seulement" }).first().waitFor();
      await page.locator(".recent-imports").getByRole("button", { name: /^Voir le rapport/ }).first().click();
      const kept = await page.locator(".recent-imports table.refused tbody th").allTextContents();
      check(kept.join() === "ligne 4,ligne 5,ligne 6,ligne 7", `a past import's report reopens: ${kept.join()}`);
      await t.screen("23-flotte-import-lignes-valides");

      const compact = (plate) => plate.replace(/-/g, "");
      for (const plate of [good1, good2]) {
        const rows = await fleetRows(t, `?immatriculation=${plate}`);
        check((await rows.count()) === 1, `${plate} imported`);
      }
      const clio = (await fleetRows(t, `?immatriculation=${good1}`)).first();
      check((await clio.innerText()).includes("RENAULT CLIO") && (await clio.innerText()).includes("Agence de Lyon"), `row of ${good1}: ${await clio.innerText()}`);
      const peugeot = (await fleetRows(t, `?immatriculation=${good2}`)).first();
      check((await peugeot.innerText()).includes("Sortie prévue le 31/12/2030"), `exit ahead shown: ${await peugeot.innerText()}`);
      for (const plate of [noMake, unknownEntity, badDate]) {
        check((await (await fleetRows(t, `?immatriculation=${compact(plate)}`)).count()) === 0, `${plate} (refused row) not imported`);
      }
      const paris = await fleetRows(t, "?entite=e-paris&etat=dans");
      const names = await paris.locator("td:nth-child(3)").allTextContents();
      const parisPlates = await paris.locator("th").allTextContents();
      check(names.length >= 3 && names.every((n) => n === "Siège"), `only Siège's vehicles: ${names.join(", ")}`);
      check(["QR-246-ST", "TV-135-WX", good2].every((p) => parisPlates.includes(p)), `Siège's vehicles listed: ${parisPlates.join(", ")}`);
      check((await page.getByLabel("Entité").inputValue()) === "e-paris", "the entity filter shows its choice");
      await t.screen("20a-flotte-filtres");
    },
  ],
  [
    "mettre à jour toute la flotte : la différence (ajoutés, modifiés, sortants), puis Appliquer",
    async (t) => {
      const { page } = t;
      const [leaving, changed, added] = freshPlates(3);
      const { api } = await adminApi(t);
      for (const plate of [leaving, changed]) {
        const created = await api("POST", "/vehicles", { plate, make: "Renault", model: "Clio", entity_id: "e-lyon", entry_on: parisIso(-60) });
        check(created.status === 201, `POST /vehicles ${plate}: ${created.status} ${await created.text()}`);
      }
      await signInToFleet(t);
      await page.getByRole("link", { name: "Mettre à jour toute la flotte" }).click();
      await page.getByRole("heading", { name: "Mettre à jour toute la flotte" }).waitFor();
      await t.screen("24-flotte-mise-a-jour");
      const exported = await downloadedRows(page, page.getByRole("button", { name: "Exporter la flotte (Excel)" }));
      check(exported.name === "flotte.xlsx", `the export's file name: ${exported.name}`);
      check(exported.rows[0].join("|") === COLUMNS.join("|"), `the export has the matrix's columns: ${exported.rows[0]}`);
      const today = french(parisIso());
      const past = (day) => day && day.split("/").reverse().join("-") < parisIso();
      // The fleet as it is (vehicles already out are not in it), minus one, one changed, one more.
      const fleet = exported.rows.slice(1).filter((r) => !past(r[6]));
      check(fleet.some((r) => r[0] === leaving) && fleet.some((r) => r[0] === changed), "the export lists the vehicles just added");
      const rows = fleet.filter((r) => r[0] !== leaving).map((r) => (r[0] === changed ? [...r.slice(0, 3), "MEGANE", ...r.slice(4)] : r));
      rows.push([added, "FRA", "DACIA", "SANDERO", "Siège", today, ""]);
      await page.getByLabel("Fichier de toute la flotte (.xlsx)").setInputFiles({ name: "flotte.xlsx", mimeType: XLSX, buffer: await matrix(rows) });
      await page.getByRole("button", { name: "Comparer avec la flotte" }).click();
      await page.locator('section[data-status="awaiting_apply"]').waitFor();
      for (const [figure, value] of [["ajoutés", "1"], ["modifiés", "1"], ["sortants", "1"]]) {
        const shown = await page.locator(`[data-figure="${figure}"] .figure`).innerText();
        check(shown === value, `${figure}: ${value} expected, ${shown} shown`);
      }
      check((await page.locator("#diff-added tbody th").allTextContents()).join() === added, "the added vehicle listed");
      const change = await page.locator("#diff-changed tbody tr").innerText();
      check(change.includes(changed) && change.includes("Modèle : CLIO → MEGANE"), `the change told: ${change}`);
      check((await page.locator("#diff-leaving tbody th").allTextContents()).join() === leaving, "the leaving vehicle listed");
      check((await page.getByLabel("Date de sortie des véhicules sortants").inputValue()) === parisIso(), "leaving today by default");
      await t.screen("25-flotte-difference");
      await page.getByRole("button", { name: "Appliquer", exact: true }).click();
      await page.locator('.apply-result[data-status="applied"]').waitFor();
      await page.getByText(`3 véhicules mis à jour. Les véhicules sortants quittent la flotte le ${today}.`).waitFor();
      await page.getByRole("heading", { name: "Mise à jour appliquée" }).waitFor();
      await t.screen("26-flotte-mise-a-jour-appliquee");

      const row = async (plate) => (await fleetRows(t, `?immatriculation=${plate}`)).first().innerText();
      check((await row(added)).includes("DACIA SANDERO") && (await row(added)).includes("Siège"), "the added vehicle is in the fleet");
      check((await row(changed)).includes("RENAULT MEGANE"), "the changed vehicle has its new model");
      check((await row(leaving)).includes("Sort aujourd'hui"), `the leaving vehicle leaves today: ${await row(leaving)}`);
    },
  ],
  [
    "ajouter, modifier (sortie prévue) et supprimer un véhicule, avec l'erreur à côté du champ",
    async (t) => {
      const { page } = t;
      const [plate] = freshPlates(1);
      await signInToFleet(t);
      await page.getByRole("link", { name: "Ajouter un véhicule" }).click();
      await page.getByRole("heading", { name: "Ajouter un véhicule" }).waitFor();
      await page.getByLabel("Immatriculation", { exact: true }).fill("AB-000-CD");
      await page.getByLabel("Marque").fill("Renault");
      await page.getByLabel("Modèle").fill("Zoe");
      await page.getByLabel("Entité").selectOption({ label: "Siège" });
      await page.getByRole("button", { name: "Ajouter le véhicule" }).click();
      const error = page.locator("#vehicle-plate-error");
      await error.waitFor();
      check((await error.innerText()).includes("le numéro 000 n'est jamais attribué"), `the plate's error in French: ${await error.innerText()}`);
      check((await page.getByLabel("Immatriculation", { exact: true }).getAttribute("aria-invalid")) === "true", "the plate field is marked invalid");
      await t.screen("27-flotte-ajout-erreur");
      await page.getByLabel("Immatriculation", { exact: true }).fill(plate);
      await page.getByRole("button", { name: "Ajouter le véhicule" }).click();
      await page.getByText(`${plate} est enregistré.`).waitFor();
      let rows = await fleetRows(t, `?immatriculation=${plate}`);
      check((await rows.count()) === 1 && (await rows.first().innerText()).includes("RENAULT ZOE"), "the new vehicle listed");
      check((await rows.first().innerText()).includes("Dans la flotte"), "in the fleet");

      await page.getByRole("link", { name: `Modifier le véhicule ${plate}` }).click();
      await page.getByRole("heading", { name: `Modifier le véhicule ${plate}` }).waitFor();
      check((await page.getByLabel("Immatriculation", { exact: true }).getAttribute("readonly")) !== null, "the plate cannot change");
      const exit = parisIso(45);
      await page.getByLabel("Date de sortie (facultatif)").fill(exit);
      await page.getByLabel("Modèle").fill("Zoe E-Tech");
      await t.screen("28-flotte-modification");
      await page.getByRole("button", { name: "Enregistrer les modifications" }).click();
      await page.getByText(`${plate} est enregistré.`).waitFor();
      rows = await fleetRows(t, `?immatriculation=${plate}`);
      const text = await rows.first().innerText();
      check(text.includes("RENAULT ZOE E-TECH") && text.includes(`Sortie prévue le ${french(exit)}`), `the exit ahead shown: ${text}`);
      check((await (await fleetRows(t, `?immatriculation=${plate}&etat=sortis`)).count()) === 0, "not among the vehicles out yet");
      check((await (await fleetRows(t, `?immatriculation=${plate}&etat=dans`)).count()) === 1, "among the vehicles in the fleet");

      await page.getByRole("button", { name: `Supprimer le véhicule ${plate}` }).click();
      await page.getByRole("button", { name: "Confirmer la suppression" }).waitFor();
      await t.screen("29-flotte-suppression");
      await page.getByRole("button", { name: "Confirmer la suppression" }).click();
      await page.getByText(`${plate} est retiré de la flotte.`).waitFor();
      await page.getByText("Aucun véhicule ne correspond à ces critères.").waitFor();
      check((await page.locator("table.fleet tbody tr").count()) === 0, "the removed vehicle is no longer listed");
      check((await (await fleetRows(t, `?immatriculation=${plate}`)).count()) === 0, "nor after reloading the fleet");
    },
  ],
  [
    "un grand classeur passe par le dépôt en arrière-plan, avec sa progression",
    async (t) => {
      const { page } = t;
      const plates = freshPlates(3);
      // Three vehicles, and beside them columns the import ignores, filled
      // with text that does not compress: past the 5 MiB a request carries.
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet("Flotte");
      const filler = Array.from({ length: 80 }, (_, i) => `Note ${i + 1}`);
      sheet.addRow([...COLUMNS, ...filler]);
      for (const plate of plates) {
        const notes = filler.map(() => randomBytes(24_000).toString("base64").slice(0, 32_000));
        sheet.addRow([plate, "FRA", "Iveco", "Daily", "Agence de Lyon", "01/02/2026", "", ...notes]);
      }
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      check(buffer.length > 5 * 1024 * 1024, `the workbook is over 5 MiB: ${buffer.length} bytes`);
      await signInToFleet(t);
      await page.goto(`${t.base}/flotte/import`);
      await page.getByRole("heading", { name: "Importer des véhicules" }).waitFor();
      await page.getByLabel("Classeur Excel (.xlsx)").setInputFiles({ name: "grande-flotte.xlsx", mimeType: XLSX, buffer });
      // The browser PUTs the file to the bucket itself (the emulator's S3), not to the API.
      const put = page.waitForRequest((r) => r.method() === "PUT" && new URL(r.url()).port === "4566");
      await page.getByRole("button", { name: "Importer le classeur" }).click();
      await put;
      await page.locator(".import-progress progress").waitFor();
      await page.screenshot({ path: new URL("../../.screenshots/20b-flotte-import-progression.png", import.meta.url).pathname, fullPage: true });
      const final = page.locator('section.import-panel[data-status="done"], section.import-panel[data-status="rejected"], section.import-panel[data-status="failed"], section.import-panel[data-status="problem"]');
      await final.waitFor({ timeout: 90_000 });
      const status = await final.getAttribute("data-status");
      check(status === "done", `the uploaded import ends done, not ${status}: ${await page.locator("section.import-panel").innerText()}`);
      await page.getByText("3 lignes importées, sans erreur.").waitFor();
      await t.screen("20c-flotte-import-depot");
      for (const plate of plates) {
        check((await (await fleetRows(t, `?immatriculation=${plate}`)).count()) === 1, `${plate} imported through the upload`);
      }
    },
  ],
  [
    "une collègue en lecture seule voit la flotte de son entité, sans bouton pour la changer",
    async (t) => {
      const { page } = t;
      const email = `flotte.lecture.${Date.now()}@transports-exemple.example`;
      const password = "Lecture-Seule-Flotte-1";
      await colleagueWithPassword(t, email, password);
      await signInToFleet(t, email, password);
      const plates = await page.locator("table.fleet tbody th").allTextContents();
      check(plates.includes("AB-123-CD") && !plates.includes("QR-246-ST") && !plates.includes("TV-135-WX"), `only Agence de Lyon's vehicles: ${plates.join(", ")}`);
      for (const name of ["Ajouter un véhicule", "Importer la matrice Excel", "Mettre à jour toute la flotte"]) {
        check((await page.getByRole("link", { name }).count()) === 0, `no "${name}" for a reader`);
      }
      check((await page.getByRole("button", { name: /Supprimer le véhicule/ }).count()) === 0, "no removal for a reader");
      check((await page.getByRole("link", { name: /Modifier le véhicule/ }).count()) === 0, "no edit for a reader");
      check((await page.getByRole("button", { name: "Télécharger la matrice vierge (Excel)" }).count()) === 0, "no matrix for a reader");
      const exported = await downloadedRows(page, page.getByRole("button", { name: "Exporter la flotte (Excel)" }));
      const exportedPlates = exported.rows.slice(1).map((r) => r[0]);
      check(exportedPlates.includes("AB-123-CD") && !exportedPlates.includes("QR-246-ST"), `the reader's export holds their entity only: ${exportedPlates.join(", ")}`);
      await t.screen("20d-flotte-lecture-seule");
    },
  ],
];
