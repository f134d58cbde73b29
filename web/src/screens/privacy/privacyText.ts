// Data-subject requests in plain French: the rights, which apply to whom,
// and what the register says was done (functions/api/src/privacy.rs).
import type { Schemas } from "../../api/client";

export type Right = Schemas["Right"];
export type SubjectType = Schemas["SubjectType"];
type Entry = Schemas["PrivacyRegisterEntry"];

export const RIGHTS: Record<Right, string> = {
  access: "Accès aux données (art. 15)",
  rectification: "Rectification (art. 16)",
  erasure: "Effacement (art. 17)",
  restriction: "Limitation du traitement (art. 18)",
  lift_restriction: "Levée de la limitation (art. 18)",
  portability: "Portabilité (art. 20)",
  objection: "Opposition (art. 21)",
};

export const SUBJECT_TYPES: Record<SubjectType, string> = {
  driver: "Un conducteur de la base",
  designee: "Une personne désignée par saisie sur un avis",
  user: "Un utilisateur de designa",
};

/** What choosing the right does, for each kind of person. */
const WHAT: Record<SubjectType, Partial<Record<Right, string>>> = {
  driver: {
    access: "Un fichier (JSON) avec tout ce que designa garde sur le conducteur : sa fiche, ses attributions, ses désignations et qui les a consultées.",
    portability: "Un fichier (JSON) réutilisable avec les données que le conducteur a fournies : noms, adresse, e-mails.",
    rectification: "Corriger ses noms, son adresse ou ses e-mails.",
    erasure: "Effacer sa fiche, ses attributions et les fichiers qui le nomment. Ses désignations passées restent comme preuve, au nom « [effacé] ».",
    restriction: "Le conducteur n'est plus désigné, suggéré ni exporté tant que la limitation dure.",
    lift_restriction: "Le conducteur peut de nouveau être désigné, suggéré et exporté.",
    objection: "Le conducteur n'est plus désigné automatiquement à partir du planning ; le désigner à la main reste possible (obligation légale).",
  },
  designee: {
    access: "Un fichier (JSON) avec la désignation de cet avis et son historique.",
    portability: "Un fichier (JSON) réutilisable avec les données saisies sur la personne.",
    erasure: "Effacer les données de la personne sur cet avis ; la désignation reste comme preuve, au nom « [effacé] ».",
    rectification: "Sera refusée : une désignation saisie se corrige depuis la réponse, sur la page de l'avis.",
    objection: "Sera refusée : désigner le conducteur d'une infraction est une obligation légale de l'entreprise.",
  },
  user: {
    access: "Un fichier (JSON) avec le compte de l'utilisateur, ses préférences et ce qu'il a fait d'après le journal.",
    portability: "Un fichier (JSON) réutilisable avec ses noms et son e-mail.",
    rectification: "Corriger son prénom ou son nom (un changement d'e-mail passe par une nouvelle invitation).",
    erasure: "Supprimer son compte et effacer ses données ; le journal garde son identifiant un an.",
    restriction: "Sera refusée : le traitement des données d'un utilisateur se limite en désactivant son compte (page Utilisateurs).",
    objection: "Sera refusée : le compte sert au contrat de service de l'entreprise ; désactivez-le ou effacez-le.",
  },
};

/** The rights offered for this kind of person, each with what it does. */
export function rightsFor(type: SubjectType, restricted = false): [Right, string][] {
  const order: Right[] = ["access", "portability", "rectification", "erasure",
    restricted ? "lift_restriction" : "restriction", "objection"];
  return order.flatMap((right) => {
    const what = WHAT[type][right];
    return what ? [[right, what] as [Right, string]] : [];
  });
}

/** What the submit button says, for the right chosen. */
export const ACT: Record<Right, string> = {
  access: "Télécharger les données",
  portability: "Télécharger les données portables",
  rectification: "Enregistrer la rectification",
  erasure: "Effacer les données",
  restriction: "Limiter le traitement",
  lift_restriction: "Lever la limitation",
  objection: "Enregistrer l'opposition",
};

const FIELDS: Record<string, string> = {
  last_name: "nom",
  first_name: "prénom",
  address: "adresse",
  personal_email: "e-mail personnel",
  professional_email: "e-mail professionnel",
};

const count = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;
const length = (value: unknown) => (Array.isArray(value) ? value.length : Number(value ?? 0));

/** The notices whose answer is still on its way to ANTAI, when that is why an erasure was refused. */
export function noticesInFlight(entry: Entry): string[] {
  const found = (entry.details as { notices_in_flight?: unknown }).notices_in_flight;
  return Array.isArray(found) ? found.map(String) : [];
}

