// The journal's entries in plain French: the action codes the API writes
// (functions/api, the workers, the sign-in trigger) and their targets.
import type { Schemas } from "../../api/client";

type Entry = Schemas["JournalEntry"];
type ChainCheck = Schemas["ChainCheck"];

/** What each action code means, as a noun ("Consultation"). */
export const ACTIONS: Record<string, string> = {
  read: "Consultation",
  create: "Création",
  update: "Modification",
  delete: "Suppression",
  export: "Export",
  import: "Import d'un fichier",
  apply: "Application d'une mise à jour de la flotte",
  invite: "Invitation",
  deactivate: "Désactivation du compte",
  reactivate: "Réactivation du compte",
  answer: "Réponse à un avis",
  cancel_answer: "Retrait d'une réponse",
  transmit: "Transmission à l'ANTAI",
  in_progress: "Prise en charge par l'ANTAI",
  acknowledged: "Acceptation par l'ANTAI",
  refused: "Refus par l'ANTAI",
  sign_in: "Connexion",
};

/** The data-subject rights, as the journal's `privacy:<right>` names them. */
export const RIGHTS: Record<string, string> = {
  access: "accès aux données",
  rectification: "rectification",
  erasure: "effacement",
  portability: "portabilité",
  restriction: "limitation du traitement",
  lift_restriction: "levée de la limitation",
  objection: "opposition",
};

/** The action filter's choices: a few families rather than every code. */
export const ACTION_FAMILIES: [string, string, (action: string) => boolean][] = [
  ["read", "Consultations", (a) => a === "read"],
  ["write", "Créations, modifications, suppressions", (a) => ["create", "update", "delete", "invite", "deactivate", "reactivate"].includes(a)],
  ["answers", "Réponses aux avis", (a) => a === "answer" || a === "cancel_answer"],
  ["antai", "Échanges avec l'ANTAI", (a) => ["transmit", "in_progress", "acknowledged", "refused"].includes(a)],
  ["files", "Exports et imports", (a) => ["export", "import", "apply"].includes(a)],
  ["privacy", "Demandes RGPD", (a) => a.startsWith("privacy:")],
  ["sign_in", "Connexions", (a) => a === "sign_in"],
];

export function actionLabel(action: string): string {
  if (action.startsWith("privacy:")) {
    const right = RIGHTS[action.slice("privacy:".length)];
    return right ? `Demande RGPD : ${right}` : "Demande RGPD";
  }
  return ACTIONS[action] ?? "Autre opération";
}

/** What the target names, and the app's page about it when there is one. */
export interface Target {
  text: string;
  href?: string;
}

/** Names the API ids can be read as. */
export interface Names {
  /** The signed-in user's id: their own account reads "votre compte". */
  self: string;
  /** Who did it, as the "Qui" column says it ("Vous", "designa (automatique)"…). */
  actor: (id: string) => string;
  /** A user's full name, while the user exists. */
  person: (id: string) => string | undefined;
  entity: (id: string) => string | undefined;
}

const count = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;
/** Enough of an id to tell two apart, never the whole code. */
const short = (id: string) => id.slice(0, 8);

/** `drivers:list(3)` → 3; `export:x(15 notices)` → 15. */
function counted(target: string): number | undefined {
  const found = target.match(/\((\d+)[^)]*\)$/);
  return found ? Number(found[1]) : undefined;
}

export function targetOf(entry: Entry, names: Names): Target {
  const { target } = entry;
  if (target === "journal") return { text: "le journal d'accès" };
  if (target === "tenant:settings") return { text: "les paramètres du compte" };
  if (target === "vehicles:export") return { text: "la flotte (fichier Excel)" };
  const [kind, ...rest] = target.split(":");
  const id = rest.join(":");
  switch (kind) {
    case "notice": return noticeTarget(id);
    case "answers": return { text: count(id.split(",").filter(Boolean).length, "réponse", "réponses") };
    case "driver": return { text: `un conducteur (réf. ${short(id)})`, href: `/conducteurs/${encodeURIComponent(id)}` };
    case "drivers": return driversTarget(target);
    case "vehicle":
      return id.endsWith(":drivers")
        ? { text: "qui conduisait un véhicule" }
        : { text: "un véhicule" };
    case "assignment": return { text: "une attribution du planning" };
    case "entity": {
      const name = names.entity(id);
      return { text: name ? `l'entité ${name}` : "une entité supprimée" };
    }
    case "user": return userTarget(id, names);
    case "export": {
      const notices = counted(target);
      return { text: notices === undefined ? "un export des avis" : `un export des avis (${count(notices, "avis", "avis")})` };
    }
    case "import": return { text: "un fichier importé" };
    default: return { text: "un autre élément du compte" };
  }
}

