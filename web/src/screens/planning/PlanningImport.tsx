// Importing the planning from the Excel workbook: the columns to fill, the
// empty template, then the shared import panel and its report.
import { useState } from "preact/hooks";
import { useApp } from "../../context";
import { writesFleet } from "../drivers/access";
import { TemplateButton } from "../drivers/TemplateButton";
import { ImportPanel } from "../imports/ImportPanel";

export function PlanningImport() {
  const { me } = useApp();
  const [finished, setFinished] = useState(false);
  return (
    <section aria-labelledby="planning-import-title">
      <p><a href="/planning">← Planning</a></p>
      <h1 id="planning-import-title">Importer un planning</h1>
      {!writesFleet(me.can) ? <p class="error" role="alert">Vous pouvez consulter le planning, mais pas en importer.</p> : (
        <>
          <div class="card">
            <h2>Le classeur à remplir</h2>
            <p>
              Une ligne par attribution. Colonnes obligatoires : <strong>Immatriculation</strong> (d'un véhicule
              de la flotte), <strong>Nom</strong> et <strong>Prénom</strong> du conducteur (tel qu'il est dans
              Conducteurs) et <strong>Du</strong> (premier jour). Facultatives : Pays de la plaque (vide pour la
              France), E-mail (pour distinguer deux homonymes) et <strong>Au</strong> (dernier jour, inclus ;
              vide : jusqu'à nouvel ordre).
            </p>
            <p class="hint">
              Les mêmes règles qu'à l'écran : un véhicule n'a qu'un conducteur à la fois, sauf un véhicule de pool.
            </p>
            <div class="toolbar">
              <TemplateButton path="/assignments/template" fileName="planning-modele.xlsx" label="Télécharger le modèle de planning" />
            </div>
          </div>
          <ImportPanel kind="assignments" title="Envoyer le classeur du planning" onFinished={() => setFinished(true)} />
          {finished && <p><a class="button primary" href="/planning?passees=1">Voir le planning</a></p>}
        </>
      )}
    </section>
  );
}
