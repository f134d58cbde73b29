// Données personnelles (tenant admins): the register of data-subject
// requests, and a new request answered at once.
import "./privacy.css";
import { useApp } from "../../context";
import { NewRequest } from "./NewRequest";
import { Register } from "./Register";

/** The form's address; `?conducteur=`, `?utilisateur=` or `?avis=` choose the person. */
export const NEW_REQUEST = "/donnees-personnelles/nouvelle";

export function PrivacyRoutes({ url }: { url: URL }) {
  const { me } = useApp();
  if (!me.can.manage_tenant) {
    return (
      <section aria-labelledby="privacy-title" data-path={url.pathname}>
        <h1 id="privacy-title">Données personnelles</h1>
        <p class="error" role="alert">Les demandes sur les données personnelles sont réservées aux administrateurs du compte.</p>
      </section>
    );
  }
  return (
    <div class="privacy-area">
      {url.pathname === NEW_REQUEST ? <NewRequest key={url.search} query={url.searchParams} /> : <Register />}
    </div>
  );
}
