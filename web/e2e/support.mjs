// What every scenario shares: the demo admin, signing in, the notices'
// table, the emulator's recorded e-mails, the API outside the browser.
import { createHmac } from "node:crypto";

export const EMAIL = process.env.DEMO_EMAIL ?? "admin@transports-exemple.example";
export const PASSWORD = process.env.DEMO_PASSWORD ?? "Demo-Local-Only-1";

/** The code an authenticator app shows for a base32 `secret` (RFC 6238: SHA-1, 30 s, 6 digits). */
export function totp(secret, at = Date.now()) {
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
export async function freshTotp(secret) {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 200));
  return totp(secret);
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

export async function signIn(t) {
  const { page } = t;
  await page.goto(`${t.base}/avis`);
  await page.getByLabel("E-mail professionnel").fill(EMAIL);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("heading", { name: "Avis de contravention" }).waitFor();
}

/** The notices' rows, once those of the current filters are shown. */
export async function rows(page) {
  await page.locator('section[data-loaded="true"]').waitFor();
  return page.locator("table.notices tbody tr");
}

/** Opens the open notices one by one until `wanted` holds on a detail page. */
export async function openNoticeWhere(t, wanted) {
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

export const hasSuggestion = async (page) => (await page.locator(".suggested button").count()) > 0;
export const isAnswerable = async (page) => (await page.getByRole("heading", { name: "Répondre à l'avis" }).count()) > 0;

export async function typeDriver(page, driver) {
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
export async function cognito(config, action, body) {
  const response = await fetch(config.cognito_url, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${action}` },
    body: JSON.stringify(body),
  });
  check(response.ok, `${action}: ${response.status}`);
  return response.json();
}

/** The SES requests the emulator received while its recorder ran, decoded. */
export function recordedBodies(recording) {
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
export async function adminApi(t) {
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
export async function inviteColleague(t, email) {
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
export async function colleagueWithPassword(t, email, password) {
  const link = new URL(await inviteColleague(t, email));
  const set = await fetch(new URL(`/api/invitations/${link.searchParams.get("token")}`, t.base), {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password }),
  });
  check(set.ok, `the invitation sets the password: ${set.status}`);
}

