// The tenant's settings as the form shows them: each with its French name,
// its one-sentence explanation, its bounds, and the check before sending.
import type { Schemas } from "../../api/client";

type Settings = Schemas["TenantSettings"];
export type SettingsInput = Schemas["SettingsInput"];

/** The settings typed as numbers. */
export type NumberSetting = "answer_grace_hours" | "remind_open_after_days" | "smart_exit_grace_days" | "session_idle_minutes";
/** The settings that are on or off. */
export type SwitchSetting = "auto_designation" | "notify_driver_on_acknowledgement" | "second_factor_required";

export interface NumberSpec {
  key: NumberSetting;
  label: string;
  unit: string;
  explain: string;
  min: number;
  max: number;
}

export const NUMBERS: NumberSpec[] = [
  { key: "answer_grace_hours", label: "Délai de grâce des réponses", unit: "heures", min: 1, max: 72,
    explain: "Pendant ce délai après une réponse, vous pouvez encore la modifier ou l'annuler avant son envoi à l'ANTAI." },
  { key: "remind_open_after_days", label: "Relance des avis sans réponse", unit: "jours", min: 1, max: 44,
    explain: "Un avis toujours sans réponse ce nombre de jours après son arrivée fait l'objet d'un rappel par e-mail." },
  { key: "smart_exit_grace_days", label: "Avis reçus après la sortie d'un véhicule", unit: "jours", min: 0, max: 365,
    explain: "Pendant ce nombre de jours après la sortie d'un véhicule de la flotte, les avis pour des infractions commises avant sa sortie vous parviennent encore." },
  { key: "session_idle_minutes", label: "Déconnexion après inactivité", unit: "minutes", min: 5, max: 240,
    explain: "Un utilisateur qui ne fait rien pendant ce temps est déconnecté de designa." },
];

export interface SwitchSpec {
  key: SwitchSetting;
  label: string;
  explain: string;
}

export const SWITCHES: SwitchSpec[] = [
  { key: "auto_designation", label: "Désignation automatique",
    explain: "Quand un seul conducteur avait le véhicule au moment de l'infraction, designa prépare sa désignation de lui-même ; elle reste modifiable pendant le délai de grâce." },
  { key: "notify_driver_on_acknowledgement", label: "Prévenir le conducteur désigné",
    explain: "Quand l'ANTAI a bien reçu la désignation, le conducteur désigné en est informé par e-mail (s'il a une adresse e-mail)." },
  { key: "second_factor_required", label: "Exiger la double authentification",
    explain: "Chaque utilisateur devra saisir à la connexion, en plus de son mot de passe, un code de son application d'authentification ; ceux qui ne l'ont pas encore activée y seront conduits." },
];

/** The form's values: numbers as typed, switches as they are. */
export type SettingsValues = Record<NumberSetting, string> & Record<SwitchSetting, boolean>;

/** The values of the stored settings (a setting the API leaves out takes the default it documents). */
export function settingsValues(s: Settings): SettingsValues {
  return {
    answer_grace_hours: String(s.answer_grace_hours),
    remind_open_after_days: String(s.remind_open_after_days ?? 7),
    smart_exit_grace_days: String(s.smart_exit_grace_days),
    session_idle_minutes: String(s.session_idle_minutes ?? 30),
    auto_designation: s.auto_designation,
    notify_driver_on_acknowledgement: s.notify_driver_on_acknowledgement ?? false,
    second_factor_required: s.second_factor_required ?? false,
  };
}

/** A whole number within the spec's bounds, or the sentence shown next to its field. */
export function numberProblem(spec: NumberSpec, typed: string): string | null {
  const text = typed.trim();
  if (!/^\d+$/.test(text)) return `Saisissez un nombre entier de ${spec.unit}, de ${spec.min} à ${spec.max}.`;
  const value = Number(text);
  if (value < spec.min || value > spec.max) return `La valeur doit aller de ${spec.min} à ${spec.max} ${spec.unit}.`;
  return null;
}

/** Each number's problem by setting, none when every value can be sent. */
export function valuesProblems(values: SettingsValues): Partial<Record<NumberSetting, string>> {
  const problems: Partial<Record<NumberSetting, string>> = {};
  for (const spec of NUMBERS) {
    const problem = numberProblem(spec, values[spec.key]);
    if (problem) problems[spec.key] = problem;
  }
  return problems;
}

/** What PUT /tenant/settings is sent (the values checked first). */
export function settingsInput(values: SettingsValues): SettingsInput {
  return {
    answer_grace_hours: Number(values.answer_grace_hours),
    remind_open_after_days: Number(values.remind_open_after_days),
    smart_exit_grace_days: Number(values.smart_exit_grace_days),
    session_idle_minutes: Number(values.session_idle_minutes),
    auto_designation: values.auto_designation,
    notify_driver_on_acknowledgement: values.notify_driver_on_acknowledgement,
    second_factor_required: values.second_factor_required,
  };
}
