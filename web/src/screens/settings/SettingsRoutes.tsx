// Paramètres du compte: the area's screens, by address (the tenant's admins only).
import { useApp } from "../../context";
import { SettingsScreen } from "./SettingsScreen";
import "./settings.css";

export function SettingsRoutes({ url }: { url: URL }) {
  const { me } = useApp();
  if (!me.can.manage_tenant) return <Reserved />;
  if (url.pathname === "/parametres") return <SettingsScreen />;
  return <Reserved />;
}

function Reserved() {
  return (
    <section class="settings-area" aria-labelledby="settings-title" data-loaded="true">
      <h1 id="settings-title">Paramètres du compte</h1>
      <p class="error" role="alert">Cette page est réservée aux administrateurs du compte.</p>
    </section>
  );
}
