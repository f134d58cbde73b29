// Adding a driver, or changing one: the entity, then the typed-in
// driver's fields, each with the API's reason next to it.
import { SetUpFirst } from "../SetUpFirst";
import { useState } from "preact/hooks";
import type { Problem, Schemas } from "../../api/client";
import { useApp } from "../../context";
import { navigate } from "../../router";
import { DriverFields, type DriverValues, EMPTY_DRIVER, driverOf, driverValues } from "../DriverForm";
import { Field } from "../Field";
import { writableEntities, writesIn } from "./access";
import { call, loadAll, useLoad } from "../../ui/load";
import { ProblemBox } from "./ProblemBox";

type Driver = Schemas["Driver"];

/** The fields the form shows next to their inputs, by the API's path. */
const SHOWN = ["entity_id", "last_name", "first_name", "address.line1", "address.line2", "address.postcode",
  "address.city", "address.country", "personal_email", "professional_email"];

/** `/conducteurs/nouveau` (no id) or `/conducteurs/<id>/modifier`. */
export function DriverEditor({ driverId }: { driverId?: string }) {
  const { api } = useApp();
  const loading = useLoad(() => loadAll<[Schemas["EntityList"], Driver | null]>(
    call(api.GET("/entities")),
    driverId ? call(api.GET("/drivers/{driverId}", { params: { path: { driverId } } })) : Promise.resolve({ data: null }),
  ), [driverId]);
  const title = driverId ? "Modifier le conducteur" : "Ajouter un conducteur";
  return (
    <section aria-labelledby="driver-editor-title" data-loaded={String(loading.fresh && !!loading.data)}>
      <p><a href={driverId ? `/conducteurs/${encodeURIComponent(driverId)}` : "/conducteurs"}>← Retour</a></p>
      <h1 id="driver-editor-title">{title}</h1>
      {loading.problem && <p class="error" role="alert">{loading.problem.message}</p>}
      {!loading.data && !loading.problem && <p aria-busy="true">Chargement…</p>}
      {loading.data && <EditorForm entities={loading.data[0].entities} driver={loading.data[1]} />}
    </section>
  );
}

function EditorForm({ entities, driver }: { entities: Schemas["Entity"][]; driver: Driver | null }) {
  const { api, me } = useApp();
  const choices = writableEntities(me.can, entities);
  const [entity, setEntity] = useState(driver?.entity_id ?? (choices.length === 1 ? choices[0].entity_id : ""));
  const [values, setValues] = useState<DriverValues>(driver ? driverValues(driver) : EMPTY_DRIVER);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: Event) {
    event.preventDefault();
    if (!entity) {
      return setProblem({ message: "Certains champs sont à corriger :", fields: { entity_id: "Choisissez l'entité du conducteur." } });
    }
    setBusy(true);
    setProblem(null);
    const body = { ...driverOf(values), entity_id: entity };
    const result = await call(driver
      ? api.PUT("/drivers/{driverId}", { params: { path: { driverId: driver.driver_id } }, body })
      : api.POST("/drivers", { body }));
    setBusy(false);
    if ("problem" in result) return setProblem(result.problem);
    navigate(`/conducteurs/${encodeURIComponent(result.data.driver_id)}?enregistre=${driver ? "modifie" : "ajoute"}`);
  }

  const entityError = problem?.fields.entity_id;
  if (entities.length === 0) return <SetUpFirst missing="entity" />;
  if (choices.length === 0 || (driver && !writesIn(me.can, driver.entity_id))) return <p class="error" role="alert">Vous n'avez pas le droit d'ajouter ou de modifier des conducteurs.</p>;
  return (
    <form class="card driver-editor" onSubmit={save} noValidate aria-label={driver ? "Modifier le conducteur" : "Nouveau conducteur"}>
      <Field label="Entité" id="driver-entity" error={entityError}
        hint="Le conducteur est proposé sur les avis des véhicules de cette entité.">
        <select id="driver-entity" value={entity} onChange={(e) => setEntity(e.currentTarget.value)}
          aria-invalid={entityError ? "true" : undefined}
          aria-describedby={entityError ? "driver-entity-hint driver-entity-error" : "driver-entity-hint"}>
          <option value="">Choisissez…</option>
          {choices.map((e) => <option key={e.entity_id} value={e.entity_id}>{e.name}</option>)}
        </select>
      </Field>
      <DriverFields values={values} onChange={setValues} errors={problem?.fields ?? {}} />
      {problem && <ProblemBox problem={problem} shown={SHOWN} />}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {driver ? "Enregistrer les modifications" : "Ajouter le conducteur"}
        </button>
        <a class="button" href={driver ? `/conducteurs/${encodeURIComponent(driver.driver_id)}` : "/conducteurs"}>Annuler</a>
      </div>
    </form>
  );
}
