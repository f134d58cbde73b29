// Paramètres du compte: the tenant's settings (its admins only), each
// explained in one sentence.
import { useEffect, useState } from "preact/hooks";
import { type Problem, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { SettingsForm } from "./SettingsForm";
import { type SettingsValues, settingsInput, settingsValues } from "./settings";

export function SettingsScreen() {
  const { api, session, refreshMe } = useApp();
  const [values, setValues] = useState<SettingsValues | null>(null);
  const [tenantName, setTenantName] = useState("");
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api.GET("/tenant").then(({ data, error, response }) => {
      if (!data) return setLoadProblem(problemOf(error, response.status));
      setTenantName(data.name);
      setValues(settingsValues(data.settings));
    }, () => setLoadProblem(networkProblem()));
  }, []);

  async function save(typed: SettingsValues) {
    setProblem(null);
    setSaved(false);
    setBusy(true);
    try {
      const { data, error, response } = await api.PUT("/tenant/settings", { body: settingsInput(typed) });
      if (!data) return setProblem(problemOf(error, response.status));
      // This very session follows the new idle time at once.
      session.setIdleMinutes(data.settings.session_idle_minutes ?? 0);
      setValues(settingsValues(data.settings));
      setSaved(true);
      refreshMe();
    } catch {
      setProblem(networkProblem());
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="settings-area" aria-labelledby="settings-title" data-loaded={String(values !== null)}>
      <h1 id="settings-title">Paramètres du compte</h1>
      <p class="hint">
        Ces réglages valent pour tous les utilisateurs{tenantName ? ` de ${tenantName}` : ""}.
      </p>
      {loadProblem && <p class="error" role="alert">{loadProblem.message}</p>}
      {!values && !loadProblem && <p aria-busy="true">Chargement…</p>}
      {values && (
        <SettingsForm key={JSON.stringify(values)} initial={values} busy={busy} problem={problem} saved={saved}
          onChange={() => setSaved(false)} onSubmit={(typed) => void save(typed)} />
      )}
    </section>
  );
}
