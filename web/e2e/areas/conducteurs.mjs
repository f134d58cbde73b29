// Conducteurs and Planning, screen by screen: drivers added, found, edited,
// removed and imported; assignments added, refused for an overlap, shown per
// vehicle and per driver; who had a vehicle at a time; and a driver added
// with an assignment through the screens, then suggested on a matching notice.
// Each scenario makes its own data (unique names and plates) through the API
// outside the browser when it is not what the scenario tests.
import ExcelJS from "exceljs";
import { check, signIn, adminApi, colleagueWithPassword } from "../support.mjs";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A Paris wall clock: the date and time inputs' values, and how the screens write it. */
function paris(ms) {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, shown: `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` };
}

const minute = (ms) => Math.floor(ms / 60_000) * 60_000;

/** Letters no other scenario's names hold (names take no digits). */
function uniq() {
  let n = (Date.now() * 1000 + Math.floor(Math.random() * 1000)) % 26 ** 9;
  let word = "";
  for (let i = 0; i < 9; i += 1, n = Math.floor(n / 26)) word += String.fromCharCode(97 + (n % 26));
  return word;
}

/** A plate no other scenario uses: SIV, without I, O, U or S. */
function uniquePlate(seed = Date.now()) {
  const letters = "ABCDEFGHJKLMNPQRTVWXYZ";
  const pick = (n) => letters[Math.floor(n) % letters.length];
  return `ZP-${String(100 + (seed % 900))}-${pick(seed / 900)}${pick(seed / 900 / letters.length)}`;
}

