// Utilisateurs, Entités, Paramètres du compte: inviting a colleague on one
// entity and signing in as them, the users' states and actions, entities
// added, edited and refused removal, the tenant's settings kept. Each
// scenario makes its own users and entities (Date.now()) and puts the
// tenant's settings back as it found them.
import { EMAIL, adminApi, check, recordedBodies, rows, signIn } from "../support.mjs";

/** The menu items only admins see. */
const ADMIN_MENU = ["Utilisateurs", "Entités", "Journal d'accès", "Données personnelles", "Paramètres du compte"];
const LYON_PLATES = ["AB-123-CD", "GH-456-JK", "LM-789-NP"];
const PASSWORD = "Collegue-Locale-2026!";

/** Runs `work` while the emulator records the requests it gets; gives back the decoded bodies. */
async function recording(t, work) {
  const config = await (await fetch(`${t.base}/config.json`)).json();
  const emulator = new URL(config.cognito_url).origin;
  // The recording is a file the emulator keeps across runs: start it empty.
  await fetch(`${emulator}/moto-api/recorder/reset-recording`, { method: "POST" });
  await fetch(`${emulator}/moto-api/recorder/start-recording`, { method: "POST" });
  try {
    await work();
    return recordedBodies(await (await fetch(`${emulator}/moto-api/recorder/download-recording`)).text());
  } finally {
    await fetch(`${emulator}/moto-api/recorder/stop-recording`, { method: "POST" });
  }
}

/** The set-password link of the invitation e-mail sent to `email`. */
function invitationLink(t, bodies, email) {
  const sent = bodies.filter((body) => body.includes(email)).join("\n");
  const link = sent.match(/https?:\/\/[^\s"&]+(\/invitation\?token=[A-Za-z0-9._~-]+)/);
  check(link, `an invitation e-mail to ${email} carries a link`);
  return new URL(`${t.base}${link[1]}`);
}

const ON_LYON = { kind: "entities", entities: ["e-lyon"] };

/** Invites through the API (another admin's tab), with the link of the e-mail. */
async function invitedByApi(t, person, grants = [{ role: "designation", scope: ON_LYON }]) {
  const { api } = await adminApi(t);
  let response;
  const bodies = await recording(t, async () => {
    response = await api("POST", "/users", {
      email: person.email, first_name: person.first, last_name: person.last, grants,
    });
  });
  const user = await response.json();
  check(response.status === 201, `POST /users: ${response.status} ${JSON.stringify(user)}`);
  return { user, link: invitationLink(t, bodies, person.email), api };
}

async function setPasswordByLink(t, link, password) {
  const set = await fetch(new URL(`/api/invitations/${link.searchParams.get("token")}`, t.base), {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password }),
  });
  check(set.status === 204, `the invitation sets the password: ${set.status}`);
}

async function signInAs(t, email, password) {
  const { page } = t;
  await page.goto(`${t.base}/connexion`);
  await page.getByLabel("E-mail professionnel").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("heading", { name: "Tableau de bord" }).waitFor();
}

async function loaded(page) {
  await page.locator('section[data-loaded="true"]').waitFor();
}

async function openUsers(t) {
  await t.page.goto(`${t.base}/utilisateurs`);
  await loaded(t.page);
}

/** A user's row in the list, by e-mail. */
const userRow = (page, email) => page.locator(`tr[data-user="${email}"]`);

async function stateOfRow(page, email) {
  return (await userRow(page, email).locator("[data-state]").getAttribute("data-state")) ?? "";
}

