import type { ComponentChildren } from "preact";
import type { Schemas } from "../api/client";
import { useApp } from "../context";
import { onLinkClick } from "../router";

type Can = Schemas["Capabilities"];

interface MenuItem {
  href: string;
  label: string;
  /** Whether the signed-in user's roles let them use the screen. */
  shown: (can: Can) => boolean;
}

const always = () => true;
const readsNotices = (can: Can) => !!can.read_notices;
/** Vehicles, drivers and the planning: fleet managers write them, designators read them. */
const readsFleet = (can: Can) => !!can.write_fleet || !!can.read_notices;
const managesUsers = (can: Can) => !!can.manage_users;
const managesTenant = (can: Can) => can.manage_tenant;

/** The menu in groups, each item shown only to those its screen serves. */
export const MENU: [string, MenuItem[]][] = [
  ["Suivi", [
    { href: "/tableau-de-bord", label: "Tableau de bord", shown: always },
    { href: "/avis", label: "Avis", shown: readsNotices },
    { href: "/exports", label: "Exports", shown: readsNotices },
  ]],
  ["Parc", [
    { href: "/flotte", label: "Flotte", shown: readsFleet },
    { href: "/conducteurs", label: "Conducteurs", shown: readsFleet },
    { href: "/planning", label: "Planning", shown: readsFleet },
  ]],
  ["Administration", [
    { href: "/utilisateurs", label: "Utilisateurs", shown: managesUsers },
    { href: "/entites", label: "Entités", shown: managesUsers },
    { href: "/journal", label: "Journal d'accès", shown: managesTenant },
    { href: "/donnees-personnelles", label: "Données personnelles", shown: managesTenant },
    { href: "/parametres", label: "Paramètres du compte", shown: managesTenant },
  ]],
  ["Mon compte", [
    { href: "/preferences", label: "Notifications", shown: always },
    { href: "/securite", label: "Sécurité", shown: always },
  ]],
];

function isCurrent(href: string): boolean {
  return location.pathname === href || location.pathname.startsWith(`${href}/`);
}

export function Layout({ children }: { children: ComponentChildren }) {
  const { me, session } = useApp();
  const groups = MENU.map(([title, items]) => [title, items.filter((item) => item.shown(me.can))] as const)
    .filter(([, items]) => items.length > 0);
  return (
    <div class="layout" onClick={onLinkClick}>
      <a class="skip" href="#contenu">Aller au contenu</a>
      <header class="top">
        <a class="brand" href="/tableau-de-bord">designa</a>
        <div class="who">
          <span>
            {me.user.first_name} {me.user.last_name} · {me.tenant.name}
          </span>
          <button type="button" onClick={() => void session.signOut()}>
            Se déconnecter
          </button>
        </div>
      </header>
      <div class="frame">
        <nav class="menu" aria-label="Menu principal">
          {groups.map(([title, items]) => (
            <div key={title} class="menu-group">
              <p class="menu-title" id={`menu-${title}`}>{title}</p>
              <ul aria-labelledby={`menu-${title}`}>
                {items.map((item) => (
                  <li key={item.href}>
                    <a href={item.href} aria-current={isCurrent(item.href) ? "page" : undefined}>{item.label}</a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="contenu" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
