// What a fleet manager does, screen by screen, against `make app`'s demo
// data (infra/tools/src/app_seed.rs): 15 notices, 2 due within 2 days, one
// refused answer, a driver assigned to three of the five vehicles. The
// screens of each area have their scenarios under e2e/areas/.
import { EMAIL, PASSWORD, totp, freshTotp, check, signIn, rows, openNoticeWhere, hasSuggestion, isAnswerable, typeDriver, adminApi, inviteColleague, colleagueWithPassword } from "./support.mjs";

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
