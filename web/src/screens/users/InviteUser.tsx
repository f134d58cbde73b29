// Inviter un utilisateur: names, e-mail, roles; the API e-mails the link.
import { useState } from "preact/hooks";
import { type Problem, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { navigate } from "../../router";
import { grantableEntities, nameIn, useEntities } from "./entities";
import { grantsOf, noRoles } from "./grants";
import { UserForm, type UserValues } from "./UserForm";

export function InviteUser() {
  const { api, me } = useApp();
  const { entities, problem: loadProblem } = useEntities();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const mayGrantAll = me.can.manage_tenant;

  async function invite(values: UserValues) {
    setProblem(null);
    setBusy(true);
    try {
      const { data, error, response } = await api.POST("/users", {
        body: {
          first_name: values.first_name.trim(), last_name: values.last_name.trim(),
          email: values.email.trim(), grants: grantsOf(values.choices),
        },
      });
      if (!data) return setProblem(onEmail(problemOf(error, response.status)));
      navigate(`/utilisateurs?invite=${encodeURIComponent(data.email)}`);
    } catch {
      setProblem(networkProblem());
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="users-area" aria-labelledby="invite-title" data-loaded={String(entities !== null)}>
      <p><a href="/utilisateurs">← Tous les utilisateurs</a></p>
      <h1 id="invite-title">Inviter un utilisateur</h1>
      <p class="hint">
        La personne reçoit un e-mail avec un lien pour choisir son mot de passe ; elle ne voit ensuite que
        les entités et ne fait que ce que ses rôles lui permettent.
      </p>
      {loadProblem && <p class="error" role="alert">{loadProblem.message}</p>}
      {!entities && !loadProblem && <p aria-busy="true">Chargement…</p>}
      {entities && (
        <UserForm initial={{ first_name: "", last_name: "", email: "", choices: noRoles(mayGrantAll) }}
          withEmail grantable={grantableEntities(me.can, entities)} entityName={nameIn(entities)}
          mayGrantAll={mayGrantAll} busy={busy} problem={problem} submitLabel="Envoyer l'invitation"
          onSubmit={(values) => void invite(values)} />
      )}
    </section>
  );
}

/** An address already taken is the e-mail field's problem: said next to it. */
function onEmail(problem: Problem): Problem {
  if (problem.status !== 409) return problem;
  return { ...problem, fields: { email: problem.message } };
}
