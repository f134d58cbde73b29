// Adding a vehicle, or changing one (its exit date set ahead of time
// included): each refusal of the API next to its field.
import { useEffect, useState } from "preact/hooks";
import type { Problem } from "../../api/client";
import { useApp } from "../../context";
import { navigate } from "../../router";
import { flash } from "./flash";
import { call } from "../../ui/load";
import { useEntities } from "../../ui/entities";
import { SetUpFirst } from "../SetUpFirst";
import { plateLabel } from "../../ui/plate";
import { VehicleFields } from "./VehicleFields";
import { type Vehicle, type VehicleValues, emptyValues, inputOf, missingDates, parisToday, valuesOf, writesFleetOf } from "./vehicles";

/** A new vehicle (no id) or the vehicle `vehicleId`. */
export function VehicleForm({ vehicleId }: { vehicleId?: string }) {
  const { api, me } = useApp();
  const seen = useEntities().entities;
  const writable = (seen ?? []).filter((e) => writesFleetOf(me.can, e.entity_id));
  const [vehicle, setVehicle] = useState<Vehicle | null>(null);
  const [values, setValues] = useState<VehicleValues | null>(vehicleId ? null : emptyValues("", parisToday()));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!vehicleId) return;
    void call(api.GET("/vehicles/{vehicleId}", { params: { path: { vehicleId } } })).then((loaded) => {
      if ("problem" in loaded) return setProblem(loaded.problem);
      setVehicle(loaded.data);
      setValues(valuesOf(loaded.data));
    });
  }, [vehicleId]);
  // A new vehicle goes to the first entity the user manages, until they pick another.
  // (An update of the latest values: the entities may arrive after the user has typed.)
  useEffect(() => {
    const first = writable[0]?.entity_id;
    if (first) setValues((typed) => (typed && !typed.entity_id ? { ...typed, entity_id: first } : typed));
  }, [writable.length]);

  async function save(event: Event) {
    event.preventDefault();
    if (!values) return;
    const missing = missingDates(values);
    if (Object.keys(missing).length > 0) return setProblem({ message: "Certains champs sont à corriger :", fields: missing });
    setBusy(true);
    setProblem(null);
    const body = inputOf(values);
    const saved = await call(vehicleId
      ? api.PUT("/vehicles/{vehicleId}", { params: { path: { vehicleId } }, body })
      : api.POST("/vehicles", { body }));
    setBusy(false);
    if ("problem" in saved) return setProblem(plateHeldNextToPlate(saved.problem));
    flash(`${plateLabel(saved.data.plate)} est enregistré.`);
    navigate("/flotte");
  }

  const title = vehicle ? `Modifier le véhicule ${plateLabel(vehicle.plate)}` : "Ajouter un véhicule";
  return (
    <section aria-labelledby="vehicle-title" data-loaded={String(!!values)}>
      <p><a href="/flotte">← Retour à la flotte</a></p>
      <h1 id="vehicle-title">{vehicleId && !vehicle ? "Véhicule" : title}</h1>
      {!values && !problem && <p aria-busy="true">Chargement du véhicule…</p>}
      {values && seen?.length === 0 && <SetUpFirst missing="entity" />}
      {values && seen?.length !== 0 && (
        <form class="card vehicle-form" onSubmit={save} noValidate>
          <VehicleFields values={values} onChange={setValues} errors={problem?.fields ?? {}} entities={writable} editing={!!vehicleId} />
          {problem && <p class="error" role="alert">{summary(problem)}</p>}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>{vehicleId ? "Enregistrer les modifications" : "Ajouter le véhicule"}</button>
            <a href="/flotte">Annuler</a>
          </div>
        </form>
      )}
      {!values && problem && <p class="error" role="alert">{problem.message}</p>}
    </section>
  );
}

/** The fields the form shows, where their errors go. */
const SHOWN = ["plate", "country", "make", "model", "entity_id", "entry_on", "exit_on"];

/** The form's refusal in one sentence; each field's reason is under its field, any other is said here. */
function summary(problem: Problem): string {
  const fields = Object.keys(problem.fields);
  if (fields.length === 0) return problem.message;
  const elsewhere = fields.filter((f) => !SHOWN.includes(f)).map((f) => problem.fields[f]);
  if (elsewhere.length > 0) return elsewhere.join(" ");
  return fields.length === 1 ? "Un champ est à corriger : voyez le message sous ce champ." : `${fields.length} champs sont à corriger : voyez le message sous chacun.`;
}

/**
 * A plate another vehicle holds over the period comes back as a conflict
 * (409) whose French message names the holder: it belongs next to the plate.
 */
function plateHeldNextToPlate(problem: Problem): Problem {
  if (problem.status !== 409) return problem;
  return { ...problem, message: "Certains champs sont à corriger :", fields: { plate: problem.message } };
}