/** The admin API outside the browser, failing loudly on a refusal. */
async function admin(t) {
  const { api } = await adminApi(t);
  return async (method, path, body) => {
    const response = await api(method, path, body);
    const text = await response.text();
    check(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

async function newDriver(call, last, first, entity = "e-lyon", city = "Lyon") {
  return call("POST", "/drivers", {
    entity_id: entity, last_name: last, first_name: first,
    address: { line1: "4 rue de l'Essai", postcode: entity === "e-lyon" ? "69002" : "75011", city, country: "FRA" },
    professional_email: `${first}.${last}@transports-exemple.example`.toLowerCase(),
  });
}

async function newVehicle(call, { pool }) {
  const plate = uniquePlate(Date.now() + Math.floor(Math.random() * 1000));
  const entry = new Date(Date.now() - 400 * DAY).toISOString().slice(0, 10);
  const vehicle = await call("POST", "/vehicles", {
    plate, country: "FRA", make: "ESSAI", model: pool ? "POOL" : "SOLO", entity_id: "e-lyon", entry_on: entry, pool,
  });
  return { ...vehicle, shown: plate };
}

const overlaps = (a, from, until) => (!a.until || Date.parse(a.until) > from) && Date.parse(a.from) < until;

/**
 * An open notice whose vehicle is free around the offence, for a new driver.
 * When every open notice's vehicle is held then, the holder hands it over for
 * that hour (their assignment split around it), as a real planning would say.
 */
async function noticeWithRoom(call) {
  const { notices } = await call("GET", "/notices?status=OPEN&limit=200");
  const { vehicles } = await call("GET", "/vehicles");
  check(notices.length > 0, "an open notice to suggest a driver on");
  const windowOf = (n) => {
    const from = minute(Date.parse(n.offence_at) - 30 * 60_000);
    return { from, until: from + HOUR };
  };
  const held = [];
  for (const notice of notices) {
    const pool = vehicles.find((v) => v.vehicle_id === notice.vehicle_id)?.pool;
    const { assignments } = await call("GET", `/assignments?vehicle_id=${encodeURIComponent(notice.vehicle_id)}`);
    const { from, until } = windowOf(notice);
    const inTheWay = assignments.filter((a) => overlaps(a, from, until));
    if (pool || inTheWay.length === 0) return { notice, from, until };
    held.push({ notice, inTheWay });
  }
  const room = held.find((h) => h.inTheWay.length === 1);
  check(room, "an open notice whose vehicle one driver holds at the offence");
  const { notice, inTheWay } = room;
  const { from, until } = windowOf(notice);
  const [holder] = inTheWay;
  check(Date.parse(holder.from) < from && (!holder.until || Date.parse(holder.until) > until), "the holder's assignment spans the hour");
  await call("PUT", `/assignments/${holder.assignment_id}`, {
    vehicle_id: holder.vehicle_id, driver_id: holder.driver_id, from: holder.from, until: new Date(from).toISOString(),
  });
  await call("POST", "/assignments", {
    vehicle_id: holder.vehicle_id, driver_id: holder.driver_id, from: new Date(until).toISOString(), until: holder.until,
  });
  return { notice, from, until };
}

async function loaded(page) {
  await page.locator('section[data-loaded="true"]').first().waitFor();
}

async function fillPeriod(page, from, until) {
  await page.locator("#assignment-from-date").fill(from.date);
  await page.locator("#assignment-from-time").fill(from.time);
  await page.locator("#assignment-until-date").fill(until ? until.date : "");
  await page.locator("#assignment-until-time").fill(until ? until.time : "");
}

async function fillDriver(page, d) {
  await page.getByLabel("Nom", { exact: true }).fill(d.last);
  await page.getByLabel("Prénom").fill(d.first);
  await page.getByLabel("Adresse", { exact: true }).fill(d.line1);
  await page.getByLabel("Code postal").fill(d.postcode);
  await page.getByLabel("Ville").fill(d.city);
  await page.getByLabel("E-mail professionnel (facultatif)").fill(d.email ?? "");
}

/** Waits for the import panel's outcome: its report, or its problem. */
async function importFinished(page) {
  await page.waitForFunction(() => {
    const status = document.querySelector(".import-panel")?.getAttribute("data-status");
    return ["rejected", "done", "applied", "failed", "problem", "awaiting_apply"].includes(status);
  }, null, { timeout: 60_000 });
}

/** The names in the drivers' table, as shown. */
async function listedDrivers(page) {
  await loaded(page);
  return page.locator("table.drivers tbody th a").allTextContents();
}

export const scenarios = [
  [
    "ajouter un conducteur et son attribution à l'écran, puis le voir suggéré sur l'avis correspondant",
    async (t) => {
      const { page } = t;
      const call = await admin(t);
      const { notice, from, until } = await noticeWithRoom(call);
      const last = `Suggéré${uniq()}`;
      await signIn(t);
      await page.getByRole("navigation").getByRole("link", { name: "Conducteurs" }).click();
      await loaded(page);
      check((await page.locator("table.drivers tbody tr").count()) >= 3, "the seeded drivers are listed");
      await t.screen("30-conducteurs");
      await page.getByRole("link", { name: "Ajouter un conducteur" }).click();
      await page.getByRole("heading", { name: "Ajouter un conducteur" }).waitFor();
      await page.getByLabel("Entité").selectOption("e-lyon");
      await t.screen("31-conducteur-nouveau");
      await fillDriver(page, { last, first: "Lou", line1: "9 quai de l'Essai", postcode: "690", city: "Lyon", email: "lou@sans-domaine" });
      await page.getByRole("button", { name: "Ajouter le conducteur" }).click();
      const postcode = page.locator("#driver-address-postcode-error");
      await postcode.waitFor();
      check((await postcode.innerText()).includes("code postal"), `the postcode's reason in French: ${await postcode.innerText()}`);
      const email = await page.locator("#driver-professional_email-error").innerText();
      check(email.includes("n'est pas une adresse e-mail"), `the e-mail's reason next to it: ${email}`);
      const alerts = (await page.getByRole("alert").allInnerTexts()).join(" ");
      check(!/invalid_|address\.|professional_email/.test(alerts), `no raw code or path: ${alerts}`);
      await t.screen("32-conducteur-erreurs");
      await fillDriver(page, { last, first: "Lou", line1: "9 quai de l'Essai", postcode: "69002", city: "Lyon", email: "lou@transports-exemple.example" });
      await page.getByRole("button", { name: "Ajouter le conducteur" }).click();
      await page.getByText("Le conducteur est ajouté.").waitFor();
      await page.getByRole("heading", { name: `Lou ${last}` }).waitFor();
      check((await page.getByText("Aucun véhicule attribué en ce moment.").count()) === 1, "no vehicle yet");
      await t.screen("33-conducteur-fiche");

      await page.getByRole("link", { name: `Attribuer un véhicule à Lou ${last}` }).click();
      await loaded(page);
      await page.locator("#assignment-vehicle").selectOption(notice.vehicle_id);
      check(await page.locator("#assignment-driver option:checked").innerText().then((s) => s.includes(last)), "the driver is chosen already");
      await fillPeriod(page, paris(from), paris(until));
      await t.screen("34-attribution-nouvelle");
      await page.getByRole("button", { name: "Enregistrer l'attribution" }).click();
      await page.getByText("L'attribution est enregistrée.").waitFor();
      const past = page.getByRole("table", { name: "Passées" });
      const row = await past.locator("tbody tr").innerText();
      check(row.includes(notice.plate), `the past assignment names ${notice.plate}: ${row}`);
      check(row.includes(`du ${paris(from).shown} au ${paris(until).shown}`), `the period in Paris time: ${row}`);

      await page.goto(`${t.base}/avis/${encodeURIComponent(notice.notice_number)}`);
      await page.getByRole("heading", { name: /Avis n°/ }).waitFor();
      const suggested = await page.locator(".suggested li").allInnerTexts();
      check(suggested.some((s) => s.includes(`Lou ${last}`)), `Lou ${last} is suggested: ${suggested.join(" | ")}`);
      await t.screen("35-avis-suggestion");
    },
  ],
  [
    "une attribution qui chevauche est refusée, avec la règle expliquée ; une période vide aussi",
    async (t) => {
      const { page } = t;
      const call = await admin(t);
      const stamp = uniq();
      const holder = await newDriver(call, `Titulaire${stamp}`, "Alix");
      const other = await newDriver(call, `Second${stamp}`, "Noé");
      const vehicle = await newVehicle(call, { pool: false });
      const start = minute(Date.now() - 20 * DAY);
      await call("POST", "/assignments", { vehicle_id: vehicle.vehicle_id, driver_id: holder.driver_id, from: new Date(start).toISOString() });
      await signIn(t);
      await page.goto(`${t.base}/planning/nouvelle?vehicule=${encodeURIComponent(vehicle.vehicle_id)}`);
      await loaded(page);
      check((await page.locator(".vehicle-plan").innerText()).includes(`Alix Titulaire${stamp}`), "the vehicle's planning is shown beside the form");
      await page.locator("#assignment-driver").selectOption(other.driver_id);
      await fillPeriod(page, paris(start + 5 * DAY), null);
      await page.getByRole("button", { name: "Enregistrer l'attribution" }).click();
      const refusal = page.locator(".refusal");
      await refusal.waitFor();
      const text = await refusal.innerText();
      check(text.includes(`déjà attribué à Alix Titulaire${stamp} depuis le ${paris(start).shown}`), `names the assignment in the way: ${text}`);
      check(text.includes("Un véhicule n'a qu'un conducteur à la fois") && text.includes("véhicule de pool"), `explains the rule: ${text}`);
      check(!/[0-9a-f]{8}-[0-9a-f]{4}|conflict|409/.test(text), `no id or code: ${text}`);
      await t.screen("36-attribution-refusee");
      await fillPeriod(page, paris(start - 10 * DAY), paris(start - 12 * DAY));
      await page.getByRole("button", { name: "Enregistrer l'attribution" }).click();
      const until = page.locator("#assignment-until-date-error");
      await until.waitFor();
      check((await until.innerText()).includes("se termine avant de commencer"), `the empty period's reason next to the end: ${await until.innerText()}`);
      await t.screen("36b-periode-vide");
      await fillPeriod(page, paris(start - 10 * DAY), paris(start));
      await page.getByRole("button", { name: "Enregistrer l'attribution" }).click();
      await page.getByText("L'attribution est enregistrée.").waitFor();
      await loaded(page);
      const card = page.locator(`[data-vehicle="${vehicle.shown}"]`);
      check((await card.locator("tbody tr").count()) === 2, "the hand-over fits: two assignments back to back");
    },
  ],
  [
    "la fiche du conducteur : ses attributions en cours, à venir et passées",
    async (t) => {
      const { page } = t;
      const call = await admin(t);
      const stamp = uniq();
      const driver = await newDriver(call, `Fiche${stamp}`, "Maé");
      const vehicle = await newVehicle(call, { pool: true });
      const at = (days) => new Date(minute(Date.now() + days * DAY)).toISOString();
      const add = (from, until) => call("POST", "/assignments", { vehicle_id: vehicle.vehicle_id, driver_id: driver.driver_id, from, until });
      await add(at(-30), at(-20));
      await add(at(-2), at(10));
      await add(at(40), at(50));
      await signIn(t);
      await page.goto(`${t.base}/conducteurs?recherche=${encodeURIComponent(`Fiche${stamp}`)}`);
      await page.getByRole("link", { name: `Fiche${stamp} Maé` }).click();
      await loaded(page);
      const ahead = await page.getByRole("table", { name: "En cours et à venir" }).locator("tbody tr").allInnerTexts();
      check(ahead.length === 2 && ahead[0].includes("En cours") && ahead[1].includes("À venir"), `current then upcoming: ${ahead.join(" | ")}`);
      check(ahead[0].includes(`du ${paris(Date.parse(at(-2))).shown} au ${paris(Date.parse(at(10))).shown}`), `its period: ${ahead[0]}`);
      check(ahead.every((r) => r.includes(vehicle.shown) && r.includes("véhicule de pool")), "names the pool vehicle");
      const past = await page.getByRole("table", { name: "Passées" }).locator("tbody tr").allInnerTexts();
      check(past.length === 1 && past[0].includes("Terminée"), `one past assignment: ${past.join(" | ")}`);
      await t.screen("33b-conducteur-attributions");
    },
  ],
  [
    "rechercher, filtrer, modifier et supprimer des conducteurs",
    async (t) => {
      const { page } = t;
      const call = await admin(t);
      const stamp = uniq();
      await newDriver(call, `Éluard${stamp}`, "Zoé");
      await newDriver(call, `Eluard${stamp}`, "Yann", "e-paris", "Paris");
      await signIn(t);
      await page.goto(`${t.base}/conducteurs`);
      await loaded(page);
      await page.getByLabel("Nom, e-mail ou ville").fill(`eluard${stamp}`);
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.waitForURL(/recherche=/);
      const both = await listedDrivers(page);
      check(both.length === 2, `accents ignored, both found: ${both.join(", ")}`);
      check((await page.getByRole("status").innerText()).includes(`2 conducteurs sur`), "says how many match");
      await t.screen("37-conducteurs-recherche");
      await page.getByLabel("Nom, e-mail ou ville").fill(`eluard${stamp} paris`);
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.waitForURL(/paris/);
      check((await listedDrivers(page)).join() === `Eluard${stamp} Yann`, "every word must match (the town too)");
      await page.getByLabel("Nom, e-mail ou ville").fill(`eluard${stamp}`);
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.getByLabel("Entité").selectOption({ label: "Siège" });
      await page.waitForURL(/entite=e-paris/);
      check((await listedDrivers(page)).join() === `Eluard${stamp} Yann`, "the entity filter keeps Siège's driver");
      const entities = await page.locator("table.drivers tbody td:nth-child(2)").allTextContents();
      check(entities.every((e) => e === "Siège"), `only Siège: ${entities.join(", ")}`);
      await page.goto(`${t.base}/conducteurs?recherche=introuvable${stamp}`);
      await loaded(page);
      await page.getByText(`Aucun conducteur ne correspond à « introuvable${stamp} ».`).waitFor();

      const zoe = encodeURIComponent(`Zoé Éluard${stamp}`);
      await page.goto(`${t.base}/conducteurs?recherche=${zoe}`);
      await loaded(page);
      await page.getByRole("link", { name: `Modifier Zoé Éluard${stamp}` }).click();
      await page.getByRole("heading", { name: "Modifier le conducteur" }).waitFor();
      await loaded(page);
      check((await page.getByLabel("Nom", { exact: true }).inputValue()) === `Éluard${stamp}`, "the form holds the driver");
      await page.getByLabel("Ville").fill("Villeurbanne");
      await t.screen("37b-conducteur-modifier");
      await page.getByRole("button", { name: "Enregistrer les modifications" }).click();
      await page.getByText("Les modifications sont enregistrées.").waitFor();
      check((await page.locator(".facts").innerText()).includes("69002 Villeurbanne, France"), "the new town is shown");

      await page.goto(`${t.base}/conducteurs?recherche=${zoe}`);
      await loaded(page);
      await page.getByRole("button", { name: `Supprimer le conducteur Zoé Éluard${stamp}` }).click();
      await page.getByRole("button", { name: "Confirmer la suppression" }).waitFor();
      await t.screen("37c-conducteur-suppression");
      await page.getByRole("button", { name: "Confirmer la suppression" }).click();
      await page.getByText(`Aucun conducteur ne correspond à « Zoé Éluard${stamp} ».`).waitFor();
    },
  ],
  [
    "le planning par véhicule et par conducteur, un véhicule de pool à plusieurs, et « qui avait ce véhicule le … »",
    async (t) => {
      const { page } = t;
      const call = await admin(t);
      const stamp = uniq();
      const first = await newDriver(call, `Pool${stamp}`, "Ana");
      const second = await newDriver(call, `Pool${stamp}`, "Ben");
      const vehicle = await newVehicle(call, { pool: true });
      const since = minute(Date.now() - 3 * DAY);
      for (const [driver, from] of [[first, since], [second, since + DAY]]) {
        await call("POST", "/assignments", { vehicle_id: vehicle.vehicle_id, driver_id: driver.driver_id, from: new Date(from).toISOString() });
      }
      await signIn(t);
      await page.getByRole("navigation").getByRole("link", { name: "Planning" }).click();
      await loaded(page);
      await page.getByLabel("Immatriculation ou conducteur").fill(vehicle.shown.replace(/-/g, " ").toLowerCase());
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.waitForURL(/recherche=/);
      await loaded(page);
      const card = page.locator(`[data-vehicle="${vehicle.shown}"]`);
      check((await page.locator("[data-vehicle]").count()) === 1, "the plate search finds the one vehicle");
      const heading = await card.locator("h2").innerText();
      check(heading.includes("Véhicule de pool") && heading.includes("2 conducteurs en ce moment"), `the pool holds two now: ${heading}`);
      const rows = await card.locator("tbody tr").allInnerTexts();
      check(rows.length === 2 && rows.every((r) => r.includes("En cours")), `two current drivers: ${rows.join(" | ")}`);
      await t.screen("38-planning-vehicules");
      await page.getByRole("link", { name: "Par conducteur" }).click();
      await page.getByLabel("Conducteur ou immatriculation").fill(`pool${stamp}`);
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.waitForURL(/vue=conducteurs.*recherche=|recherche=.*vue=conducteurs/);
      await loaded(page);
      const cards = await page.locator("[data-driver]").evaluateAll((c) => c.map((x) => x.getAttribute("data-driver")));
      check(cards.join() === `Ana Pool${stamp},Ben Pool${stamp}`, `one card per driver: ${cards.join(", ")}`);
      check((await page.locator("[data-driver] tbody tr").allInnerTexts()).every((r) => r.includes(vehicle.shown)), "each with the pool vehicle");
      await t.screen("38b-planning-conducteurs");

      await page.goto(`${t.base}/planning/qui-avait`);
      await loaded(page);
      await t.screen("39-qui-avait");
      const now = paris(Date.now());
      await page.getByLabel("Véhicule", { exact: true }).selectOption(vehicle.vehicle_id);
      await page.getByLabel("Jour").fill(now.date);
      await page.getByLabel("Heure (Paris)").fill(now.time);
      await page.getByRole("button", { name: "Chercher" }).click();
      const answer = page.locator(".who-answer");
      await answer.waitFor();
      const shared = await answer.innerText();
      check(shared.includes(`Le ${now.shown.replace(" ", " à ")} (heure de Paris)`), `the time asked, Paris time: ${shared}`);
      check(shared.includes("partagé entre 2 conducteurs") && shared.includes(`Ana Pool${stamp}`) && shared.includes(`Ben Pool${stamp}`), `both drivers: ${shared}`);
      await t.screen("39b-qui-avait-pool");
      const between = paris(since + 12 * HOUR);
      await page.getByLabel("Jour").fill(between.date);
      await page.getByLabel("Heure (Paris)").fill(between.time);
      await page.getByRole("button", { name: "Chercher" }).click();
      await page.getByText(`${vehicle.shown} était attribué à :`).waitFor();
      const alone = await page.locator(".who-drivers li").allInnerTexts();
      check(alone.join() === `Ana Pool${stamp}`, `Ana alone before Ben came: ${alone.join(", ")}`);
      const before = paris(since - DAY);
      await page.getByLabel("Jour").fill(before.date);
      await page.getByRole("button", { name: "Chercher" }).click();
      await page.getByText(`Personne n'avait ${vehicle.shown}`).waitFor();
      await t.screen("39c-qui-avait-personne");

      await page.goto(`${t.base}/planning?recherche=${encodeURIComponent(vehicle.shown)}`);
      await loaded(page);
      await card.getByRole("button", { name: new RegExp(`^Supprimer l'attribution de Ben Pool${stamp}`) }).click();
      await t.screen("38c-planning-suppression");
      await card.getByRole("button", { name: "Confirmer la suppression" }).click();
      await card.locator("h2", { hasNotText: "2 conducteurs en ce moment" }).waitFor();
      check((await card.locator("tbody tr").count()) === 1, "one driver left on the pool vehicle");
    },
  ],
  [
    "importer un classeur de conducteurs : une ligne refusée, puis les lignes valides appliquées",
    async (t) => {
      const { page } = t;
      const stamp = uniq();
      await signIn(t);
      await page.goto(`${t.base}/conducteurs`);
      await loaded(page);
      await page.getByRole("link", { name: "Importer un fichier Excel" }).click();
      await page.getByRole("heading", { name: "Importer des conducteurs" }).waitFor();
      const downloading = page.waitForEvent("download");
      await page.getByRole("button", { name: "Télécharger le modèle de classeur" }).click();
      const download = await downloading;
      check(download.suggestedFilename().endsWith(".xlsx"), `a workbook: ${download.suggestedFilename()}`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await download.path());
      const sheet = workbook.worksheets[0];
      const header = sheet.getRow(1).values.slice(1);
      const expected = ["Nom", "Prénom", "Adresse", "Complément d'adresse", "Code postal", "Ville", "Pays", "E-mail personnel", "E-mail professionnel", "Entité"];
      check(JSON.stringify(header) === JSON.stringify(expected), `the template's columns: ${header.join(", ")}`);
      sheet.getRow(2).values = [`Importé${stamp}`, "Iris", "1 rue du Classeur", null, "69003", "Lyon", "FRA", null, `iris.${stamp}@transports-exemple.example`, "Agence de Lyon"];
      sheet.getRow(3).values = [`Refusé${stamp}`, "Igor", "2 rue du Classeur", null, "123", "Lyon", "FRA", null, null, "Agence de Lyon"];
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      await page.locator("#import-drivers-file").setInputFiles({
        name: "conducteurs.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer,
      });
      await t.screen("39d-import-conducteurs");
      await page.getByRole("button", { name: "Importer le classeur" }).click();
      const panel = page.locator(".import-panel");
      await importFinished(page);
      check((await panel.getAttribute("data-status")) === "rejected", `nothing applied with a refused cell: ${await panel.getAttribute("data-status")}`);
      const refused = await panel.locator("table.refused tbody tr").allInnerTexts();
      check(refused.length === 1 && refused[0].includes("ligne 3") && refused[0].includes("Code postal"), `row 3's postcode: ${refused.join(" | ")}`);
      await t.screen("39e-import-rapport");
      await page.getByRole("button", { name: "Appliquer quand même les lignes valides" }).click();
      await page.locator('.import-panel[data-status="done"]').waitFor();
      await page.getByRole("link", { name: "Voir les conducteurs" }).waitFor();
      await page.goto(`${t.base}/conducteurs?recherche=${stamp}`);
      const names = await listedDrivers(page);
      check(names.join() === `Importé${stamp} Iris`, `the valid row only: ${names.join(", ")}`);
    },
  ],
  [
    "importer un planning : le modèle, puis l'attribution du classeur au planning",
    async (t) => {
      const { page } = t;
      const call = await admin(t);
      const stamp = uniq();
      await newDriver(call, `Planifié${stamp}`, "Eva");
      const vehicle = await newVehicle(call, { pool: true });
      await signIn(t);
      await page.goto(`${t.base}/planning/import`);
      await page.getByRole("heading", { name: "Importer un planning" }).waitFor();
      const downloading = page.waitForEvent("download");
      await page.getByRole("button", { name: "Télécharger le modèle de planning" }).click();
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await (await downloading).path());
      const sheet = workbook.worksheets[0];
      const header = sheet.getRow(1).values.slice(1);
      check(header.join() === "Immatriculation,Pays,Nom,Prénom,E-mail,Du,Au", `the planning's columns: ${header.join(", ")}`);
      const firstDay = paris(Date.now() - 10 * DAY).shown.slice(0, 10);
      const lastDay = paris(Date.now() - 5 * DAY).shown.slice(0, 10);
      sheet.getRow(2).values = [vehicle.shown, "FRA", `Planifié${stamp}`, "Eva", null, firstDay, lastDay];
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      await page.locator("#import-assignments-file").setInputFiles({
        name: "planning.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer,
      });
      await page.getByRole("button", { name: "Importer le classeur" }).click();
      await importFinished(page);
      const status = await page.locator(".import-panel").getAttribute("data-status");
      check(status === "done", `the planning row is imported: ${status} ${await page.locator(".import-panel").innerText()}`);
      await t.screen("39f-import-planning");
      await page.goto(`${t.base}/planning?passees=1&recherche=${encodeURIComponent(vehicle.shown)}`);
      await loaded(page);
      const rows = await page.locator(`[data-vehicle="${vehicle.shown}"] tbody tr`).allInnerTexts();
      check(rows.length === 1 && rows[0].includes(`Eva Planifié${stamp}`) && rows[0].includes(`du ${firstDay} 00:00`), `the imported row: ${rows.join(" | ")}`);
    },
  ],
  [
    "en lecture seule (rôle désignation) : conducteurs et planning consultables, sans bouton pour les changer",
    async (t) => {
      const { page } = t;
      const email = `lecture.seule.${Date.now()}@transports-exemple.example`;
      const password = "Lecture-Seule-2026!";
      await colleagueWithPassword(t, email, password);
      await page.goto(`${t.base}/connexion`);
      await page.getByLabel("E-mail professionnel").fill(email);
      await page.getByLabel("Mot de passe").fill(password);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByRole("heading", { name: "Tableau de bord" }).waitFor();
      await page.getByRole("navigation").getByRole("link", { name: "Conducteurs" }).click();
      await loaded(page);
      const entities = await page.locator("table.drivers tbody td:nth-child(2)").allTextContents();
      check(entities.length >= 2, `Lyon's drivers are listed: ${entities.length}`);
      check(new Set(entities).size === 1, `one entity only: ${[...new Set(entities)].join(", ")}`);
      check((await page.getByRole("link", { name: "Ajouter un conducteur" }).count()) === 0, "no add");
      check((await page.getByRole("link", { name: "Importer un fichier Excel" }).count()) === 0, "no import");
      check((await page.getByRole("button", { name: /^Supprimer/ }).count()) === 0, "no remove");
      check((await page.getByRole("link", { name: /^Modifier/ }).count()) === 0, "no edit");
      await t.screen("39g-conducteurs-lecture-seule");
      await page.locator("table.drivers tbody th a").first().click();
      await loaded(page);
      check((await page.getByRole("button", { name: /^Supprimer/ }).count()) === 0, "no remove on the driver's page");
      check((await page.getByRole("link", { name: /^Attribuer/ }).count()) === 0, "no assigning on the driver's page");
      await page.getByRole("navigation").getByRole("link", { name: "Planning" }).click();
      await loaded(page);
      check((await page.locator("[data-vehicle]").count()) >= 1, "the planning is readable");
      check((await page.getByRole("link", { name: "Ajouter une attribution" }).count()) === 0, "no add on the planning");
      check((await page.getByRole("link", { name: /^Attribuer/ }).count()) === 0, "no assigning per vehicle");
      check((await page.getByRole("button", { name: /^Supprimer/ }).count()) === 0, "no remove on the planning");
      check((await page.getByRole("link", { name: /^Qui avait/ }).count()) >= 1, "who had it stays open to readers");
      await t.screen("39h-planning-lecture-seule");
    },
  ],
];
