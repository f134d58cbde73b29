// Modifier un utilisateur: names and roles (never one's own roles).
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { navigate } from "../../router";
import { grantableEntities, nameIn, useEntities } from "./entities";
import { choicesOf, grantsOf } from "./grants";
import { fullName } from "./state";
import { UserForm, type UserValues } from "./UserForm";

type User = Schemas["User"];

export function EditUser({ userId }: { userId: string }) {
  const { api, me, refreshMe } = useApp();
  const { entities, problem: entitiesProblem } = useEntities();
  const [user, setUser] = useState<User | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const mayGrantAll = me.can.manage_tenant;
  const self = userId === me.user.user_id;

  useEffect(() => {
    api.GET("/users/{userId}", { params: { path: { userId } } }).then(
      ({ data, error, response }) => (data ? setUser(data) : setLoadProblem(problemOf(error, response.status))),
      () => setLoadProblem(networkProblem()),
    );
  }, [userId]);

  async function save(values: UserValues) {
    if (!user) return;
    setProblem(null);
    setBusy(true);
    try {
      const { data, error, response } = await api.PUT("/users/{userId}", {
        params: { path: { userId } },
        body: {
          first_name: values.first_name.trim(), last_name: values.last_name.trim(),
          // One's own roles go back as they came: the API refuses any change to them.
          grants: self ? user.grants : grantsOf(values.choices),
        },
      });
      if (!data) return setProblem(problemOf(error, response.status));
      if (self) refreshMe();
      navigate(`/utilisateurs?enregistre=${encodeURIComponent(data.user_id)}`);
    } catch {
      setProblem(networkProblem());
    } finally {
      setBusy(false);
    }
  }

  const failed = loadProblem ?? entitiesProblem;
  const ready = user && entities;
  return (
    <section class="users-area" aria-labelledby="edit-user-title" data-loaded={String(!!ready)}>
      <p><a href="/utilisateurs">← Tous les utilisateurs</a></p>
      <h1 id="edit-user-title">{user ? `Modifier ${fullName(user)}` : "Modifier un utilisateur"}</h1>
      {user && <p class="hint">{user.email} (l'adresse e-mail ne se change pas : c'est l'identifiant de connexion).</p>}
      {failed && <p class="error" role="alert">{failed.message}</p>}
      {!ready && !failed && <p aria-busy="true">Chargement…</p>}
      {ready && (
        <UserForm initial={{ ...user, choices: choicesOf(user.grants, mayGrantAll) }} withEmail={false}
          ownGrants={self ? user.grants : undefined} grantable={grantableEntities(me.can, entities)}
          entityName={nameIn(entities)} mayGrantAll={mayGrantAll} busy={busy} problem={problem}
          submitLabel="Enregistrer les changements" onSubmit={(values) => void save(values)} />
      )}
    </section>
  );
}
