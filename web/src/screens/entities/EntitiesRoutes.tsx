// Entités: the area's screens, by address. Admins see it: the tenant's add
// and remove entities, an entity's own admin changes its entity.
import { useApp } from "../../context";
import { editsEntity, managesEntities } from "./access";
import { EntityEditor } from "./EntityEditor";
import { EntityList } from "./EntityList";
import "./entities.css";

export function EntitiesRoutes({ url }: { url: URL }) {
  const { me } = useApp();
  if (!me.can.manage_users) return <Reserved />;
  const rest = url.pathname.replace(/^\/entites\/?/, "");
  if (rest === "") return <EntityList query={url.searchParams} />;
  if (rest === "nouvelle") return managesEntities(me.can) ? <EntityEditor /> : <Reserved />;
  const entityId = decodeURIComponent(rest);
  return editsEntity(me.can, entityId) ? <EntityEditor key={entityId} entityId={entityId} /> : <Reserved />;
}

function Reserved() {
  return (
    <section class="entities-area" aria-labelledby="entities-title" data-loaded="true">
      <h1 id="entities-title">Entités</h1>
      <p class="error" role="alert">
        Cette page est réservée aux administrateurs : ceux du compte ajoutent et suppriment les entités,
        ceux d'une entité peuvent la modifier.
      </p>
    </section>
  );
}
