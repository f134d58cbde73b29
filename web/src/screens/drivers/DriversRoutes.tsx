// Conducteurs: the area's screens, by address.
import { DriversList } from "./DriversList";
import { DriverEditor } from "./DriverEditor";
import { DriverPage } from "./DriverPage";
import { DriversImport } from "./DriversImport";
import "./drivers.css";

export function DriversRoutes({ url }: { url: URL }) {
  return <div class="people">{screenFor(url)}</div>;
}

function screenFor(url: URL) {
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "/conducteurs") return <DriversList query={url.searchParams} />;
  if (path === "/conducteurs/nouveau") return <DriverEditor />;
  if (path === "/conducteurs/import") return <DriversImport />;
  const edit = path.match(/^\/conducteurs\/([^/]+)\/modifier$/);
  if (edit) return <DriverEditor key={edit[1]} driverId={decodeURIComponent(edit[1])} />;
  const one = path.match(/^\/conducteurs\/([^/]+)$/);
  if (one) return <DriverPage key={one[1]} driverId={decodeURIComponent(one[1])} query={url.searchParams} />;
  return (
    <section aria-labelledby="drivers-missing">
      <h1 id="drivers-missing">Page introuvable</h1>
      <p><a href="/conducteurs">Voir les conducteurs</a></p>
    </section>
  );
}