function noticeTarget(rest: string): Target {
  const [number, detail] = rest.split(":");
  const href = `/avis/${encodeURIComponent(number)}`;
  if (detail === "answer") return { text: `la réponse à l'avis n° ${number}`, href };
  if (detail === "suggestions") return { text: `les conducteurs suggérés pour l'avis n° ${number}`, href };
  return { text: `la personne désignée sur l'avis n° ${number}`, href };
}

function userTarget(id: string, names: Names): Target {
  const [userId, detail] = id.split(":");
  const preferences = detail === "preferences";
  if (userId === names.self) return { text: preferences ? "vos préférences de notification" : "votre compte" };
  const who = names.person(userId);
  if (!who) return { text: preferences ? "les préférences d'un utilisateur supprimé" : "le compte d'un utilisateur supprimé" };
  return { text: preferences ? `les préférences de notification de ${who}` : `le compte de ${who}` };
}

function driversTarget(target: string): Target {
  const n = counted(target) ?? 0;
  const drivers = count(n, "conducteur", "conducteurs");
  if (target.startsWith("drivers:export")) return { text: `la liste des conducteurs en Excel (${drivers})` };
  return { text: `la liste des conducteurs (${drivers})` };
}

/** The verification's result, sentence by sentence. */
export interface CheckText {
  intact: boolean;
  headline: string;
  details: string[];
  problems: string[];
}

export function checkText(check: ChainCheck): CheckText {
  const problems = check.problems.map((p) => `Entrée n° ${p.seq} : ${p.problem}.`);
  const details = check.intact ? intactDetails(check) : brokenDetails(check);
  if (check.expired_up_to != null) {
    details.push(`Les entrées n° 1 à ${check.expired_up_to}, de plus d'un an, ont été supprimées comme prévu (conservation d'un an) : ce n'est pas une altération.`);
  }
  const first = Math.min(...check.problems.map((p) => p.seq));
  const headline = check.intact
    ? "Le journal est intact : aucune entrée n'a été modifiée, retirée ni ajoutée après coup."
    : `Le journal a été altéré : ${count(check.problems.length, "anomalie trouvée", "anomalies trouvées")}${check.problems.length ? `, la première à l'entrée n° ${first}` : ""}.`;
  return { intact: check.intact, headline, details, problems };
}

function range(check: ChainCheck, one: string, many: string): string {
  return `${count(check.entries, one, many)}, de la n° ${check.first_seq} à la n° ${check.last_seq}`;
}

function anchors(check: ChainCheck): string {
  const n = check.anchors_checked;
  return `${count(n, "copie scellée", "copies scellées")} du journal (que personne ne peut modifier)`;
}

function intactDetails(check: ChainCheck): string[] {
  const details = [check.entries === 0
    ? "Le journal ne contient encore aucune entrée."
    : `${range(check, "entrée vérifiée", "entrées vérifiées")} : chacune suit bien la précédente.`];
  if (check.head_seq != null) {
    details.push(`La dernière entrée inscrite (n° ${check.head_seq}) est bien là : rien n'a été retiré à la fin.`);
  }
  details.push(check.anchors_checked > 0
    ? `${anchors(check)} ${check.anchors_checked > 1 ? "concordent" : "concorde"} avec lui.`
    : "Aucune copie scellée n'a encore été faite (elles sont faites une fois par jour d'activité) : la chaîne a été vérifiée avec sa dernière entrée inscrite.");
  return details;
}

function brokenDetails(check: ChainCheck): string[] {
  const details = [check.entries === 0 ? "Aucune entrée n'a été trouvée." : `${range(check, "entrée examinée", "entrées examinées")}.`];
  if (check.anchors_checked > 0) details.push(`Comparé à ${anchors(check)}.`);
  return details;
}
