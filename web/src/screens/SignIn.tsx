import { useState } from "preact/hooks";
import { type Cognito, SignInError } from "../auth/cognito";
import { onLinkClick } from "../router";
import type { Session } from "../auth/session";
import { Field } from "./Field";

interface Props {
  cognito: Cognito;
  session: Session;
  onSignedIn: () => void;
}

export function SignIn({ cognito, session, onSignedIn }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    if (!email.trim() || !password) {
      setError("Saisissez votre e-mail et votre mot de passe.");
      return;
    }
    setBusy(true);
    try {
      const result = await cognito.signIn(email.trim(), password);
      if (result.kind === "signed-in") {
        session.start(result.tokens);
        onSignedIn();
      } else {
        setError("Une vérification supplémentaire est demandée : elle n'est pas encore disponible ici.");
      }
    } catch (e) {
      setError(e instanceof SignInError ? e.message : "La connexion a échoué : réessayez.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in" onClick={onLinkClick}>
      <form class="card" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
        <p class="brand" aria-hidden="true">designa</p>
        <h1 id="sign-in-title">Connexion</h1>
        <p class="hint">Désignez les conducteurs de votre flotte dans le délai légal de 45 jours.</p>
        <Field label="E-mail professionnel" id="email">
          <input id="email" type="email" autocomplete="username" value={email}
            onInput={(e) => setEmail(e.currentTarget.value)} required />
        </Field>
        <Field label="Mot de passe" id="password">
          <input id="password" type="password" autocomplete="current-password" value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} required />
        </Field>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Connexion…" : "Se connecter"}
        </button>
        <p><a href="/mot-de-passe-oublie">Mot de passe oublié ?</a></p>
      </form>
    </main>
  );
}
