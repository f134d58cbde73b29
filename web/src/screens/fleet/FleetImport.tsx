// Importer la matrice: the filled-in fleet matrix, added to the fleet.
import { useState } from "preact/hooks";
import { ImportPanel } from "../imports/ImportPanel";
import { RecentImports } from "../imports/RecentImports";
import { FleetDownloads } from "./FleetDownloads";

export function FleetImport() {
  const [ended, setEnded] = useState(0);
  return (
    <section aria-labelledby="fleet-import-title">
      <p><a href="/flotte">← Retour à la flotte</a></p>
      <h1 id="fleet-import-title">Importer des véhicules</h1>
      <p class="hint">
        Remplissez la matrice (une ligne par véhicule : immatriculation, pays, marque, modèle, entité, date d'entrée,
        date de sortie facultative), puis importez-la. Les véhicules s'ajoutent à la flotte ; pour remplacer toute la
        flotte par un fichier, utilisez plutôt <a href="/flotte/mise-a-jour">la mise à jour de la flotte</a>.
      </p>
      <FleetDownloads writes />
      <ImportPanel kind="vehicles" title="Classeur de véhicules" onEnded={() => setEnded((n) => n + 1)} />
      <RecentImports kinds={["vehicles", "fleet_refresh"]} refresh={ended} />
    </section>
  );
}
