import type { ComponentChildren } from "preact";
import { useApp } from "../context";
import { onLinkClick } from "../router";

export function Layout({ children }: { children: ComponentChildren }) {
  const { me, session } = useApp();
  return (
    <div class="layout" onClick={onLinkClick}>
      <a class="skip" href="#contenu">Aller au contenu</a>
      <header class="top">
        <a class="brand" href="/tableau-de-bord">designa</a>
        <nav aria-label="Menu principal">
          <a href="/tableau-de-bord" aria-current={location.pathname === "/tableau-de-bord" ? "page" : undefined}>
            Tableau de bord
          </a>
          <a href="/avis" aria-current={location.pathname.startsWith("/avis") ? "page" : undefined}>
            Avis
          </a>
          <a href="/preferences" aria-current={location.pathname === "/preferences" ? "page" : undefined}>
            Notifications
          </a>
          <a href="/securite" aria-current={location.pathname === "/securite" ? "page" : undefined}>
            Sécurité
          </a>
        </nav>
        <div class="who">
          <span>
            {me.user.first_name} {me.user.last_name} · {me.tenant.name}
          </span>
          <button type="button" onClick={() => void session.signOut()}>
            Se déconnecter
          </button>
        </div>
      </header>
      <main id="contenu" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
