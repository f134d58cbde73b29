// Flotte: the area's screens, by address.
import { FleetImport } from "./FleetImport";
import { FleetList } from "./FleetList";
import { FleetRefresh } from "./FleetRefresh";
import { VehicleForm } from "./VehicleForm";
import "./fleet.css";

export function FleetRoutes({ url }: { url: URL }) {
  const rest = url.pathname.replace(/^\/flotte\/?/, "");
  if (rest === "") return <FleetList query={url.searchParams} />;
  if (rest === "import") return <FleetImport />;
  if (rest === "mise-a-jour") return <FleetRefresh />;
  if (rest === "nouveau") return <VehicleForm />;
  const vehicleId = decodeURIComponent(rest);
  return <VehicleForm key={vehicleId} vehicleId={vehicleId} />;
}
