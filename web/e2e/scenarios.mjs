// What a fleet manager does, screen by screen, against `make app`'s demo
// data (infra/tools/src/app_seed.rs): 15 notices, 2 due within 2 days, one
// refused answer, a driver assigned to three of the five vehicles.
import { createHmac } from "node:crypto";

export const EMAIL = process.env.DEMO_EMAIL ?? "admin@transports-exemple.example";
export const PASSWORD = process.env.DEMO_PASSWORD ?? "Demo-Local-Only-1";

/** The code an authenticator app shows for a base32 `secret` (RFC 6238: SHA-1, 30 s, 6 digits). */
function totp(secret, at = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...secret.replace(/=+$/, "").toUpperCase()].map((c) => alphabet.indexOf(c).toString(2).padStart(5, "0")).join("");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** A code that stays valid a few seconds more (the emulator accepts the current step only). */
async function freshTotp(secret) {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 200));
  return totp(secret);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function signIn(t) {
  const { page } = t;
  await page.goto(`${t.base}/avis`);
  await page.getByLabel("E-mail professionnel").fill(EMAIL);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("heading", { name: "Avis de contravention" }).waitFor();
}

/** The notices' rows, once those of the current filters are shown. */
async function rows(page) {
  await page.locator('section[data-loaded="true"]').waitFor();
  return page.locator("table.notices tbody tr");
}

/** Opens the open notices one by one until `wanted` holds on a detail page. */
async function openNoticeWhere(t, wanted) {
  const { page } = t;
  await page.goto(`${t.base}/avis?statut=OPEN`);
  const links = await (await rows(page)).locator("a").evaluateAll((a) => a.map((x) => x.getAttribute("href")));
  for (const href of links) {
    await page.goto(`${t.base}${href}`);
    await page.getByRole("heading", { name: /Avis n°/ }).waitFor();
    if (await wanted(page)) return href;
  }
  throw new Error("no open notice matches");
}

const hasSuggestion = async (page) => (await page.locator(".suggested button").count()) > 0;
const isAnswerable = async (page) => (await page.getByRole("heading", { name: "Répondre à l'avis" }).count()) > 0;

async function typeDriver(page, driver) {
  await page.getByLabel("Saisir un conducteur").check();
  await page.getByLabel("Nom", { exact: true }).fill(driver.last);
  await page.getByLabel("Prénom").fill(driver.first);
  await page.getByLabel("Adresse", { exact: true }).fill(driver.line1);
  await page.getByLabel("Code postal").fill(driver.postcode);
  await page.getByLabel("Ville").fill(driver.city);
  await page.getByLabel("Pays").selectOption(driver.country);
  await page.getByRole("button", { name: "Désigner ce conducteur" }).click();
}


