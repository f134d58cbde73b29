// Utilisateurs: the people the caller manages, their roles and state.
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { nameIn, useEntities } from "./entities";
import { grantSentence } from "./grants";
import { STATE_HINT, STATE_LABEL, fullName } from "./state";
import { UserActions } from "./UserActions";

type User = Schemas["User"];

export function UserList({ query }: { query: URLSearchParams }) {
  const { api } = useApp();
  const { entities } = useEntities();
  const [users, setUsers] = useState<User[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    api.GET("/users").then(
      ({ data, error, response }) => (data ? setUsers(sorted(data.users)) : setProblem(problemOf(error, response.status))),
      () => setProblem(networkProblem()),
    );
  }, []);

  const replace = (changed: User) => setUsers((all) => all?.map((u) => (u.user_id === changed.user_id ? changed : u)) ?? null);
  const remove = (gone: User) => setUsers((all) => all?.filter((u) => u.user_id !== gone.user_id) ?? null);
  return (
    <section class="users-area" aria-labelledby="users-title" data-loaded={String(users !== null && entities !== null)}>
      <h1 id="users-title">Utilisateurs</h1>
      <p class="hint">Les personnes qui utilisent designa pour votre compte, leurs rôles et leurs entités.</p>
      <Done query={query} users={users} />
      <p><a class="button primary" href="/utilisateurs/inviter">Inviter un utilisateur</a></p>
      {problem && <p class="error" role="alert">{problem.message}</p>}
      {!users && !problem && <p aria-busy="true">Chargement des utilisateurs…</p>}
      {users && users.length === 0 && <p class="empty">Aucun utilisateur dans votre périmètre.</p>}
      {users && users.length > 0 && (
        <UserTable users={users} entityName={nameIn(entities ?? [])} onChanged={replace} onDeleted={remove} />
      )}
    </section>
  );
}

/** Alphabetical by last name, then first name. */
function sorted(users: User[]): User[] {
  const key = (u: User) => `${u.last_name} ${u.first_name} ${u.email}`.toLocaleLowerCase("fr");
  return [...users].sort((a, b) => key(a).localeCompare(key(b), "fr"));
}

/** What the previous screen did, told once the list shows it. */
function Done({ query, users }: { query: URLSearchParams; users: User[] | null }) {
  const invited = query.get("invite");
  const saved = query.get("enregistre");
  if (invited) {
    return <p class="saved" role="status">Invitation envoyée à {invited} : le lien pour choisir son mot de passe est valable 7 jours.</p>;
  }
  const user = users?.find((u) => u.user_id === saved);
  if (user) return <p class="saved" role="status">Les changements de {fullName(user)} sont enregistrés.</p>;
  return null;
}

interface TableProps {
  users: User[];
  entityName: (id: string) => string;
  onChanged: (user: User) => void;
  onDeleted: (user: User) => void;
}

function UserTable({ users, entityName, onChanged, onDeleted }: TableProps) {
  const { me } = useApp();
  return (
    <table class="notices users">
      <caption class="visually-hidden">Utilisateurs par ordre alphabétique, avec leurs rôles et leur état</caption>
      <thead>
        <tr>
          <th scope="col">Utilisateur</th>
          <th scope="col">Rôles</th>
          <th scope="col">État</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.user_id} data-user={user.email}>
            <th scope="row">
              {fullName(user)}{user.user_id === me.user.user_id && " (vous)"}
              <span class="muted">{user.email}</span>
            </th>
            <td>
              <ul class="grant-list">
                {user.grants.map((g, i) => <li key={i}>{grantSentence(g, entityName)}</li>)}
              </ul>
            </td>
            <td><UserState user={user} /></td>
            <td><UserActions user={user} self={user.user_id === me.user.user_id} onChanged={onChanged} onDeleted={onDeleted} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function UserState({ user }: { user: User }) {
  const { state, second_factor } = user;
  return (
    <>
      <span class={`badge user-${state}`} data-state={state}>{STATE_LABEL[state]}</span>
      <span class="muted">{STATE_HINT[state]}</span>
      {state !== "invited" && (
        <span class="muted" data-second-factor={String(second_factor)}>
          {second_factor ? "Double authentification activée" : "Sans double authentification"}
        </span>
      )}
    </>
  );
}