/** Every alert's text: none may show an API code or a raw field path. */
async function checkNoRawCodes(page) {
  const alerts = (await page.getByRole("alert").allInnerTexts()).join(" ");
  check(!/\b[a-z]+_[a-z_]+\b|grants\[|address\./.test(alerts), `no raw code is shown: ${alerts}`);
}

async function menuLabels(page) {
  return page.getByRole("navigation", { name: "Menu principal" }).getByRole("link").allInnerTexts();
}

const person = (tag) => {
  const n = Date.now();
  return { first: "Camille", last: `${tag} ${n}`, email: `camille.${tag.toLowerCase()}.${n}@transports-exemple.example` };
};

export const scenarios = [
  [
    "inviter par l'écran un utilisateur en désignation sur l'Agence de Lyon, puis se connecter comme lui : ses seuls avis, aucun menu d'administration",
    async (t) => {
      const { page } = t;
      const colleague = person("Lyon");
      await signIn(t);
      await page.getByRole("navigation").getByRole("link", { name: "Utilisateurs" }).click();
      await loaded(page);
      check(await userRow(page, EMAIL).count() === 1, "the admin is listed");
      check((await userRow(page, EMAIL).innerText()).includes("Administration : toutes les entités"), "the admin's role is told");
      await t.screen("40-utilisateurs");

      await page.getByRole("link", { name: "Inviter un utilisateur" }).click();
      await page.getByRole("heading", { name: "Inviter un utilisateur" }).waitFor();
      await loaded(page);
      await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
      await page.locator("#user-first_name-error").waitFor();
      check((await page.locator("#user-first_name-error").innerText()) === "Ce champ est obligatoire.", "the first name is required, next to it");
      check((await page.locator("#user-email-error").innerText()).includes("n'est pas une adresse e-mail"), "the e-mail's error next to it");
      check((await page.locator("#grants-error").innerText()) === "Donnez au moins un rôle.", "a role is asked for");
      await checkNoRawCodes(page);
      await t.screen("40a-invitation-erreurs");

      await page.getByLabel("Prénom").fill(colleague.first);
      await page.getByLabel("Nom", { exact: true }).fill(colleague.last);
      await page.getByLabel("E-mail professionnel").fill(colleague.email);
      await page.getByRole("checkbox", { name: "Désignation", exact: true }).check();
      const scope = page.getByRole("group", { name: "Entités couvertes par le rôle Désignation" });
      await scope.getByLabel("Certaines entités").check();
      await scope.getByLabel("Agence de Lyon").check();
      check(!(await page.getByRole("checkbox", { name: "Administration", exact: true }).isChecked()), "no admin role");
      await t.screen("40b-invitation-remplie");
      const bodies = await recording(t, async () => {
        await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
        await page.getByRole("status").filter({ hasText: `Invitation envoyée à ${colleague.email}` }).waitFor();
      });
      await loaded(page);
      const row = userRow(page, colleague.email);
      check((await row.innerText()).includes("Désignation : Agence de Lyon"), `the new row tells the role: ${await row.innerText()}`);
      check(await stateOfRow(page, colleague.email) === "invited", "the new user is invited, not yet active");
      await t.screen("40c-invitation-envoyee");

      await page.getByRole("button", { name: "Se déconnecter" }).click();
      await page.getByRole("heading", { name: "Connexion" }).waitFor();
      await page.goto(invitationLink(t, bodies, colleague.email).href);
      await page.getByRole("heading", { name: "Choisissez votre mot de passe" }).waitFor();
      await page.getByLabel("Mot de passe", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Confirmez le mot de passe").fill(PASSWORD);
      await page.getByRole("button", { name: "Enregistrer mon mot de passe" }).click();
      await page.getByRole("heading", { name: "Votre mot de passe est enregistré" }).waitFor();
      await signInAs(t, colleague.email, PASSWORD);

      const menu = await menuLabels(page);
      check(menu.includes("Avis"), `the designation role reads notices: ${menu.join(", ")}`);
      const shown = ADMIN_MENU.filter((label) => menu.includes(label));
      check(shown.length === 0, `no admin menu item, got ${shown.join(", ")}`);
      await page.getByRole("navigation").getByRole("link", { name: "Avis" }).click();
      const plates = await (await rows(page)).locator("td:nth-child(3) strong").allTextContents();
      check(plates.length > 0 && plates.every((p) => LYON_PLATES.includes(p)), `only Lyon's vehicles, got ${plates.join(", ")}`);
      await t.screen("41-invite-ses-avis");
      for (const address of ["/utilisateurs", "/entites", "/parametres"]) {
        await page.goto(`${t.base}${address}`);
        await loaded(page);
        await page.getByRole("alert").filter({ hasText: "réservée aux administrateurs" }).waitFor();
        check(await page.locator("table").count() === 0, `${address}: nothing listed`);
      }
      await page.goto(`${t.base}/utilisateurs`);
      await loaded(page);
      await t.screen("41a-invite-administration-refusee");
    },
  ],
  [
    "la liste dit l'état de chacun : invité, puis actif ; désactiver, réactiver, modifier ses rôles, supprimer",
    async (t) => {
      const { page } = t;
      const colleague = person("Etat");
      const name = `${colleague.first} ${colleague.last}`;
      const { user, link, api } = await invitedByApi(t, colleague);
      await signIn(t);
      await openUsers(t);
      check(await stateOfRow(page, colleague.email) === "invited", "invited until the password is set");
      check((await userRow(page, colleague.email).innerText()).includes("n'a pas encore choisi son mot de passe"), "the state is explained");
      await t.screen("42-utilisateur-invite");
      await userRow(page, colleague.email).getByRole("button", { name: `Renvoyer l'invitation à ${name}` }).click();
      await userRow(page, colleague.email).getByRole("status").filter({ hasText: `Une nouvelle invitation, valable 7 jours, a été envoyée à ${colleague.email}.` }).waitFor();

      await page.getByRole("link", { name: "Inviter un utilisateur" }).click();
      await loaded(page);
      await page.getByLabel("Prénom").fill("Camille");
      await page.getByLabel("Nom", { exact: true }).fill("Encore");
      await page.getByLabel("E-mail professionnel").fill(colleague.email);
      await page.getByRole("checkbox", { name: "Désignation", exact: true }).check();
      await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
      const taken = page.locator("#user-email-error");
      await taken.waitFor();
      check((await taken.innerText()).includes("déjà"), `an address already invited, next to the e-mail: ${await taken.innerText()}`);
      await t.screen("42c-invitation-adresse-prise");

      await setPasswordByLink(t, link, PASSWORD);
      await openUsers(t);
      check(await stateOfRow(page, colleague.email) === "active", "active once the password is set");
      const second = await userRow(page, colleague.email).locator("[data-second-factor]").getAttribute("data-second-factor");
      check(second === "false", `no second factor yet: ${second}`);

      await page.getByRole("button", { name: `Désactiver ${name}` }).click();
      await page.getByRole("button", { name: `Réactiver ${name}` }).waitFor();
      check(await stateOfRow(page, colleague.email) === "deactivated", "deactivated");
      const off = await (await api("GET", `/users/${user.user_id}`)).json();
      check(off.active === false, "the API has them deactivated");
      await t.screen("42a-utilisateur-desactive");
      await page.getByRole("button", { name: `Réactiver ${name}` }).click();
      await page.getByRole("button", { name: `Désactiver ${name}` }).waitFor();
      check(await stateOfRow(page, colleague.email) === "active", "active again");
      await t.screen("42b-utilisateur-reactive");

      await page.getByRole("link", { name: `Modifier ${name}` }).click();
      await page.getByRole("heading", { name: `Modifier ${name}` }).waitFor();
      await loaded(page);
      check(await page.getByRole("checkbox", { name: "Désignation", exact: true }).isChecked(), "the form shows the designation role");
      const lyon = page.getByRole("group", { name: "Entités couvertes par le rôle Désignation" }).getByLabel("Agence de Lyon");
      check(await lyon.isChecked(), "on the Lyon agency");
      await page.getByLabel("Prénom").fill("Camille-Rose");
      await page.getByRole("checkbox", { name: "Gestion de flotte", exact: true }).check();
      await page.getByLabel("Dernier jour du rôle Gestion de flotte (facultatif)").fill("2020-01-31");
      await page.getByRole("button", { name: "Enregistrer les changements" }).click();
      const untilError = page.locator("#grant-fleet_management-until-error");
      await untilError.waitFor();
      check((await untilError.innerText()).includes("La date de fin du rôle est passée"), "the past last day is refused next to it");
      await checkNoRawCodes(page);
      await t.screen("43-utilisateur-modifier-erreur");
      const nextYear = `${new Date().getFullYear() + 1}-06-30`;
      await page.getByLabel("Dernier jour du rôle Gestion de flotte (facultatif)").fill(nextYear);
      await page.getByRole("button", { name: "Enregistrer les changements" }).click();
      const renamed = `Camille-Rose ${colleague.last}`;
      await page.getByRole("status").filter({ hasText: `Les changements de ${renamed} sont enregistrés.` }).waitFor();
      const roles = await userRow(page, colleague.email).locator(".grant-list li").allInnerTexts();
      const [y, m, d] = nextYear.split("-");
      const expected = [`Gestion de flotte : toutes les entités, jusqu'au ${d}/${m}/${y}`, "Désignation : Agence de Lyon"];
      check(JSON.stringify(roles) === JSON.stringify(expected), `the roles as saved: ${roles.join(" | ")}`);

      await page.getByRole("link", { name: "Modifier Alex Fictif" }).click();
      await loaded(page);
      check(await page.locator("#grant-admin").count() === 0, "one's own roles cannot be ticked");
      await page.getByText("Vous ne pouvez pas changer vos propres rôles").waitFor();
      await t.screen("43a-utilisateur-soi-meme");
      await openUsers(t);
      check(await page.getByRole("button", { name: "Supprimer Alex Fictif" }).count() === 0, "one cannot delete oneself");

      await page.getByRole("button", { name: `Supprimer ${renamed}` }).click();
      await page.getByRole("button", { name: "Confirmer la suppression" }).waitFor();
      await t.screen("43b-utilisateur-suppression");
      await page.getByRole("button", { name: "Confirmer la suppression" }).click();
      await userRow(page, colleague.email).waitFor({ state: "detached" });
      const gone = await api("GET", `/users/${user.user_id}`);
      check(gone.status === 404, `the user is deleted: ${gone.status}`);
    },
  ],
  [
    "entités : ajouter (erreurs de SIRET et de code postal à côté des champs), modifier, et une suppression refusée expliquée",
    async (t) => {
      const { page } = t;
      const name = `Filiale Nord ${Date.now()}`;
      const { api } = await adminApi(t);
      try {
        await signIn(t);
        await page.getByRole("navigation").getByRole("link", { name: "Entités" }).click();
        await loaded(page);
        const names = await page.locator("tbody th[scope=row]").allInnerTexts();
        check(names.includes("Agence de Lyon") && names.includes("Siège"), `the demo's entities: ${names.join(", ")}`);
        await t.screen("45-entites");

        await page.getByRole("link", { name: "Ajouter une entité" }).click();
        await page.getByRole("heading", { name: "Ajouter une entité" }).waitFor();
        await page.getByLabel("Nom de l'entité").fill(name);
        await page.getByLabel("Adresse", { exact: true }).fill("1 rue de l'Exemple");
        await page.getByLabel("Code postal").fill("5900");
        await page.getByLabel("Ville").fill("Lille");
        await page.getByLabel("SIREN (facultatif)").fill("732 829 320");
        await page.getByLabel("SIRET (facultatif)").fill("73282932000075");
        await page.getByRole("button", { name: "Ajouter l'entité" }).click();
        await page.locator("#entity-siret-error").waitFor();
        check((await page.locator("#entity-siret-error").innerText()).includes("La clé de contrôle du SIRET"), "the SIRET's check digit, next to it");
        check((await page.locator("#entity-address-postcode-error").innerText()).includes("code postal"), "the postcode's error, next to it");
        check(await page.locator("#entity-siren-error").count() === 0, "the SIREN is right");
        await checkNoRawCodes(page);
        await t.screen("45a-entite-erreurs");

        await page.getByLabel("Code postal").fill("59000");
        await page.getByLabel("SIRET (facultatif)").fill("732 829 320 00074");
        await page.getByRole("button", { name: "Ajouter l'entité" }).click();
        await page.getByRole("status").filter({ hasText: `L'entité « ${name} » est ajoutée.` }).waitFor();
        const row = page.locator(`tr[data-entity="${name}"]`);
        const text = await row.innerText();
        check(text.includes("Personne morale") && text.includes("1 rue de l'Exemple, 59000 Lille"), `the row: ${text}`);
        check(text.includes("SIREN 732829320") && text.includes("SIRET 73282932000074"), `the company ids: ${text}`);
        await t.screen("45b-entite-ajoutee");

        await page.getByRole("link", { name: `Modifier l'entité ${name}` }).click();
        await page.getByRole("heading", { name: `Modifier « ${name} »` }).waitFor();
        await loaded(page);
        check(await page.getByLabel("SIRET (facultatif)").inputValue() === "73282932000074", "the form shows the stored SIRET");
        await page.getByLabel("Nom de l'entité").fill(`${name} (Lille)`);
        await page.getByLabel("Complément d'adresse (facultatif)").fill("Bâtiment B");
        await t.screen("46-entite-modifier");
        await page.getByRole("button", { name: "Enregistrer les changements" }).click();
        await page.getByRole("status").filter({ hasText: `L'entité « ${name} (Lille) » : les changements sont enregistrés.` }).waitFor();
        const edited = await page.locator(`tr[data-entity="${name} (Lille)"]`).innerText();
        check(edited.includes("1 rue de l'Exemple, Bâtiment B, 59000 Lille"), `the edited row: ${edited}`);

        await page.getByRole("button", { name: "Supprimer l'entité Agence de Lyon" }).click();
        await page.getByRole("button", { name: "Confirmer la suppression" }).click();
        const refusal = page.getByRole("alert").filter({ hasText: "« Agence de Lyon » n'est pas supprimée." });
        await refusal.waitFor();
        check(/Cette entité a encore \d+ véhicules? et \d+ conducteurs? : déplacez-les/.test(await refusal.innerText()), `the refusal says why: ${await refusal.innerText()}`);
        await checkNoRawCodes(page);
        check(await page.locator('tr[data-entity="Agence de Lyon"]').count() === 1, "the Lyon agency stays");
        await t.screen("46a-entite-suppression-refusee");

        await page.getByRole("button", { name: `Supprimer l'entité ${name} (Lille)` }).click();
        await page.getByRole("button", { name: "Confirmer la suppression" }).click();
        await page.locator(`tr[data-entity="${name} (Lille)"]`).waitFor({ state: "detached" });
      } finally {
        // Other scenarios count the demo's two entities: leave none of ours.
        const { entities } = await (await api("GET", "/entities")).json();
        for (const e of entities.filter((x) => x.name.startsWith(name))) await api("DELETE", `/entities/${e.entity_id}`);
      }
      const { entities } = await (await api("GET", "/entities")).json();
      check(!entities.some((e) => e.name.startsWith(name)), "the added entity is removed");
    },
  ],
  [
    "paramètres du compte : une valeur hors limites, la double authentification refusée sans la sienne, puis des réglages enregistrés et gardés",
    async (t) => {
      const { page } = t;
      const { api } = await adminApi(t);
      const original = (await (await api("GET", "/tenant")).json()).settings;
      check(original.second_factor_required === false, "the demo does not require a second factor");
      const changed = {
        answer_grace_hours: original.answer_grace_hours === 6 ? 5 : 6,
        remind_open_after_days: original.remind_open_after_days === 10 ? 9 : 10,
        smart_exit_grace_days: original.smart_exit_grace_days === 90 ? 80 : 90,
        session_idle_minutes: original.session_idle_minutes === 45 ? 40 : 45,
      };
      const field = (key) => page.locator(`#setting-${key}`);
      try {
        await signIn(t);
        await page.getByRole("navigation").getByRole("link", { name: "Paramètres du compte" }).click();
        await loaded(page);
        for (const key of Object.keys(changed)) {
          const shown = await field(key).inputValue();
          check(shown === String(original[key]), `${key}: ${original[key]} stored, ${shown} shown`);
        }
        check(await field("auto_designation").isChecked() === original.auto_designation, "automatic designation as stored");
        await t.screen("48-parametres");

        await field("answer_grace_hours").fill("100");
        await page.getByRole("button", { name: "Enregistrer les paramètres" }).click();
        const graceError = page.locator("#setting-answer_grace_hours-error");
        await graceError.waitFor();
        check((await graceError.innerText()) === "La valeur doit aller de 1 à 72 heures.", "the bounds, next to the field");
        await t.screen("48a-parametres-erreur");

        await field("answer_grace_hours").fill(String(original.answer_grace_hours));
        await field("second_factor_required").check();
        await page.getByRole("button", { name: "Enregistrer les paramètres" }).click();
        const refusal = page.locator("#setting-second_factor_required-error");
        await refusal.waitFor();
        check((await refusal.innerText()).includes("Activez d'abord la double authentification sur votre propre compte"), "the refusal explained next to the setting");
        await checkNoRawCodes(page);
        await t.screen("48b-parametres-double-authentification-refusee");
        const still = (await (await api("GET", "/tenant")).json()).settings;
        check(still.second_factor_required === false, "nothing was saved");

        await field("second_factor_required").uncheck();
        for (const [key, value] of Object.entries(changed)) await field(key).fill(String(value));
        await field("auto_designation").setChecked(!original.auto_designation);
        await field("notify_driver_on_acknowledgement").setChecked(!original.notify_driver_on_acknowledgement);
        await page.getByRole("button", { name: "Enregistrer les paramètres" }).click();
        await page.getByRole("status").filter({ hasText: "Les paramètres sont enregistrés." }).waitFor();
        await t.screen("48c-parametres-enregistres");
        await page.reload();
        await loaded(page);
        for (const [key, value] of Object.entries(changed)) {
          const shown = await field(key).inputValue();
          check(shown === String(value), `${key} kept: ${value} saved, ${shown} shown after reloading`);
        }
        check(await field("auto_designation").isChecked() === !original.auto_designation, "automatic designation kept");
        check(await field("notify_driver_on_acknowledgement").isChecked() === !original.notify_driver_on_acknowledgement, "the driver's e-mail kept");
        const stored = (await (await api("GET", "/tenant")).json()).settings;
        check(stored.answer_grace_hours === changed.answer_grace_hours, "the API has the new grace window");
      } finally {
        // The answer scenarios count on the demo's grace window: put everything back.
        const restored = await api("PUT", "/tenant/settings", { ...original, second_factor_required: false });
        check(restored.ok, `the settings are put back: ${restored.status}`);
      }
    },
  ],
  [
    "un administrateur de l'Agence de Lyon ne gère que les utilisateurs et l'entité de Lyon",
    async (t) => {
      const { page } = t;
      const lyonAdmin = person("AdminLyon");
      const lyonUser = person("DesignLyon");
      const parisUser = person("DesignParis");
      const admin = await invitedByApi(t, lyonAdmin, [{ role: "admin", scope: ON_LYON }]);
      await setPasswordByLink(t, admin.link, PASSWORD);
      await invitedByApi(t, lyonUser);
      await invitedByApi(t, parisUser, [{ role: "designation", scope: { kind: "entities", entities: ["e-paris"] } }]);
      await signInAs(t, lyonAdmin.email, PASSWORD);
      const menu = await menuLabels(page);
      check(menu.includes("Utilisateurs") && menu.includes("Entités"), `an entity's admin manages users: ${menu.join(", ")}`);
      const tenantOnly = ["Journal d'accès", "Données personnelles", "Paramètres du compte"].filter((l) => menu.includes(l));
      check(tenantOnly.length === 0, `no tenant-wide item, got ${tenantOnly.join(", ")}`);

      await openUsers(t);
      check(await userRow(page, lyonUser.email).count() === 1, "Lyon's user is listed");
      check(await userRow(page, parisUser.email).count() === 0, "the Paris user is not");
      check(await userRow(page, EMAIL).count() === 0, "nor the tenant's admin");
      check((await userRow(page, lyonAdmin.email).innerText()).includes("(vous)"), "oneself, told");
      await t.screen("44-admin-entite-utilisateurs");

      await page.getByRole("link", { name: "Inviter un utilisateur" }).click();
      await loaded(page);
      await page.getByRole("checkbox", { name: "Désignation", exact: true }).check();
      const scope = page.getByRole("group", { name: "Entités couvertes par le rôle Désignation" });
      check(await scope.getByRole("radio").count() === 0, "no « all entities » for an entity's admin");
      const offered = await scope.getByRole("checkbox").evaluateAll((boxes) => boxes.map((b) => b.parentElement.textContent.trim()));
      check(JSON.stringify(offered) === JSON.stringify(["Agence de Lyon"]), `only Lyon is offered: ${offered.join(", ")}`);
      await t.screen("44a-admin-entite-invitation");

      await page.goto(`${t.base}/entites`);
      await loaded(page);
      const names = await page.locator("tbody th[scope=row]").allInnerTexts();
      check(JSON.stringify(names) === JSON.stringify(["Agence de Lyon"]), `only Lyon's entity: ${names.join(", ")}`);
      check(await page.getByRole("link", { name: "Modifier l'entité Agence de Lyon" }).count() === 1, "its admin may change it");
      check(await page.getByRole("link", { name: "Ajouter une entité" }).count() === 0, "but not add one");
      check(await page.getByRole("button", { name: /Supprimer l'entité/ }).count() === 0, "nor remove one");
      await t.screen("44b-admin-entite-entites");
    },
  ],
];