/** Calls Cognito's public API as the app does. */
async function cognito(config, action, body) {
  const response = await fetch(config.cognito_url, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${action}` },
    body: JSON.stringify(body),
  });
  check(response.ok, `${action}: ${response.status}`);
  return response.json();
}

/** The SES requests the emulator received while its recorder ran, decoded. */
function recordedBodies(recording) {
  return recording.split("\n").filter(Boolean).map((line) => {
    const entry = JSON.parse(line);
    const body = entry.body_encoded ? Buffer.from(entry.body ?? "", "base64").toString("utf8") : (entry.body ?? "");
    try {
      return decodeURIComponent(body.replace(/\+/g, " "));
    } catch {
      return body;
    }
  });
}

/** The API as the demo admin, outside the browser (another user, another tab). */
async function adminApi(t) {
  const config = await (await fetch(`${t.base}/config.json`)).json();
  const signedIn = await cognito(config, "InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH", ClientId: config.client_id,
    AuthParameters: { USERNAME: EMAIL, PASSWORD: PASSWORD },
  });
  const token = signedIn.AuthenticationResult.IdToken;
  const api = (method, path, body) =>
    fetch(new URL(`${config.api_url}${path}`, t.base), {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  return { config, api };
}

/**
 * Invites a colleague through the API as the admin (the user screens come
 * with part 2), and reads the link of the invitation e-mail the emulator's
 * SES received.
 */
async function inviteColleague(t, email) {
  const { config, api } = await adminApi(t);
  const emulator = new URL(config.cognito_url).origin;
  // The recording is a file the emulator keeps across runs: start it empty.
  await fetch(`${emulator}/moto-api/recorder/reset-recording`, { method: "POST" });
  await fetch(`${emulator}/moto-api/recorder/start-recording`, { method: "POST" });
  let recording;
  try {
    const response = await api("POST", "/users", {
      email, first_name: "Camille", last_name: "Invitée",
      grants: [{ role: "designation", scope: { kind: "entities", entities: ["e-lyon"] } }],
    });
    check(response.status === 201, `POST /users: ${response.status} ${await response.text()}`);
    recording = await (await fetch(`${emulator}/moto-api/recorder/download-recording`)).text();
  } finally {
    await fetch(`${emulator}/moto-api/recorder/stop-recording`, { method: "POST" });
  }
  const sent = recordedBodies(recording).filter((body) => body.includes(email));
  const link = sent.join("\n").match(/https?:\/\/[^\s"&]+(\/invitation\?token=[A-Za-z0-9._~-]+)/);
  check(link, "the invitation e-mail carries a link");
  return `${t.base}${link[1]}`;
}

/** A colleague invited, whose password is set through the invitation link without the browser. */
async function colleagueWithPassword(t, email, password) {
  const link = new URL(await inviteColleague(t, email));
  const set = await fetch(new URL(`/api/invitations/${link.searchParams.get("token")}`, t.base), {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password }),
  });
  check(set.ok, `the invitation sets the password: ${set.status}`);
}

export const scenarios = [
  [
    "se connecter : une erreur en français, puis le tableau des avis",
    async (t) => {
      const { page } = t;
      await page.goto(`${t.base}/`);
      await page.getByRole("heading", { name: "Connexion" }).waitFor();
      await t.screen("01-connexion");
      await page.getByLabel("E-mail professionnel").fill(EMAIL);
      await page.getByLabel("Mot de passe").fill("pas-le-bon-mot-de-passe");
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByRole("alert").filter({ hasText: "E-mail ou mot de passe incorrect." }).waitFor();
      await t.screen("02-connexion-erreur");
      await page.getByLabel("Mot de passe").fill(PASSWORD);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByRole("heading", { name: "Tableau de bord" }).waitFor();
      check(new URL(page.url()).pathname === "/tableau-de-bord", "lands on the dashboard");
      await page.getByRole("navigation").getByRole("link", { name: "Avis" }).click();
      check((await (await rows(page)).count()) === 15, "the 15 seeded notices are listed");
      await t.screen("03-avis");
    },
  ],
  [
    "le tableau de bord : les chiffres des données de démonstration, par entité",
    async (t) => {
      const { page } = t;
      await signIn(t);
      await page.getByRole("link", { name: "Tableau de bord" }).click();
      await page.locator('section[data-loaded="true"]').waitFor();
      const figure = async (name) => (await page.locator(`[data-figure="${name}"]`).innerText()).trim();
      // app_seed.rs: 9 open (2 due in 2 days, 2 in 7, 5 in 42), 1 refused, 1 pending, 1 sent,
      // 2 acknowledged, 1 gone to paper; 5 answered in time out of 6 decided.
      const expected = {
        "Échéance sous 2 jours": "2", "Échéance sous 7 jours": "4", "Avis à traiter": "9",
        "Réponses refusées à corriger": "1", "Réponses en délai de grâce": "1",
        "Acquittés ce mois-ci": "2", "Partis en papier": "1", "Répondus dans les délais": "83 %",
      };
      for (const [name, value] of Object.entries(expected)) {
        const shown = await figure(name);
        check(shown === value, `${name}: ${value} expected, ${shown} shown`);
      }
      check((await page.locator(".entity-figures tbody tr").count()) === 2, "one row per entity");
      await page.getByText("Voir les chiffres du graphique").click();
      await t.screen("03a-tableau-de-bord");
      await page.getByLabel("Entité", { exact: true }).selectOption({ label: "Siège" });
      await page.waitForURL(/entite=e-paris/);
      await page.locator('section[data-loaded="true"]').waitFor();
      await t.screen("03b-tableau-de-bord-entite");
      await page.goto(`${t.base}/tableau-de-bord`);
      await page.getByRole("link", { name: /Échéance sous 2 jours/ }).click();
      await page.waitForURL(/statut=OPEN&echeance=2/);
      check((await (await rows(page)).count()) === 2, "the card lists the notices it counts");
    },
  ],
  [
    "filtrer les avis par statut, échéance et immatriculation",
    async (t) => {
      const { page } = t;
      await signIn(t);
      await page.getByLabel("Statut").selectOption("ANSWER_IN_ERROR");
      await page.waitForURL(/statut=ANSWER_IN_ERROR/);
      check((await (await rows(page)).count()) === 1, "one refused answer");
      await page.getByLabel("Statut").selectOption("OPEN");
      await page.getByLabel("Échéance").selectOption("2");
      await page.waitForURL(/echeance=2/);
      const due = await rows(page);
      check((await due.count()) === 2, `two open notices due within 2 days, got ${await due.count()}`);
      check((await due.locator(".badge.urgent").count()) === 2, "red badges for ≤ 2 days");
      await t.screen("04-avis-filtres");
      await page.goto(`${t.base}/avis`);
      await page.getByLabel("Entité").selectOption({ label: "Siège" });
      await page.waitForURL(/entite=e-paris/);
      const paris = await (await rows(page)).locator("td:nth-child(3) strong").allTextContents();
      check(paris.length > 0 && paris.every((p) => ["QR-246-ST", "TV-135-WX"].includes(p)), `only Siège's vehicles, got ${paris.join(", ")}`);
      // Offences 30 to 60 days ago: the notices issued 38 to 45 days ago (1 + 2 + 2), not the recent ones.
      const day = (daysAgo) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
      await page.goto(`${t.base}/avis?du=${day(60)}&au=${day(30)}`);
      check((await (await rows(page)).count()) === 5, "five notices for offences 30 to 60 days ago");
      await page.goto(`${t.base}/avis`);
      await page.getByLabel("Immatriculation ou n° d'avis").fill("ab 123 cd");
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.waitForURL(/recherche=/);
      const plates = await (await rows(page)).locator("td:nth-child(3) strong").allTextContents();
      check(plates.every((p) => p === "AB-123-CD"), `only AB-123-CD, got ${plates.join(", ")}`);
    },
  ],
  [
    "désigner un conducteur suggéré, puis annuler pendant le délai de grâce",
    async (t) => {
      const { page } = t;
      await signIn(t);
      await openNoticeWhere(t, hasSuggestion);
      check(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/.test(await page.locator(".facts").innerText()), "offence time as JJ/MM/AAAA HH:MM:SS");
      check((await page.getByText("Barème").count()) === 1, "the scale shows while open");
      await t.screen("05-avis-detail");
      await page.locator(".suggested button").first().click();
      await page.getByText("En attente d'envoi (modifiable)").waitFor();
      await page.getByText(/Envoi à l'ANTAI dans/).waitFor();
      check((await page.getByText("Barème").count()) === 0, "the scale is hidden once a driver is designated");
      await t.screen("06-avis-en-attente");
      await page.getByRole("button", { name: "Annuler la réponse" }).click();
      await page.getByRole("heading", { name: "Répondre à l'avis" }).waitFor();
    },
  ],
  [
    "saisir un conducteur : erreur de champ en français, puis adresse à l'étranger",
    async (t) => {
      const { page } = t;
      await signIn(t);
      await openNoticeWhere(t, isAnswerable);
      await typeDriver(page, { last: "Essai", first: "Noa", line1: "8 rue du Test", postcode: "123", city: "Lyon", country: "FRA" });
      const error = page.locator("#driver-address-postcode-error");
      await error.waitFor();
      check((await error.innerText()).includes("n'est pas un code postal français"), "the postcode error is in French");
      const alerts = (await page.getByRole("alert").allInnerTexts()).join(" ");
      check(!/invalid_postcode|driver\.address/.test(alerts), `no raw code is shown: ${alerts}`);
      await t.screen("07-erreur-de-champ");
      await typeDriver(page, { last: "Essai", first: "Noa", line1: "8 rue du Test", postcode: "1000", city: "Bruxelles", country: "BEL" });
      await page.getByText("Conducteur désigné : Noa Essai, Bruxelles (BEL).").waitFor();
    },
  ],
  [
    "répondre « véhicule volé »",
    async (t) => {
      const { page } = t;
      await signIn(t);
      await openNoticeWhere(t, isAnswerable);
      await page.getByLabel("Autre réponse (vendu, volé…)").check();
      await page.getByLabel("Motif").selectOption("vehicle_stolen");
      const longAgo = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel("Date du vol").fill(longAgo);
      await page.getByLabel("Référence du dépôt de plainte").fill("PV-2026-000123");
      await t.screen("08-vehicule-vole");
      await page.getByRole("button", { name: "Envoyer cette réponse" }).click();
      await page.getByText("Réponse : Véhicule volé.").waitFor();
    },
  ],
  [
    "corriger une réponse refusée par l'ANTAI",
    async (t) => {
      const { page } = t;
      await signIn(t);
      await page.goto(`${t.base}/avis?statut=ANSWER_IN_ERROR`);
      await (await rows(page)).first().locator("a").click();
      await page.getByText(/refusée par l'ANTAI : .*code E_ADRESSE/).waitFor();
      await t.screen("09-reponse-refusee");
      await page.getByRole("button", { name: "Corriger" }).click();
      await typeDriver(page, { last: "Exemple", first: "Claude", line1: "3 place de l'Essai", postcode: "59800", city: "Lille", country: "FRA" });
      await page.getByText("En attente d'envoi (modifiable)").waitFor();
    },
  ],
  [
    "accepter une invitation : les règles du mot de passe, puis la connexion sur son seul périmètre",
    async (t) => {
      const { page } = t;
      const email = `camille.invitee.${Date.now()}@transports-exemple.example`;
      const link = await inviteColleague(t, email);
      await page.goto(link);
      await page.getByRole("heading", { name: "Choisissez votre mot de passe" }).waitFor();
      await page.getByLabel("Mot de passe", { exact: true }).fill("court");
      check((await page.locator(".rules .unmet").count()) === 4, "four rules still missing for 'court'");
      await t.screen("10-invitation");
      const password = "Invitee-Locale-2026!";
      await page.getByLabel("Mot de passe", { exact: true }).fill(password);
      check((await page.locator(".rules .unmet").count()) === 0, "every rule met");
      await page.getByLabel("Confirmez le mot de passe").fill(password);
      await page.getByRole("button", { name: "Enregistrer mon mot de passe" }).click();
      await page.getByRole("heading", { name: "Votre mot de passe est enregistré" }).waitFor();
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByLabel("E-mail professionnel").fill(email);
      await page.getByLabel("Mot de passe").fill(password);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByRole("heading", { name: "Tableau de bord" }).waitFor();
      await page.locator('section[data-loaded="true"]').waitFor();
      check((await page.locator(".entity-figures").count()) === 0, "one entity: no table per entity");
      await page.getByRole("navigation").getByRole("link", { name: "Avis" }).click();
      const plates = await (await rows(page)).locator("td:nth-child(3) strong").allTextContents();
      const lyon = ["AB-123-CD", "GH-456-JK", "LM-789-NP"];
      check(plates.length > 0 && plates.every((p) => lyon.includes(p)), `only Lyon's vehicles, got ${plates.join(", ")}`);
      await page.goto(link);
      await page.getByLabel("Mot de passe", { exact: true }).fill(password);
      await page.getByLabel("Confirmez le mot de passe").fill(password);
      await page.getByRole("button", { name: "Enregistrer mon mot de passe" }).click();
      await page.getByRole("alert").filter({ hasText: "n'est plus valable" }).waitFor();
    },
  ],
  [
    "mot de passe oublié : un code par e-mail, un nouveau mot de passe, puis la connexion",
    async (t) => {
      const { page } = t;
      const email = `dominique.oubli.${Date.now()}@transports-exemple.example`;
      await colleagueWithPassword(t, email, "Premier-Mot-2026!");
      await page.goto(`${t.base}/connexion`);
      await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
      await page.getByRole("heading", { name: "Mot de passe oublié" }).waitFor();
      await page.getByLabel("E-mail professionnel").fill(email);
      // Cognito e-mails the code; the emulator hands it back in a header of its answer.
      const answered = page.waitForResponse((r) => r.request().headers()["x-amz-target"]?.endsWith(".ForgotPassword"));
      await page.getByRole("button", { name: "Recevoir un code" }).click();
      const code = (await answered).headers()["x-moto-forgot-password-confirmation-code"];
      check(code, "the emulator handed back the code");
      await page.getByRole("status").filter({ hasText: "un code vient de lui être envoyé" }).waitFor();
      await page.getByLabel("Code reçu par e-mail").fill("moto-confirmation-code:000000");
      const password = "Nouveau-Mot-2026!";
      await page.getByLabel("Mot de passe", { exact: true }).fill(password);
      await page.getByLabel("Confirmez le mot de passe").fill(password);
      await page.getByRole("button", { name: "Enregistrer mon nouveau mot de passe" }).click();
      await page.getByRole("alert").filter({ hasText: "Ce code n'est plus valable" }).waitFor();
      await t.screen("10b-mot-de-passe-oublie");
      await page.getByLabel("Code reçu par e-mail").fill(code);
      await page.getByRole("button", { name: "Enregistrer mon nouveau mot de passe" }).click();
      await page.getByRole("heading", { name: "Votre nouveau mot de passe est enregistré" }).waitFor();
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByLabel("E-mail professionnel").fill(email);
      await page.getByLabel("Mot de passe").fill(password);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByRole("heading", { name: "Tableau de bord" }).waitFor();
    },
  ],
  [
    "activer la double authentification, puis se connecter avec un code calculé par le test",
    async (t) => {
      const { page } = t;
      const email = `sacha.totp.${Date.now()}@transports-exemple.example`;
      const password = "Deux-Facteurs-2026!";
      await colleagueWithPassword(t, email, password);
      const signInAs = async () => {
        await page.goto(`${t.base}/connexion`);
        await page.getByLabel("E-mail professionnel").fill(email);
        await page.getByLabel("Mot de passe").fill(password);
        await page.getByRole("button", { name: "Se connecter" }).click();
      };
      await signInAs();
      await page.getByRole("heading", { name: "Tableau de bord" }).waitFor();
      await page.getByRole("navigation").getByRole("link", { name: "Sécurité" }).click();
      await page.getByRole("button", { name: "Activer la double authentification" }).click();
      await page.locator("svg.qr").waitFor();
      const secret = (await page.locator("code.secret").innerText()).replace(/\s+/g, "");
      await t.screen("13-double-authentification");
      await page.getByLabel("Code de l'application").fill(totp(secret) === "000000" ? "111111" : "000000");
      await page.getByRole("button", { name: "Vérifier et activer" }).click();
      await page.getByRole("alert").filter({ hasText: "Ce code n'est pas le bon" }).waitFor();
      await page.getByLabel("Code de l'application").fill(await freshTotp(secret));
      await page.getByRole("button", { name: "Vérifier et activer" }).click();
      await page.getByRole("status").filter({ hasText: "Activée" }).waitFor();
      await page.getByRole("button", { name: "Se déconnecter" }).click();
      await signInAs();
      await page.getByRole("heading", { name: "Double authentification" }).waitFor();
      await t.screen("14-code-a-la-connexion");
      await page.getByLabel("Code de l'application").fill(await freshTotp(secret));
      await page.getByRole("button", { name: "Vérifier" }).click();
      await page.getByRole("heading", { name: "Tableau de bord" }).waitFor();
    },
  ],
  [
    "quelqu'un a répondu pendant que je consultais l'avis : le dire et montrer sa réponse",
    async (t) => {
      const { page } = t;
      await signIn(t);
      const href = await openNoticeWhere(t, isAnswerable);
      const number = decodeURIComponent(href.split("/").pop());
      const { api } = await adminApi(t);
      const first = await api("PUT", `/notices/${number}/answer`, { other: { reason: "vehicle_unknown" } });
      check(first.ok, `the other tab's answer: ${first.status}`);
      await page.getByLabel("Autre réponse (vendu, volé…)").check();
      await page.getByLabel("Motif").selectOption("paper_notice_requested");
      await page.getByRole("button", { name: "Envoyer cette réponse" }).click();
      await page.getByRole("alert").filter({ hasText: "une réponse a été donnée pendant que vous consultiez cet avis" }).waitFor();
      await page.getByText("Réponse : Véhicule inconnu de la société.").waitFor();
      check((await page.getByRole("alert").first().innerText()).includes("vous-même"), "says who answered");
      await t.screen("12-reponse-concurrente");
    },
  ],
  [
    "choisir ses préférences de notification",
    async (t) => {
      const { page } = t;
      await signIn(t);
      await page.getByRole("link", { name: "Notifications" }).click();
      await page.getByRole("heading", { name: "Préférences de notification" }).waitFor();
      const newNotices = page.getByRole("group", { name: "Nouveaux avis" });
      await newNotices.getByLabel("Hebdomadaire").check();
      await page.getByRole("group", { name: "Réponse refusée" }).getByLabel("Immédiat").check();
      await page.getByRole("button", { name: "Enregistrer" }).click();
      await page.getByText("Vos préférences sont enregistrées.").waitFor();
      await t.screen("11-preferences");
      await page.reload();
      await page.getByRole("heading", { name: "Préférences de notification" }).waitFor();
      check(await page.getByRole("group", { name: "Nouveaux avis" }).getByLabel("Hebdomadaire").isChecked(), "the choice is kept");
    },
  ],
  [
    "se déconnecter",
    async (t) => {
      const { page } = t;
      await signIn(t);
      await page.getByRole("button", { name: "Se déconnecter" }).click();
      await page.getByRole("heading", { name: "Connexion" }).waitFor();
      await page.reload();
      await page.getByRole("heading", { name: "Connexion" }).waitFor();
    },
  ],
];
