// Sécurité: the second factor. The user scans a QR code with an
// authenticator app, types its first code, and from then on every sign-in
// asks for one.
import { useEffect, useState } from "preact/hooks";
import { SignInError } from "../auth/cognito";
import { useApp } from "../context";
import { Field } from "./Field";

type State = "loading" | "off" | "enrolling" | "on" | "failed";

export function SecurityScreen() {
  const { cognito, session, me } = useApp();
  const [state, setState] = useState<State>("loading");
  const [secret, setSecret] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Sent here by the API's refusal, or by the tenant's setting.
  const required = new URLSearchParams(location.search).has("obligatoire") || me.tenant.second_factor_required;

  async function withToken<T>(work: (token: string) => Promise<T>): Promise<T> {
    const token = await session.accessToken();
    if (!token) throw new SignInError("Votre session a pris fin : reconnectez-vous.");
    return work(token);
  }

  useEffect(() => {
    withToken((t) => cognito.totpEnabled(t)).then((on) => setState(on ? "on" : "off"), () => setState("failed"));
  }, []);

  async function act(work: () => Promise<void>) {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (e) {
      setError(e instanceof SignInError ? e.message : "L'opération a échoué : réessayez.");
    } finally {
      setBusy(false);
    }
  }

  const start = () => act(async () => {
    setSecret(await withToken((t) => cognito.newTotpSecret(t)));
    setState("enrolling");
  });
  const confirm = (event: Event) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) return setError("Saisissez les 6 chiffres affichés par votre application.");
    void act(async () => {
      await withToken((t) => cognito.enableTotp(t, code.trim()));
      setState("on");
    });
  };

  return (
    <section aria-labelledby="security-title">
      <h1 id="security-title">Sécurité du compte</h1>
      {required && state !== "on" && (
        <p class="error" role="alert">
          Votre compte client exige la double authentification : activez-la ci-dessous pour accéder à designa.
        </p>
      )}
      <div class="card">
        <h2>Double authentification</h2>
        {state === "loading" && <p aria-busy="true">Chargement…</p>}
        {state === "failed" && <p class="error" role="alert">L'état de la double authentification n'a pas pu être lu : réessayez plus tard.</p>}
        {state === "on" && (
          <p class="saved" role="status">Activée : un code de votre application d'authentification vous est demandé à chaque connexion.</p>
        )}
        {state === "off" && (
          <>
            <p>Protégez votre compte : à chaque connexion, en plus du mot de passe, un code à 6 chiffres affiché par une application d'authentification (sur votre téléphone) vous sera demandé.</p>
            {error && <p class="error" role="alert">{error}</p>}
            <button type="button" class="primary" disabled={busy} onClick={() => void start()}>Activer la double authentification</button>
          </>
        )}
        {state === "enrolling" && (
          <form onSubmit={confirm} noValidate>
            <ol class="steps">
              <li>Ouvrez votre application d'authentification et scannez ce code :
                <TotpQrCode uri={otpauthUri(me.user.email, secret)} />
                <span class="muted">Ou saisissez cette clé : <code class="secret">{groupsOfFour(secret)}</code></span>
              </li>
              <li>Saisissez le code à 6 chiffres qu'elle affiche.</li>
            </ol>
            <Field label="Code de l'application" id="enrol-code">
              <input id="enrol-code" inputMode="numeric" autocomplete="one-time-code" maxLength={6} value={code}
                onInput={(e) => setCode(e.currentTarget.value)} />
            </Field>
            {error && <p class="error" role="alert">{error}</p>}
            <button type="submit" class="primary" disabled={busy}>Vérifier et activer</button>
          </form>
        )}
      </div>
    </section>
  );
}

function otpauthUri(email: string, secret: string): string {
  return `otpauth://totp/designa:${encodeURIComponent(email)}?secret=${secret}&issuer=designa`;
}

function groupsOfFour(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

/** The QR code as SVG squares (the encoder loads with this screen only). */
function TotpQrCode({ uri }: { uri: string }) {
  const [modules, setModules] = useState<boolean[][] | null>(null);
  useEffect(() => {
    void import("uqr").then(({ encode }) => setModules(encode(uri, { border: 2 }).data));
  }, [uri]);
  if (!modules) return <p aria-busy="true">Préparation du QR code…</p>;
  const size = modules.length;
  const squares = modules.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : ""))).join("");
  return (
    <svg class="qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label="QR code à scanner avec l'application d'authentification">
      <rect width={size} height={size} fill="#fff" />
      <path d={squares} fill="#000" />
    </svg>
  );
}
