// Exports, the access journal and the data-subject requests, screen by
// screen, against `make app`'s demo data (infra/tools/src/app_seed.rs): the
// exported workbook is opened and compared with GET /notices, a driver's
// erasure is refused while their designation travels and done once it is
// withdrawn, a typed-in designee's erasure shows "[effacé]" on the notice
// while its certificate (PDF, signed proof, public check) stands,
// the journal is verified, filtered, paged and exported.
import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import { adminApi, check, colleagueWithPassword, signIn } from "../support.mjs";

/** The notices export's columns (shared/src/excel/export.rs, COLUMNS). */
const EXPORT_COLUMNS = [
  "Numéro d'avis", "Entité", "Immatriculation", "Pays", "Marque", "Modèle", "Date et heure de l'infraction (Paris)",
  "Code NATINF", "Infraction", "Date d'avis", "Reçu le", "Date limite", "Statut", "Type de réponse",
  "Réponse donnée le", "Envoyée le", "Accusé de réception le", "Erreur ANTAI", "Classe", "Montant forfaitaire (€)",
  "Montant minoré (€)", "Points",
];

/** The export's status words (export.rs, status_label). */
const EXPORT_STATUS = {
  OPEN: "À traiter", ANSWER_PENDING: "Réponse en attente d'envoi", ANSWER_SENT: "Réponse envoyée",
  ACKNOWLEDGED: "Réponse acceptée par l'ANTAI", ANSWER_IN_ERROR: "Réponse refusée par l'ANTAI",
  GONE_TO_PAPER: "Délai dépassé (avis papier)",
};

const JOURNAL_HEADER = "seq;at;user_id;action;target;request_id;prev_hash;hash";

async function json(response, what) {
  check(response.ok, `${what}: ${response.status} ${response.ok ? "" : await response.text()}`);
  return response.json();
}

/** Every notice the admin sees (optionally of one entity), through the API's pages. */
async function allNotices(api, query = "") {
  const notices = [];
  let cursor = null;
  do {
    const page = await json(await api("GET", `/notices?limit=200${query}${cursor ? `&cursor=${cursor}` : ""}`), "GET /notices");
    notices.push(...page.notices);
    cursor = page.next_cursor;
  } while (cursor);
  return notices;
}

async function entityNames(api) {
  const { entities } = await json(await api("GET", "/entities"), "GET /entities");
  return Object.fromEntries(entities.map((e) => [e.entity_id, e.name]));
}

/** A name no other run has used (names are letters: the digits of the time become letters). */
const uniqueName = (prefix) => prefix + [...String(Date.now())].map((d) => "abcdefghij"[d]).join("");

/** A driver of the base with a unique name, made through the API. */
async function newDriver(api, last) {
  return json(await api("POST", "/drivers", {
    entity_id: "e-lyon", last_name: last, first_name: "Test",
    address: { line1: "5 rue du Test", postcode: "69003", city: "Lyon", country: "FRA" },
  }), "POST /drivers");
}

/** Waits until the section of the current screen has its data. */
const loaded = (page) => page.locator('section[data-loaded="true"]').first().waitFor();

/** « Télécharger l'attestation » on the notice's page saves its one-page PDF. */
async function downloadCertificate(page, number) {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Télécharger l'attestation" }).click();
  const file = await download;
  check(file.suggestedFilename() === `attestation-${number}.pdf`, `file name ${file.suggestedFilename()}`);
  const pdf = await readFile(await file.path());
  check(pdf.subarray(0, 5).toString() === "%PDF-", "a PDF");
}

