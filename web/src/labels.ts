// The French words for the API's states.
import type { components } from "./api/schema";

type NoticeStatus = components["schemas"]["NoticeStatus"];
type AnswerState = components["schemas"]["AnswerState"];

export const NOTICE_STATUS: Record<NoticeStatus, string> = {
  OPEN: "À traiter",
  ANSWER_PENDING: "Réponse en attente d'envoi",
  ANSWER_SENT: "Réponse envoyée",
  ACKNOWLEDGED: "Réponse acceptée par l'ANTAI",
  ANSWER_IN_ERROR: "Réponse refusée : à corriger",
  GONE_TO_PAPER: "Parti en avis papier",
};

export const ANSWER_STATE: Record<AnswerState, string> = {
  PENDING: "En attente d'envoi (modifiable)",
  SENT: "Envoyée à l'ANTAI",
  IN_PROGRESS: "En cours de traitement à l'ANTAI",
  ACKNOWLEDGED: "Acceptée par l'ANTAI",
  IN_ERROR: "Refusée par l'ANTAI",
  CANCELLED: "Annulée",
};

export const OTHER_REASONS = {
  vehicle_sold: "Véhicule vendu",
  vehicle_returned: "Véhicule restitué (fin de location)",
  vehicle_stolen: "Véhicule volé",
  vehicle_unknown: "Véhicule inconnu de la société",
  error: "Erreur (avec justification)",
  plate_usurpation: "Usurpation de plaque",
  paper_notice_requested: "Demande de l'avis papier",
} as const;

export type OtherReason = keyof typeof OTHER_REASONS;

/** A few countries first, then the rest of the ISO 3166-1 alpha-3 list the API accepts. */
export const COUNTRIES: [string, string][] = [
  ["FRA", "France"],
  ["BEL", "Belgique"],
  ["CHE", "Suisse"],
  ["LUX", "Luxembourg"],
  ["DEU", "Allemagne"],
  ["ESP", "Espagne"],
  ["ITA", "Italie"],
  ["PRT", "Portugal"],
  ["NLD", "Pays-Bas"],
  ["GBR", "Royaume-Uni"],
  ["POL", "Pologne"],
  ["ROU", "Roumanie"],
  ["MAR", "Maroc"],
  ["DZA", "Algérie"],
  ["TUN", "Tunisie"],
  ["MCO", "Monaco"],
  ["AND", "Andorre"],
];
