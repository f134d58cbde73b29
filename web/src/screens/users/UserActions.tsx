// Modifier, renvoyer l'invitation, désactiver, réactiver, supprimer (after
// a second, confirming click): one user's actions in the list.
import { useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { fullName } from "./state";

type User = Schemas["User"];

interface Props {
  user: User;
  /** The API refuses to deactivate or delete oneself: the buttons are not offered. */
  self: boolean;
  onChanged: (user: User) => void;
  onDeleted: (user: User) => void;
}

export function UserActions({ user, self, onChanged, onDeleted }: Props) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [resent, setResent] = useState(false);
  const name = fullName(user);
  const path = { params: { path: { userId: user.user_id } } };

  async function run(call: () => Promise<{ ok: boolean; problem?: Problem; user?: User }>) {
    setProblem(null);
    setBusy(true);
    try {
      const result = await call();
      if (!result.ok) return setProblem(result.problem ?? null);
      if (result.user) onChanged(result.user);
      else onDeleted(user);
    } catch {
      setProblem(networkProblem());
    } finally {
      setBusy(false);
    }
  }
  const setActive = (active: boolean) => run(async () => {
    const { data, error, response } = active
      ? await api.POST("/users/{userId}/reactivate", path)
      : await api.POST("/users/{userId}/deactivate", path);
    return data ? { ok: true, user: data } : { ok: false, problem: problemOf(error, response.status) };
  });
  const resend = () => run(async () => {
    const { data, error, response } = await api.POST("/users/{userId}/invitation", path);
    setResent(!!data);
    return data ? { ok: true, user: data } : { ok: false, problem: problemOf(error, response.status) };
  });
  const remove = () => run(async () => {
    const { error, response } = await api.DELETE("/users/{userId}", path);
    return response.ok ? { ok: true } : { ok: false, problem: problemOf(error, response.status) };
  });

  const deactivated = user.state === "deactivated";
  return (
    <div class="row-actions">
      <a href={`/utilisateurs/${encodeURIComponent(user.user_id)}`} aria-label={`Modifier ${name}`}>Modifier</a>
      {self && <span class="muted">C'est votre compte : seul un autre administrateur peut le désactiver ou le supprimer.</span>}
      {!self && !confirming && (
        <>
          {user.state === "invited" && (
            <button type="button" disabled={busy} aria-label={`Renvoyer l'invitation à ${name}`}
              onClick={() => void resend()}>
              Renvoyer l'invitation
            </button>
          )}
          <button type="button" disabled={busy} aria-label={`${deactivated ? "Réactiver" : "Désactiver"} ${name}`}
            onClick={() => void setActive(deactivated)}>
            {deactivated ? "Réactiver" : "Désactiver"}
          </button>
          <button type="button" class="danger" disabled={busy} aria-label={`Supprimer ${name}`}
            onClick={() => setConfirming(true)}>
            Supprimer
          </button>
        </>
      )}
      {!self && confirming && (
        <div class="confirm" role="group" aria-label={`Supprimer ${name} ?`}>
          <p>Supprimer définitivement {name} ? Son accès est retiré, et ses nom et e-mail effacés.</p>
          <div class="confirm-buttons">
            <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>
              Confirmer la suppression
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>Annuler</button>
          </div>
        </div>
      )}
      {resent && <p role="status" class="saved">Une nouvelle invitation, valable 7 jours, a été envoyée à {user.email}.</p>}
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </div>
  );
}
