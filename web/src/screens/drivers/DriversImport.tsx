// Importing drivers from the Excel workbook: the columns to fill, the
// empty template, then the shared import panel and its report.
import { useState } from "preact/hooks";
import { useApp } from "../../context";
import { ImportPanel } from "../imports/ImportPanel";
import { writesFleet } from "./access";
import { TemplateButton } from "./TemplateButton";

export function DriversImport() {
  const { me } = useApp();
  const [finished, setFinished] = useState(false);
  return (
    <section aria-labelledby="drivers-import-title">
      <p><a href="/conducteurs">← Conducteurs</a></p>
      <h1 id="drivers-import-title">Importer des conducteurs</h1>
      {!writesFleet(me.can) ? <p class="error" role="alert">Vous pouvez consulter les conducteurs, mais pas en importer.</p> : (
        <>
          <div class="card">
            <h2>Le classeur à remplir</h2>
            <p>
              Une ligne par conducteur. Colonnes obligatoires : <strong>Nom</strong>, <strong>Prénom</strong>,{" "}
              <strong>Adresse</strong>, <strong>Code postal</strong>, <strong>Ville</strong> et <strong>Entité</strong>{" "}
              (son nom, tel qu'il apparaît dans designa). Facultatives : Complément d'adresse, Pays (code à trois
              lettres : FRA, BEL, DEU… ; vide pour la France), E-mail personnel, E-mail professionnel.
              Aucune donnée de permis de conduire.
            </p>
            <div class="toolbar">
              <TemplateButton path="/drivers/template" fileName="conducteurs-modele.xlsx" label="Télécharger le modèle de classeur" />
            </div>
          </div>
          <ImportPanel kind="drivers" title="Envoyer le classeur des conducteurs" onFinished={() => setFinished(true)} />
          {finished && <p><a class="button primary" href="/conducteurs">Voir les conducteurs</a></p>}
        </>
      )}
    </section>
  );
}