/** Why a request was refused, in the app's words where the API's name its routes. */
export function reasonText(entry: Entry): string {
  if (noticesInFlight(entry).length > 0) {
    return "La personne est désignée dans une réponse encore en route vers l'ANTAI : la désignation est une obligation légale (RGPD art. 17.3.b). Redemandez l'effacement une fois la réponse acceptée par l'ANTAI, ou après l'avoir retirée pendant son délai de grâce.";
  }
  const type = entry.subject.type;
  if (type === "designee" && ["rectification", "restriction", "lift_restriction"].includes(entry.right)) {
    return "Une désignation saisie se corrige ou se retire depuis la réponse, sur la page de l'avis.";
  }
  if (type === "user" && (entry.right === "restriction" || entry.right === "lift_restriction")) {
    return "Le traitement des données d'un utilisateur se limite en désactivant son compte, depuis la page Utilisateurs.";
  }
  return entry.reason ?? "La demande n'a pas pu être satisfaite.";
}

/** What was done, sentence by sentence (the register holds counts, never the data). */
export function detailsText(entry: Entry): string[] {
  const d = entry.details as Record<string, unknown>;
  const lines = entry.outcome === "done" ? doneText(entry.right, entry.subject.type, d) : [];
  if (d.confirmation_sent === true) lines.push("Le demandeur a reçu un e-mail de confirmation.");
  if (d.confirmation_sent === false) lines.push("L'e-mail de confirmation au demandeur n'a pas pu partir : prévenez-le vous-même.");
  return lines;
}

function doneText(right: Right, type: SubjectType, d: Record<string, unknown>): string[] {
  switch (right) {
    case "access":
      if (type === "user") return [`Données remises, dont ${count(length(d.journal_entries), "action inscrite", "actions inscrites")} au journal.`];
      return [`Données remises : ${type === "driver" ? `${count(length(d.assignments), "attribution", "attributions")}, ` : ""}${count(length(d.designations), "désignation", "désignations")}.`];
    case "portability":
      return ["Données remises dans un format réutilisable."];
    case "rectification": {
      const fields = Array.isArray(d.fields) ? d.fields.map((f) => FIELDS[String(f)] ?? "autre champ") : [];
      return [fields.length ? `Corrigé : ${fields.join(", ")}.` : "Rien n'était à corriger."];
    }
    case "erasure":
      return erasureText(type, d);
    case "restriction":
      return ["Traitement limité : le conducteur n'est plus désigné, suggéré ni exporté."];
    case "lift_restriction":
      return ["Limitation levée."];
    case "objection":
      return ["Plus de désignation automatique pour ce conducteur."];
  }
}

function erasureText(type: SubjectType, d: Record<string, unknown>): string[] {
  if (type === "user") {
    const invitations = length(d.invitations_deleted);
    return [`Compte supprimé et données effacées${invitations ? ` (${count(invitations, "invitation", "invitations")} en attente supprimée${invitations > 1 ? "s" : ""})` : ""}.`];
  }
  const lines = ["Données effacées : elles ne peuvent plus être lues, sauvegardes comprises."];
  const done: string[] = [];
  if (length(d.assignments_deleted)) done.push(`${count(length(d.assignments_deleted), "attribution supprimée", "attributions supprimées")}`);
  if (length(d.outbound_files_deleted)) done.push(`${count(length(d.outbound_files_deleted), "fichier d'envoi à l'ANTAI supprimé", "fichiers d'envoi à l'ANTAI supprimés")}`);
  if (length(d.imports_deleted)) done.push(`${count(length(d.imports_deleted), "import de fichier supprimé", "imports de fichiers supprimés")}`);
  if (done.length) lines.push(`${done.join(", ")}.`.replace(/^./, (c) => c.toUpperCase()));
  const kept = length(d.designations_kept_as_proof);
  if (kept) lines.push(`${count(kept, "désignation gardée", "désignations gardées")} comme preuve, au nom « [effacé] ».`);
  return lines;
}

/** Names still on hand, by id (undefined once the person is gone). */
export interface PeopleNames {
  driver: (id: string) => string | undefined;
  user: (id: string) => string | undefined;
}

/** Who the request is about; `erased` when the register holds its erasure. */
export function subjectText(subject: Schemas["PrivacySubject"], names: PeopleNames, erased: boolean): string {
  switch (subject.type) {
    case "driver": {
      const name = names.driver(subject.id);
      if (name) return `Conducteur : ${name}`;
      return erased ? "Conducteur effacé" : "Conducteur supprimé de la base";
    }
    case "user": {
      const name = names.user(subject.id);
      if (name) return `Utilisateur : ${name}`;
      return erased ? "Utilisateur effacé" : "Utilisateur supprimé";
    }
    case "designee":
      return `Personne désignée sur l'avis n° ${subject.id}`;
  }
}

/** The subjects the register shows erased (`type:id`). */
export function erasedSubjects(entries: Entry[]): Set<string> {
  const erased = entries.filter((e) => e.right === "erasure" && e.outcome === "done");
  return new Set(erased.map((e) => `${e.subject.type}:${e.subject.id}`));
}
