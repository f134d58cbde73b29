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
  // Set once the password is right and the authenticator app's code is due.
  const [totpSession, setTotpSession] = useState<string | null>(null);
  const [code, setCode] = useState("");

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    if (totpSession) return void answerTotp(totpSession);
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
      } else if (result.challenge === "SOFTWARE_TOKEN_MFA") {
        setTotpSession(result.session);
      } else {
        setError("Une vérification supplémentaire est demandée : elle n'est pas encore disponible ici.");
      }
    } catch (e) {
      setError(e instanceof SignInError ? e.message : "La connexion a échoué : réessayez.");
    } finally {
      setBusy(false);
    }
  }

  async function answerTotp(challenge: string) {
    if (!/^\d{6}$/.test(code.trim())) return setError("Saisissez les 6 chiffres affichés par votre application.");
    setBusy(true);
    try {
      session.start(await cognito.answerTotp(email.trim(), challenge, code.trim()));
      onSignedIn();
    } catch (e) {
      setError(e instanceof SignInError ? e.message : "La connexion a échoué : réessayez.");
    } finally {
      setBusy(false);
    }
  }

  if (totpSession) {
    return (
      <main class="sign-in">
        <form class="card" onSubmit={submit} noValidate aria-labelledby="totp-title">
          <p class="brand" aria-hidden="true">designa</p>
          <h1 id="totp-title">Double authentification</h1>
          <p class="hint">Saisissez le code à 6 chiffres affiché par votre application d'authentification.</p>
          <Field label="Code de l'application" id="totp-code">
            <input id="totp-code" inputMode="numeric" autocomplete="one-time-code" maxLength={6} value={code}
              onInput={(e) => setCode(e.currentTarget.value)} />
          </Field>
          {error && <p class="error" role="alert">{error}</p>}
          <button type="submit" class="primary" disabled={busy}>Vérifier</button>
        </form>
      </main>
    );
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
