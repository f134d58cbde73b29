// Which screen the address shows, once we know who is signed in.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api, Schemas } from "../api/client";
import type { Cognito } from "../auth/cognito";
import type { Session } from "../auth/session";
import { App } from "../context";
import { navigate, useLocation } from "../router";
import { SignIn } from "./SignIn";
import { Layout } from "./Layout";
import { Notices } from "./Notices";
import { NoticeDetail } from "./NoticeDetail";
import { Invitation } from "./Invitation";
import { PreferencesScreen } from "./Preferences";
import { DashboardScreen } from "./Dashboard";
import { ForgotPassword } from "./ForgotPassword";
import { SecurityScreen } from "./Security";
import { FleetRoutes } from "./fleet/FleetRoutes";
import { DriversRoutes } from "./drivers/DriversRoutes";
import { PlanningRoutes } from "./planning/PlanningRoutes";
import { UsersRoutes } from "./users/UsersRoutes";
import { EntitiesRoutes } from "./entities/EntitiesRoutes";
import { SettingsRoutes } from "./settings/SettingsRoutes";
import { ExportsRoutes } from "./exports/ExportsRoutes";
import { JournalRoutes } from "./journal/JournalRoutes";
import { PrivacyRoutes } from "./privacy/PrivacyRoutes";

interface Props {
  cognito: Cognito;
  session: Session;
  api: Api;
}

export function Root({ cognito, session, api }: Props) {
  const url = useLocation();
  const [signedIn, setSignedIn] = useState(session.signedIn);
  const [me, setMe] = useState<Schemas["Me"] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => session.onChange(() => setSignedIn(session.signedIn)), [session]);
  /** Who the user is, read again (their names or the tenant's settings changed). */
  function loadMe() {
    api.GET("/me").then(({ data }) => {
      if (!data) return setFailed(true);
      session.setIdleMinutes(data.tenant.session_idle_minutes);
      setMe(data);
    }, () => setFailed(true));
  }
  useEffect(() => {
    setMe(null);
    setFailed(false);
    if (signedIn) loadMe();
  }, [signedIn, api]);

  // The invitation page is for someone who cannot sign in yet.
  if (url.pathname === "/invitation") return <Invitation api={api} token={url.searchParams.get("token")} />;
  if (url.pathname === "/mot-de-passe-oublie") return <ForgotPassword cognito={cognito} />;
  if (!signedIn) {
    return <SignIn cognito={cognito} session={session} onSignedIn={() => navigateHome(url)} />;
  }
  if (failed) {
    return (
      <main class="centered">
        <p role="alert">Votre compte n'est pas reconnu par designa. Contactez votre administrateur.</p>
        <button type="button" onClick={() => void session.signOut()}>
          Se déconnecter
        </button>
      </main>
    );
  }
  if (!me) return <main class="centered" aria-busy="true">Chargement…</main>;
  return (
    <App.Provider value={{ api, cognito, session, me, refreshMe: loadMe }}>
      <Layout>{screenFor(url)}</Layout>
    </App.Provider>
  );
}

/** The dashboard is the landing screen; a link from an e-mail keeps its address. */
const HOME = "/tableau-de-bord";

function navigateHome(url: URL): void {
  if (url.pathname === "/connexion") navigate(HOME);
}

/** Each area's screens, under its own address; an area routes its sub-addresses itself. */
const AREAS: [string, (props: { url: URL }) => JSX.Element | null][] = [
  ["/flotte", FleetRoutes],
  ["/conducteurs", DriversRoutes],
  ["/planning", PlanningRoutes],
  ["/utilisateurs", UsersRoutes],
  ["/entites", EntitiesRoutes],
  ["/parametres", SettingsRoutes],
  ["/exports", ExportsRoutes],
  ["/journal", JournalRoutes],
  ["/donnees-personnelles", PrivacyRoutes],
];

function screenFor(url: URL) {
  const area = AREAS.find(([prefix]) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
  if (area) {
    const Area = area[1];
    return <Area url={url} />;
  }
  const notice = url.pathname.match(/^\/avis\/([^/]+)$/);
  if (notice) return <NoticeDetail number={decodeURIComponent(notice[1])} />;
  if (url.pathname === "/avis") return <Notices query={url.searchParams} />;
  if (url.pathname === "/preferences") return <PreferencesScreen />;
  if (url.pathname === "/securite") return <SecurityScreen />;
  if (url.pathname === HOME) return <DashboardScreen query={url.searchParams} />;
  queueMicrotask(() => navigate(HOME));
  return null;
}