/** The download link of the export card, once the job is done. */
async function finishedExport(page, kind) {
  const link = page.locator(".export-card").getByRole("link", { name: new RegExp(`^Télécharger le fichier ${kind} de l'export du `) });
  await link.waitFor({ timeout: 60_000 });
  const href = await link.getAttribute("href");
  check(href && /^https?:\/\//.test(href), `a presigned link: ${href}`);
  const file = await fetch(href);
  check(file.ok, `the presigned link downloads: ${file.status}`);
  return Buffer.from(await file.arrayBuffer());
}

/** Holds the job as running (6 of 15) while the screenshot is taken: the local worker finishes in under a second. */
async function showRunning(t) {
  const { page } = t;
  const pattern = /\/exports\/[^/?]+$/;
  await page.route(pattern, async (route) => {
    const response = await route.fetch();
    const job = { ...(await response.json()), status: "running", rows_total: 15, rows_done: 6, progress: 40, download_url: null };
    await route.fulfill({ response, json: job });
  });
  const bar = page.locator(".export-card progress");
  await page.locator(".export-card").getByText("En cours : 6 avis écrits sur 15 (40 %)").waitFor();
  check((await bar.getAttribute("value")) === "40" && (await bar.getAttribute("max")) === "100", "the bar shows 40 of 100");
  await t.screen("51-export-en-cours");
  await page.unroute(pattern);
}

function checkWorkbookRows(rows, notices, names) {
  const byNumber = new Map(notices.map((n) => [n.notice_number, n]));
  check(rows.length === notices.length, `${notices.length} notices expected in the workbook, ${rows.length} rows found`);
  for (const row of rows) {
    const notice = byNumber.get(row[0]);
    check(notice, `row for an unknown notice ${row[0]}`);
    check(row[1] === names[notice.entity_id], `${row[0]}: entity ${row[1]}, expected ${names[notice.entity_id]}`);
    check(row[2] === notice.plate, `${row[0]}: plate ${row[2]}, expected ${notice.plate}`);
    check(row[12] === EXPORT_STATUS[notice.status], `${row[0]}: status ${row[12]}, expected ${EXPORT_STATUS[notice.status]}`);
  }
  check(new Set(rows.map((r) => r[0])).size === rows.length, "one row per notice");
}

export const scenarios = [
  [
    "exporter les avis de 12 mois : la progression, puis le classeur et le CSV d'une entité vérifiés",
    async (t) => {
      const { page } = t;
      const { api } = await adminApi(t);
      const notices = await allNotices(api);
      const names = await entityNames(api);
      await signIn(t);
      await page.getByRole("navigation").getByRole("link", { name: "Exports" }).click();
      await loaded(page);
      await t.screen("50-exports");
      await page.getByRole("button", { name: "Demander l'export" }).click();
      await page.locator(".export-card").waitFor();
      await showRunning(t);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await finishedExport(page, "Excel"));
      const sheet = workbook.getWorksheet("Avis");
      check(sheet, "the workbook has a sheet Avis");
      const header = sheet.getRow(1).values.slice(1);
      check(JSON.stringify(header) === JSON.stringify(EXPORT_COLUMNS), `header row: ${header.join(" | ")}`);
      const rows = [];
      sheet.eachRow((row, n) => { if (n > 1) rows.push(row.values.slice(1).map((v) => (v instanceof Date ? v : v ?? null))); });
      checkWorkbookRows(rows, notices, names);
      const natinf = rows.find((r) => r[0] === notices[0].notice_number)[7];
      check(natinf === notices[0].offence.natinf_code, `NATINF of ${notices[0].notice_number}: ${natinf}`);
      await page.locator(".export-card").getByText(/^Prêt : \d+ avis/).waitFor();
      check((await page.locator(".export-card").innerText()).includes(`Prêt : ${notices.length} avis`), "the card counts the notices");
      await t.screen("52-export-pret");
      const workbookExport = await page.locator(".export-card").getAttribute("data-export");

      // One entity, as CSV.
      const paris = await allNotices(api, "&entity_id=e-paris");
      await page.getByLabel("Entité", { exact: true }).selectOption({ label: "Siège" });
      await page.getByLabel("CSV (s'ouvre dans Excel)").check();
      await page.getByRole("button", { name: "Demander l'export" }).click();
      const csv = (await finishedExport(page, "CSV")).toString("utf8");
      check(csv.charCodeAt(0) === 0xfeff, "the CSV starts with a BOM (Excel reads it as UTF-8)");
      const lines = csv.slice(1).split(/\r?\n/).filter(Boolean);
      check(lines[0] === EXPORT_COLUMNS.join(";"), `CSV header: ${lines[0]}`);
      const numbers = lines.slice(1).map((l) => l.split(";"));
      check(numbers.length === paris.length && paris.length > 0, `${paris.length} notices of Siège, ${numbers.length} CSV rows`);
      check(numbers.every(([n, entity]) => paris.some((p) => p.notice_number === n) && entity === "Siège"), "only Siège's notices");
      const listed = page.locator("table.exports tbody tr");
      check((await listed.count()) >= 2, "both exports are listed");
      check((await listed.first().innerText()).includes("Siège"), "the newest export first, of Siège");
      check((await listed.first().innerText()).includes("Disponible jusqu'au"), "the list says until when the file is kept");

      // The export-ready e-mail's link: the job's own page, with a fresh download link.
      await page.goto(`${t.base}/exports/${workbookExport}`);
      await loaded(page);
      const again = new ExcelJS.Workbook();
      await again.xlsx.load(await finishedExport(page, "Excel"));
      check(again.getWorksheet("Avis").rowCount === notices.length + 1, "the e-mail's page gives the same workbook");
      check((await page.locator(".export-card").innerText()).includes("Toutes les entités : avis reçus du"), "and says what it holds");
      await t.screen("52b-export-lien-du-mail");
      await page.goto(`${t.base}/exports/inconnu`);
      await loaded(page);
      await page.getByText("Cet export est introuvable").waitFor();
    },
  ],
  [
    "journal d'accès : les entrées en français, les filtres, les entrées plus anciennes, l'intégrité et le CSV",
    async (t) => {
      const { page } = t;
      const { api } = await adminApi(t);
      // Enough entries for two pages, of four kinds: each of these calls is journaled.
      const { drivers } = await json(await api("GET", "/drivers"), "GET /drivers");
      const [acknowledged] = await allNotices(api, "&status=ACKNOWLEDGED");
      const { preferences } = await json(await api("GET", "/me/notification-preferences"), "GET preferences");
      for (let i = 0; i < 15; i += 1) {
        await json(await api("GET", "/drivers"), "GET /drivers");
        await json(await api("GET", `/drivers/${drivers[0].driver_id}`), "GET driver");
        await json(await api("GET", `/notices/${acknowledged.notice_number}/answer`), "GET answer");
        await json(await api("PUT", "/me/notification-preferences", preferences), "PUT preferences");
      }
      await signIn(t);
      await page.getByRole("navigation").getByRole("link", { name: "Journal d'accès" }).click();
      await loaded(page);
      const rows = page.locator("table.journal-entries tbody tr");
      check((await rows.count()) === 50, `a first page of 50 entries, got ${await rows.count()}`);
      const first = await rows.first().innerText();
      check(first.includes("Vous") && first.includes("Modification") && first.includes("vos préférences de notification"), `newest entry: ${first}`);
      const second = await rows.nth(1).innerText();
      check(second.includes("Consultation") && second.includes(`la réponse à l'avis n° ${acknowledged.notice_number}`), `then the answer read: ${second}`);
      check((await rows.nth(1).getByRole("link").getAttribute("href")) === `/avis/${acknowledged.notice_number}`, "the notice is a link");
      check((await rows.nth(2).innerText()).includes("un conducteur (réf. "), "then the driver read");
      check((await rows.nth(3).innerText()).includes("la liste des conducteurs ("), "then the list read");
      check(!/drivers:|notice:|read\b|update\b/.test(await page.locator("table.journal-entries").innerText()), "no action code or raw target shown");
      const seqs = async () => (await page.locator("table.journal-entries td.seq").allInnerTexts()).map(Number);
      const top = (await seqs())[0];
      check((await seqs()).every((s, i) => s === top - i), "the first page is the newest 50, one after the other");
      await t.screen("53-journal");

      await page.getByRole("button", { name: "Entrées plus anciennes" }).click();
      await page.waitForFunction(() => document.querySelectorAll("table.journal-entries tbody tr").length > 50);
      const paged = await seqs();
      check(paged.every((s, i) => s === top - i), `the older page follows on: ${paged.slice(45, 55).join(",")}`);

      await page.getByLabel("Qui", { exact: true }).selectOption({ label: "Vous" });
      await page.getByLabel("Action", { exact: true }).selectOption({ label: "Consultations" });
      await page.getByLabel("Rechercher").fill("liste des conducteurs");
      const kept = await rows.allInnerTexts();
      check(kept.length >= 15 && kept.length < paged.length, `the filters keep the 15 reads of the list among ${paged.length}: ${kept.length}`);
      check(kept.every((r) => r.includes("Consultation") && r.includes("la liste des conducteurs")), "only the reads of the drivers' list");
      check((await page.locator(".journal-count").innerText()).includes(`${kept.length} entrées sur ${paged.length} chargées correspondent aux filtres`), "the count of what the filters keep");
      await t.screen("54-journal-filtre");

      await page.getByRole("button", { name: "Vérifier l'intégrité" }).click();
      const verdict = page.locator(".chain-check");
      await verdict.waitFor();
      check((await verdict.getAttribute("data-intact")) === "true", "the demo's journal is intact");
      const said = await verdict.innerText();
      check(said.includes("Le journal est intact") && /\d+ entrées vérifiées, de la n° 1 à la n° (\d+)/.test(said), `plain French verdict: ${said}`);
      check(Number(said.match(/à la n° (\d+)/)[1]) >= top, "every entry shown was checked");
      await t.screen("55-journal-integrite");

      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: "Exporter le journal (CSV)" }).click();
      const file = await download;
      check(file.suggestedFilename() === "journal.csv", `file name ${file.suggestedFilename()}`);
      const text = (await readFile(await file.path(), "utf8")).replace(/^\uFEFF/, "");
      const lines = text.split(/\r?\n/).filter(Boolean);
      check(lines[0] === JOURNAL_HEADER, `journal CSV header: ${lines[0]}`);
      check(lines.length - 1 >= top, `every entry in the CSV: ${lines.length - 1} rows, ${top} entries shown`);
      await page.reload();
      await loaded(page);
      const newest = await rows.first().innerText();
      check(newest.includes("Export") && newest.includes("le journal d'accès"), `the export itself is journaled: ${newest}`);
    },
  ],
  [
    "RGPD : l'effacement d'un conducteur refusé tant que sa désignation part à l'ANTAI, puis fait",
    async (t) => {
      const { page } = t;
      const { api } = await adminApi(t);
      const driver = await newDriver(api, uniqueName("Efface"));
      const [open] = await allNotices(api, "&status=OPEN");
      check(open, "an open notice to designate on");
      const number = open.notice_number;
      const { version } = await json(await api("GET", `/notices/${number}`), "GET notice");
      await json(await api("PUT", `/notices/${number}/answer`, { version, designation: { driver_id: driver.driver_id } }), "PUT answer");
      await signIn(t);
      await page.goto(`${t.base}/donnees-personnelles/nouvelle?conducteur=${driver.driver_id}`);
      await loaded(page);
      check((await page.getByLabel("Conducteur", { exact: true }).locator("option:checked").innerText()).startsWith(driver.last_name), "the driver is chosen");
      await page.getByLabel("Effacement (art. 17)").check();
      await page.getByRole("button", { name: "Effacer les données" }).click();
      await page.getByText("L'effacement est définitif.").waitFor();
      await t.screen("57-rgpd-effacement-confirmation");
      await page.getByRole("button", { name: "Confirmer l'effacement" }).click();
      const refused = page.locator('[data-outcome="refused"]');
      await refused.waitFor();
      check((await refused.innerText()).includes("encore en route vers l'ANTAI"), "the refusal says why");
      await t.screen("57b-rgpd-effacement-refuse");

      // Withdraw the answer from its notice's page, then ask again.
      await refused.getByRole("link", { name: `avis n° ${number}` }).click();
      await page.getByRole("heading", { name: `Avis n° ${number}` }).waitFor();
      await page.getByText(`Conducteur désigné : Test ${driver.last_name}`).waitFor();
      await page.getByRole("button", { name: "Annuler la réponse" }).click();
      await page.getByRole("heading", { name: "Répondre à l'avis" }).waitFor();
      await page.goto(`${t.base}/donnees-personnelles/nouvelle?conducteur=${driver.driver_id}`);
      await loaded(page);
      await page.getByLabel("Effacement (art. 17)").check();
      await page.getByRole("button", { name: "Effacer les données" }).click();
      await page.getByRole("button", { name: "Confirmer l'effacement" }).click();
      const done = page.locator('[data-outcome="done"]');
      await done.waitFor();
      const said = await done.innerText();
      check(said.includes("Données effacées") && said.includes("1 désignation gardée comme preuve"), `what was done: ${said}`);
      await t.screen("57c-rgpd-effacement-fait");

      const { answer } = await json(await api("GET", `/notices/${number}/answer`), "GET answer");
      check(answer.body.last_name === "[effacé]" && answer.body.first_name === "[effacé]", `the withdrawn designation reads [effacé]: ${answer.body.last_name}`);
      check((await api("GET", `/drivers/${driver.driver_id}`)).status === 404, "the driver is gone");
      await page.goto(`${t.base}/donnees-personnelles`);
      await loaded(page);
      const [latest, before] = await page.locator("table.register tbody tr").allInnerTexts();
      check(latest.includes("Effacement") && latest.includes("Conducteur effacé") && latest.includes("Traitée"), `newest: ${latest}`);
      check(before.includes("Refusée") && before.includes(`avis n° ${number}`), `the refusal is in the register: ${before}`);
      await t.screen("59-rgpd-registre");
    },
  ],
  [
    "RGPD : effacer une personne désignée par saisie, puis « [effacé] » sur l'avis accepté par l'ANTAI, dont l'attestation reste",
    async (t) => {
      const { page } = t;
      const { api, config } = await adminApi(t);
      let number = null;
      for (const notice of await allNotices(api, "&status=ACKNOWLEDGED")) {
        const { answer } = await json(await api("GET", `/notices/${notice.notice_number}/answer`), "GET answer");
        if (answer.body.type === "designation" && !answer.driver_id && answer.body.last_name !== "[effacé]") number = notice.notice_number;
      }
      check(number, "an acknowledged notice with a typed-in designee (app_seed.rs)");
      await signIn(t);
      await page.goto(`${t.base}/avis/${number}`);
      await page.getByText(/Conducteur désigné : Claude Exemple/).waitFor();
      await t.screen("58a-avis-attestation");
      await downloadCertificate(page, number);
      const proof = await json(await api("GET", `/notices/${number}/certificate/proof`), "GET proof");
      // The designee's fields (app_seed.rs); "Exemple" alone is also the tenant's name.
      const personal = ["Claude", "3 place de l'Essai", "59000", "Lille"];
      const named = (value) => personal.filter((field) => JSON.stringify(value).includes(field));
      check(named(proof).length === 0, `the proof holds no personal data: ${named(proof)}`);
      const code = proof.document.verification_code;
      const publicCheck = await fetch(new URL(`${config.api_url}/certificates/${code}`, t.base));
      const checked = await json(publicCheck, "GET /certificates/{code} without a token");
      check(checked.notice_number === number && checked.answer_kind === "designation", `the code attests the designation: ${JSON.stringify(checked)}`);
      check(named(checked).length === 0, `the public check names no one: ${named(checked)}`);
      await page.goto(`${t.base}/donnees-personnelles/nouvelle`);
      await loaded(page);
      await page.getByLabel("Une personne désignée par saisie sur un avis").check();
      await page.getByLabel("N° de l'avis").fill(number);
      await page.getByLabel("Effacement (art. 17)").check();
      await page.getByRole("button", { name: "Effacer les données" }).click();
      await page.getByRole("button", { name: "Confirmer l'effacement" }).click();
      await page.locator('[data-outcome="done"]').getByText("1 désignation gardée comme preuve, au nom « [effacé] ».").waitFor();
      await page.goto(`${t.base}/avis/${number}`);
      await page.getByText("Conducteur désigné : [effacé] (données effacées à la demande de la personne).").waitFor();
      check((await page.getByText("Claude Exemple").count()) === 0, "the designee's name is gone from the notice");
      check((await page.getByText("Acceptée par l'ANTAI", { exact: true }).count()) === 1, "the acknowledgement stays as proof");
      await t.screen("58-avis-designation-effacee");
      await downloadCertificate(page, number);
      const after = await json(await api("GET", `/notices/${number}/certificate/proof`), "GET proof after the erasure");
      check(JSON.stringify(after) === JSON.stringify(proof), "the signed proof stands after the erasure");
    },
  ],
  [
    "RGPD : effacer un ancien conducteur de la base, puis « [effacé] » sur sa désignation passée",
    async (t) => {
      const { page } = t;
      const { api } = await adminApi(t);
      // app_seed.rs: Maxime Ancien, designated on a notice ANTAI acknowledged.
      const { drivers } = await json(await api("GET", "/drivers"), "GET /drivers");
      const former = drivers.find((d) => d.last_name === "Ancien" && d.first_name === "Maxime");
      check(former, "the seeded former driver");
      let number = null;
      for (const notice of await allNotices(api, "&status=ACKNOWLEDGED")) {
        const { answer } = await json(await api("GET", `/notices/${notice.notice_number}/answer`), "GET answer");
        if (answer.driver_id === former.driver_id) number = notice.notice_number;
      }
      check(number, "Maxime Ancien's acknowledged designation");
      await signIn(t);
      await page.goto(`${t.base}/avis/${number}`);
      await page.getByText(/Conducteur désigné : Maxime Ancien/).waitFor();
      await page.goto(`${t.base}/conducteurs/${former.driver_id}`);
      await page.getByRole("heading", { name: /Maxime Ancien/ }).waitFor();
      await page.goto(`${t.base}/donnees-personnelles/nouvelle?conducteur=${former.driver_id}`);
      await loaded(page);
      await page.getByLabel("Effacement (art. 17)").check();
      await page.getByRole("button", { name: "Effacer les données" }).click();
      await page.getByRole("button", { name: "Confirmer l'effacement" }).click();
      const done = page.locator('[data-outcome="done"]');
      await done.waitFor();
      check((await done.innerText()).includes("1 désignation gardée comme preuve"), `what was done: ${await done.innerText()}`);
      await page.goto(`${t.base}/avis/${number}`);
      await page.getByText("Conducteur désigné : [effacé] (données effacées à la demande de la personne).").waitFor();
      check((await page.getByText("Maxime").count()) === 0, "the driver's name is gone from the notice");
      check((await page.getByText("Acceptée par l'ANTAI", { exact: true }).count()) === 1, "the acknowledgement stays as proof");
      await t.screen("58b-avis-conducteur-efface");
      await page.goto(`${t.base}/conducteurs`);
      await page.locator('section[data-loaded="true"]').first().waitFor();
      check((await page.getByText("Ancien").count()) === 0, "the driver is gone from the list");
    },
  ],
  [
    "RGPD : le droit d'accès télécharge le JSON, avec la confirmation au demandeur",
    async (t) => {
      const { page } = t;
      const { api } = await adminApi(t);
      const driver = await newDriver(api, uniqueName("Acces"));
      await signIn(t);
      await page.getByRole("navigation").getByRole("link", { name: "Données personnelles" }).click();
      await loaded(page);
      await page.getByRole("link", { name: "Nouvelle demande" }).click();
      await loaded(page);
      await page.getByLabel("Conducteur", { exact: true }).selectOption(driver.driver_id);
      await page.getByLabel("Accès aux données (art. 15)").check();
      await page.getByLabel("Référence de la demande (facultatif)").fill("COURRIER-2026/17");
      await page.getByLabel("E-mail du demandeur, pour lui confirmer la suite (facultatif)").fill(`demandeur.${Date.now()}@exemple.example`);
      await t.screen("56-rgpd-nouvelle-demande");
      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: "Télécharger les données" }).click();
      const file = await download;
      check(/^donnees-acces-.+\.json$/.test(file.suggestedFilename()), `file name ${file.suggestedFilename()}`);
      const data = JSON.parse(await readFile(await file.path(), "utf8"));
      check(data.subject.type === "driver" && data.subject.id === driver.driver_id, "the file is about the driver");
      check(data.driver.last_name === driver.last_name && data.driver.address.city === "Lyon", "it holds the driver's record");
      check(Array.isArray(data.assignments) && Array.isArray(data.designations), "assignments and designations");
      check(data.accesses.some((a) => a.action === "create"), "and who touched the record (its creation)");
      const done = page.locator('[data-outcome="done"]');
      await done.waitFor();
      const said = await done.innerText();
      check(said.includes("Données remises : 0 attribution, 0 désignation.") && said.includes(file.suggestedFilename()), `outcome: ${said}`);
      check(said.includes("Le demandeur a reçu un e-mail de confirmation."), "the requester's confirmation went");
      await t.screen("56b-rgpd-acces-fait");
      await page.getByRole("link", { name: "Voir le registre" }).click();
      await loaded(page);
      const latest = await page.locator("table.register tbody tr").first().innerText();
      check(latest.includes("Accès aux données") && latest.includes(`Conducteur : Test ${driver.last_name}`) && latest.includes("Réf. COURRIER-2026/17"), `register: ${latest}`);
    },
  ],
  [
    "RGPD : rectifier (erreur de champ, puis correction), limiter le traitement puis lever la limitation",
    async (t) => {
      const { page } = t;
      const { api } = await adminApi(t);
      const driver = await newDriver(api, uniqueName("Limite"));
      await signIn(t);
      const form = `${t.base}/donnees-personnelles/nouvelle?conducteur=${driver.driver_id}`;
      await page.goto(form);
      await loaded(page);
      await page.getByLabel("Rectification (art. 16)").check();
      await page.getByLabel("Code postal").fill("123");
      await page.getByRole("button", { name: "Enregistrer la rectification" }).click();
      const error = page.locator("#driver-address-postcode-error");
      await error.waitFor();
      check(!/address|changes\./.test(await page.locator("form").innerText()), "no raw field path shown");
      await t.screen("59b-rgpd-rectification-erreur");
      await page.getByLabel("Code postal").fill("69007");
      await page.getByRole("button", { name: "Enregistrer la rectification" }).click();
      await page.locator('[data-outcome="done"]').getByText("Corrigé : adresse.").waitFor();
      const rectified = await json(await api("GET", `/drivers/${driver.driver_id}`), "GET driver");
      check(rectified.address.postcode === "69007", "the postcode is corrected");

      await page.goto(form);
      await loaded(page);
      await page.getByLabel("Limitation du traitement (art. 18)").check();
      await page.getByRole("button", { name: "Limiter le traitement" }).click();
      await page.locator('[data-outcome="done"]').getByText("Traitement limité").waitFor();
      check((await json(await api("GET", `/drivers/${driver.driver_id}`), "GET driver")).restricted, "the driver is restricted");
      await page.goto(form);
      await loaded(page);
      check((await page.getByLabel("Conducteur", { exact: true }).locator("option:checked").innerText()).includes("(traitement limité)"), "the picker says so");
      await page.getByLabel("Levée de la limitation (art. 18)").check();
      await page.getByRole("button", { name: "Lever la limitation" }).click();
      await page.locator('[data-outcome="done"]').getByText("Limitation levée.").waitFor();
      check(!(await json(await api("GET", `/drivers/${driver.driver_id}`), "GET driver")).restricted, "the restriction is lifted");
    },
  ],
  [
    "exporter avec le seul rôle désignation sur Lyon : son entité seulement, sans journal ni RGPD",
    async (t) => {
      const { page } = t;
      const { api } = await adminApi(t);
      const lyon = await allNotices(api, "&entity_id=e-lyon");
      const email = `camille.export.${Date.now()}@transports-exemple.example`;
      const password = "Export-Lyon-2026!";
      await colleagueWithPassword(t, email, password);
      await page.goto(`${t.base}/avis`);
      await page.getByLabel("E-mail professionnel").fill(email);
      await page.getByLabel("Mot de passe").fill(password);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByRole("heading", { name: "Avis de contravention" }).waitFor();
      const menu = page.getByRole("navigation");
      check((await menu.getByRole("link", { name: "Journal d'accès" }).count()) === 0, "no journal in the menu");
      check((await menu.getByRole("link", { name: "Données personnelles" }).count()) === 0, "no privacy in the menu");
      await menu.getByRole("link", { name: "Exports" }).click();
      await loaded(page);
      check((await page.getByLabel("Entité", { exact: true }).count()) === 0, "nothing to choose with one entity");
      check((await page.locator(".export-form").innerText()).includes("Agence de Lyon"), "the form names the entity");
      await page.getByRole("button", { name: "Demander l'export" }).click();
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await finishedExport(page, "Excel"));
      const rows = [];
      workbook.getWorksheet("Avis").eachRow((row, n) => { if (n > 1) rows.push(row.values[1]); });
      check(rows.length === lyon.length && rows.every((n) => lyon.some((l) => l.notice_number === n)), `only Lyon's ${lyon.length} notices, got ${rows.length}`);
      check((await page.locator(".export-card").innerText()).includes("Agence de Lyon : avis reçus du"), "the card names the entity");
      await t.screen("50b-exports-une-entite");
      await page.goto(`${t.base}/journal`);
      await page.getByText("Le journal d'accès est réservé aux administrateurs du compte.").waitFor();
      await page.goto(`${t.base}/donnees-personnelles`);
      await page.getByText("Les demandes sur les données personnelles sont réservées aux administrateurs du compte.").waitFor();
    },
  ],
];
