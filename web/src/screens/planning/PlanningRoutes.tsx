// Planning: the area's screens, by address.
import { AssignmentEditor } from "./AssignmentEditor";
import { PlanningImport } from "./PlanningImport";
import { PlanningScreen } from "./PlanningScreen";
import { WhoHadIt } from "./WhoHadIt";
import "../drivers/drivers.css";
import "./planning.css";

export function PlanningRoutes({ url }: { url: URL }) {
  return <div class="people">{screenFor(url)}</div>;
}

function screenFor(url: URL) {
  const path = url.pathname.replace(/\/+$/, "");
  const query = url.searchParams;
  if (path === "/planning") return <PlanningScreen query={query} />;
  if (path === "/planning/nouvelle") return <AssignmentEditor key={query.toString()} query={query} />;
  if (path === "/planning/qui-avait") return <WhoHadIt query={query} />;
  if (path === "/planning/import") return <PlanningImport />;
  const one = path.match(/^\/planning\/([^/]+)$/);
  if (one) return <AssignmentEditor key={one[1]} assignmentId={decodeURIComponent(one[1])} query={query} />;
  return (
    <section aria-labelledby="planning-missing">
      <h1 id="planning-missing">Page introuvable</h1>
      <p><a href="/planning">Voir le planning</a></p>
    </section>
  );
}
