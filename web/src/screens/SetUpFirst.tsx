// On an account being set up, a form that needs something not yet there
// says what to create first, and links to it.
import { useApp } from "../context";

type Missing = "entity" | "vehicle" | "driver";

const NEEDS: Record<Missing, { text: string; href: string; link: string; who: (can: ReturnType<typeof useApp>["me"]["can"]) => boolean }> = {
  entity: {
    text: "Ajoutez d'abord une entité (la société, une agence ou un service) : chaque véhicule et chaque conducteur appartient à une entité.",
    href: "/entites/nouvelle", link: "Ajouter une entité", who: (can) => can.manage_tenant,
  },
  vehicle: {
    text: "Ajoutez d'abord un véhicule à la flotte : une attribution confie un véhicule à un conducteur.",
    href: "/flotte/nouveau", link: "Ajouter un véhicule", who: (can) => !!can.write_fleet,
  },
  driver: {
    text: "Ajoutez d'abord un conducteur : une attribution confie un véhicule à un conducteur.",
    href: "/conducteurs/nouveau", link: "Ajouter un conducteur", who: (can) => !!can.write_fleet,
  },
};

export function SetUpFirst({ missing }: { missing: Missing }) {
  const { me } = useApp();
  const need = NEEDS[missing];
  return (
    <div class="card set-up-first" role="status">
      <p>{need.text}</p>
      {need.who(me.can)
        ? <a class="button primary" href={need.href}>{need.link}</a>
        : <p class="hint">Demandez-le à un administrateur de votre compte.</p>}
    </div>
  );
}
