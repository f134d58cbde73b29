// Mot de passe oublié: a code sent by e-mail, then a new password.
import { useState } from "preact/hooks";
import { type Cognito, SignInError } from "../auth/cognito";
import { navigate, onLinkClick } from "../router";
import { Field } from "./Field";
import { NewPasswordFields, newPasswordProblem } from "./NewPassword";

type Step = "email" | "code" | "done";

export function ForgotPassword({ cognito }: { cognito: Cognito }) {
  const [step, setStep] = useState<Step>("email");
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function attempt(work: () => Promise<void>, next: Step) {
    setBusy(true);
    try {
      await work();
      setStep(next);
    } catch (e) {
      setError(e instanceof SignInError ? e.message : "La demande a échoué : réessayez.");
    } finally {
      setBusy(false);
    }
  }

  function sendCode(event: Event) {
    event.preventDefault();
    setError(null);
    if (!email.trim()) return setError("Saisissez votre e-mail professionnel.");
    void attempt(() => cognito.forgotPassword(email.trim()), "code");
  }

  function reset(event: Event) {
    event.preventDefault();
    setError(null);
    if (!code.trim()) return setError("Saisissez le code reçu par e-mail.");
    const problem = newPasswordProblem(password, confirmation);
    if (problem) return setError(problem);
    void attempt(() => cognito.confirmForgotPassword(email.trim(), code.trim(), password), "done");
  }

  if (step === "done") {
    return (
      <main class="sign-in">
        <section class="card" aria-labelledby="reset-done-title">
          <h1 id="reset-done-title">Votre nouveau mot de passe est enregistré</h1>
          <p>Connectez-vous avec votre e-mail et ce mot de passe.</p>
          <button type="button" class="primary" onClick={() => navigate("/connexion")}>Se connecter</button>
        </section>
      </main>
    );
  }
  return (
    <main class="sign-in" onClick={onLinkClick}>
      <form class="card" onSubmit={step === "email" ? sendCode : reset} noValidate aria-labelledby="forgot-title">
        <p class="brand" aria-hidden="true">designa</p>
        <h1 id="forgot-title">Mot de passe oublié</h1>
        {step === "email" ? (
          <>
            <p class="hint">Nous vous envoyons par e-mail un code pour choisir un nouveau mot de passe.</p>
            <Field label="E-mail professionnel" id="forgot-email">
              <input id="forgot-email" type="email" autocomplete="username" value={email}
                onInput={(e) => setEmail(e.currentTarget.value)} />
            </Field>
          </>
        ) : (
          <>
            <p class="hint" role="status">
              Si un compte existe pour {email.trim()}, un code vient de lui être envoyé par e-mail.
            </p>
            <Field label="Code reçu par e-mail" id="forgot-code">
              <input id="forgot-code" inputMode="numeric" autocomplete="one-time-code" value={code}
                onInput={(e) => setCode(e.currentTarget.value)} />
            </Field>
            <NewPasswordFields password={password} confirmation={confirmation}
              onPassword={setPassword} onConfirmation={setConfirmation} />
          </>
        )}
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>
          {step === "email" ? "Recevoir un code" : "Enregistrer mon nouveau mot de passe"}
        </button>
        {step === "code" && (
          <button type="button" disabled={busy}
            onClick={() => { setError(null); setCode(""); void attempt(() => cognito.forgotPassword(email.trim()), "code"); }}>
            Recevoir un nouveau code
          </button>
        )}
        <p><a href="/connexion">Retour à la connexion</a></p>
      </form>
    </main>
  );
}
