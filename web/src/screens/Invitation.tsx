// The page an invitation e-mail links to (`/invitation?token=…`): the
// invited person chooses their password, then signs in.
import { useState } from "preact/hooks";
import { type Api, networkProblem, problemOf } from "../api/client";
import { navigate } from "../router";
import { NewPasswordFields, newPasswordProblem } from "./NewPassword";

export function Invitation({ api, token }: { api: Api; token: string | null }) {
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    const problem = newPasswordProblem(password, confirmation);
    if (problem) return setError(problem);
    setBusy(true);
    try {
      const { error: body, response } = await api.POST("/invitations/{token}", {
        params: { path: { token: token ?? "" } },
        body: { password },
      });
      if (response.status === 404) {
        return setError("Ce lien d'invitation n'est plus valable (déjà utilisé ou expiré). Demandez une nouvelle invitation à votre administrateur.");
      }
      if (!response.ok) return setError(problemOf(body, response.status).message);
      setDone(true);
    } catch {
      setError(networkProblem().message);
    } finally {
      setBusy(false);
    }
  }

  if (!token) {
    return (
      <main class="sign-in">
        <p class="card error" role="alert">Ce lien d'invitation est incomplet : ouvrez-le depuis l'e-mail reçu.</p>
      </main>
    );
  }
  if (done) {
    return (
      <main class="sign-in">
        <section class="card" aria-labelledby="done-title">
          <h1 id="done-title">Votre mot de passe est enregistré</h1>
          <p>Vous pouvez maintenant vous connecter avec votre e-mail et ce mot de passe.</p>
          <button type="button" class="primary" onClick={() => navigate("/connexion")}>Se connecter</button>
        </section>
      </main>
    );
  }
  return (
    <main class="sign-in">
      <form class="card" onSubmit={submit} noValidate aria-labelledby="invitation-title">
        <p class="brand" aria-hidden="true">designa</p>
        <h1 id="invitation-title">Choisissez votre mot de passe</h1>
        <p class="hint">Vous avez été invité à rejoindre designa. Ce lien ne sert qu'une fois.</p>
        <NewPasswordFields password={password} confirmation={confirmation}
          onPassword={setPassword} onConfirmation={setConfirmation} />
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>Enregistrer mon mot de passe</button>
      </form>
    </main>
  );
}
