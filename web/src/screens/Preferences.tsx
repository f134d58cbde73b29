// Préférences de notification: when the signed-in user hears of each kind
// of event.
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../api/client";
import { useApp } from "../context";

type Preferences = Schemas["NotificationPreferences"];
type Delivery = Schemas["Delivery"];

const KINDS: [keyof Preferences, string, string][] = [
  ["new_notices", "Nouveaux avis", "Un avis arrive pour un véhicule de votre périmètre."],
  ["reminders", "Relances", "Un avis reste sans réponse."],
  ["deadline_approaching", "Échéance proche", "Le délai de 45 jours se termine bientôt."],
  ["answer_in_error", "Réponse refusée", "L'ANTAI refuse une réponse : elle est à corriger."],
  ["gone_to_paper", "Avis papier", "Le délai est passé sans réponse acceptée : l'avis papier va arriver par courrier."],
  ["answer_acknowledged", "Réponse reçue", "L'ANTAI accuse réception d'une réponse : l'obligation est remplie pour cet avis."],
];

const DELIVERIES: [Delivery, string][] = [
  ["immediately", "Immédiat"],
  ["daily_digest", "Quotidien"],
  ["weekly_digest", "Hebdomadaire"],
  ["never", "Jamais"],
];

export function PreferencesScreen() {
  const { api } = useApp();
  const [choices, setChoices] = useState<Preferences | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api.GET("/me/notification-preferences").then(
      ({ data, error, response }) => (data ? setChoices(data.preferences) : setProblem(problemOf(error, response.status))),
      () => setProblem(networkProblem()),
    );
  }, []);

  async function save(event: Event) {
    event.preventDefault();
    if (!choices) return;
    setProblem(null);
    setSaved(false);
    try {
      const { data, error, response } = await api.PUT("/me/notification-preferences", { body: choices });
      if (!data) return setProblem(problemOf(error, response.status));
      setChoices(data.preferences);
      setSaved(true);
    } catch {
      setProblem(networkProblem());
    }
  }

  return (
    <section aria-labelledby="preferences-title">
      <h1 id="preferences-title">Préférences de notification</h1>
      <p class="hint">Choisissez quand designa vous écrit, pour chaque sorte d'événement.</p>
      {!choices && !problem && <p aria-busy="true">Chargement…</p>}
      {choices && (
        <form class="card" onSubmit={save}>
          {KINDS.map(([kind, label, hint]) => (
            <fieldset key={kind} class="delivery">
              <legend>{label}</legend>
              <p class="hint">{hint}</p>
              {DELIVERIES.map(([value, text]) => (
                <label key={value} class="radio">
                  <input type="radio" name={kind} value={value} checked={choices[kind] === value}
                    onChange={() => { setSaved(false); setChoices({ ...choices, [kind]: value }); }} />
                  {text}
                </label>
              ))}
            </fieldset>
          ))}
          <button type="submit" class="primary">Enregistrer</button>
          {saved && <p role="status" class="saved">Vos préférences sont enregistrées.</p>}
        </form>
      )}
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </section>
  );
}
