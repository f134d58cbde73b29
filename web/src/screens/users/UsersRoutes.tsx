// Utilisateurs: the area's screens, by address. Admins see it (an entity's
// admin manages the users of its entities only).
import { useApp } from "../../context";
import { EditUser } from "./EditUser";
import { InviteUser } from "./InviteUser";
import { UserList } from "./UserList";
import "./users.css";

export function UsersRoutes({ url }: { url: URL }) {
  const { me } = useApp();
  if (!me.can.manage_users) return <Reserved />;
  const rest = url.pathname.replace(/^\/utilisateurs\/?/, "");
  if (rest === "") return <UserList query={url.searchParams} />;
  if (rest === "inviter") return <InviteUser />;
  return <EditUser userId={decodeURIComponent(rest)} />;
}

function Reserved() {
  return (
    <section class="users-area" aria-labelledby="users-title" data-loaded="true">
      <h1 id="users-title">Utilisateurs</h1>
      <p class="error" role="alert">
        Cette page est réservée aux administrateurs : demandez à l'un d'eux d'inviter ou de modifier un utilisateur.
      </p>
    </section>
  );
}
