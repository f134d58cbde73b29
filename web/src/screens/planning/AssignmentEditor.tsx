// Adding or changing an assignment: a vehicle, a driver, a period in Paris
// time. A refusal for an overlap names the assignment in the way and the rule.
import { SetUpFirst } from "../SetUpFirst";
import { useState } from "preact/hooks";
import type { Problem, Schemas } from "../../api/client";
import { useApp } from "../../context";
import { navigate } from "../../router";
import { Field } from "../Field";
import { entityName, writesIn } from "../drivers/access";
import { call, done, useLoad } from "../../ui/load";
import { ProblemBox } from "../drivers/ProblemBox";
import { RemoveButton } from "../drivers/RemoveButton";
import { type Assignment, type Planning, driverName, loadPlanning } from "./data";
import { plateLabel } from "../../ui/plate";
import { RULE, conflictOf, refusalText } from "./rules";
import { fromParis, nextDay, periodLabel, toParis } from "./time";
import { type Period, PeriodFields, emptyPeriod } from "./PeriodFields";

type Input = Schemas["AssignmentInput"];

/** `/planning/nouvelle` (no id; `?vehicule=`, `?conducteur=` preset) or `/planning/<id>`. */
export function AssignmentEditor({ assignmentId, query }: { assignmentId?: string; query: URLSearchParams }) {
  const { api } = useApp();
  const loading = useLoad(async () => {
    const planning = await loadPlanning(api);
    if ("problem" in planning || !assignmentId) return planning;
    const one = await call(api.GET("/assignments/{assignmentId}", { params: { path: { assignmentId } } }));
    return "problem" in one ? one : { data: { ...planning.data, editing: one.data } };
  }, [assignmentId]);
  const data = loading.data as (Planning & { editing?: Assignment }) | null;
  return (
    <section aria-labelledby="assignment-title" data-loaded={String(loading.fresh && !!data)}>
      <p><a href="/planning">← Planning</a></p>
      <h1 id="assignment-title">{assignmentId ? "Modifier l'attribution" : "Nouvelle attribution"}</h1>
      {loading.problem && <p class="error" role="alert">{loading.problem.message}</p>}
      {!data && !loading.problem && <p aria-busy="true">Chargement…</p>}
      {data && <AssignmentForm planning={data} editing={data.editing} query={query} />}
    </section>
  );
}

interface FormProps {
  planning: Planning;
  editing?: Assignment;
  query: URLSearchParams;
}

/** What the form's inputs hold, before it becomes the API's input. */
interface Values {
  vehicle: string;
  driver: string;
  from: Period;
  until: Period;
}

function initialValues(editing: Assignment | undefined, query: URLSearchParams): Values {
  if (!editing) {
    const today = toParis(new Date().toISOString()).date;
    return { vehicle: query.get("vehicule") ?? "", driver: query.get("conducteur") ?? "", from: { date: today, time: "00:00" }, until: emptyPeriod };
  }
  return {
    vehicle: editing.vehicle_id, driver: editing.driver_id,
    from: toParis(editing.from), until: editing.until ? toParis(editing.until) : emptyPeriod,
  };
}

/** The API's input, or the field errors found before sending. */
export function inputOf(values: Values): { input: Input } | { fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  if (!values.vehicle) fields.vehicle_id = "Choisissez le véhicule.";
  if (!values.driver) fields.driver_id = "Choisissez le conducteur.";
  if (!values.from.date) fields.from = "Indiquez le jour où le conducteur prend le véhicule.";
  if (!values.until.date && values.until.time) fields.until = "Indiquez aussi le jour, ou effacez l'heure.";
  if (Object.keys(fields).length > 0) return { fields };
  const { until } = values;
  const end = !until.date ? null : until.time ? fromParis(until.date, until.time) : fromParis(nextDay(until.date), "00:00");
  return {
    input: { vehicle_id: values.vehicle, driver_id: values.driver, from: fromParis(values.from.date, values.from.time || "00:00"), until: end },
  };
}

const SHOWN = ["vehicle_id", "driver_id", "from", "until"];

function AssignmentForm({ planning, editing, query }: FormProps) {
  const { api, me } = useApp();
  const [values, setValues] = useState<Values>(() => initialValues(editing, query));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [refusal, setRefusal] = useState<{ text: string; conflict?: Assignment } | null>(null);
  const [busy, setBusy] = useState(false);
  const vehicles = planning.vehicles.filter((v) => writesIn(me.can, v.entity_id));
  const set = (changes: Partial<Values>) => setValues({ ...values, ...changes });

  async function save(event: Event) {
    event.preventDefault();
    setProblem(null);
    setRefusal(null);
    const checked = inputOf(values);
    if ("fields" in checked) return setProblem({ message: "Certains champs sont à corriger :", fields: checked.fields });
    setBusy(true);
    const body = checked.input;
    const result = await call(editing
      ? api.PUT("/assignments/{assignmentId}", { params: { path: { assignmentId: editing.assignment_id } }, body })
      : api.POST("/assignments", { body }));
    if ("problem" in result && result.problem.status === 409) {
      setRefusal(await explain({ ...body, assignment_id: editing?.assignment_id }));
    } else if ("problem" in result) {
      setProblem(result.problem);
    } else {
      afterSave(result.data);
    }
    setBusy(false);
  }

  /** Reads the vehicle's planning as it stands now, to say which assignment is in the way. */
  async function explain(candidate: Input & { assignment_id?: string }) {
    const vehicle = planning.vehicles.find((v) => v.vehicle_id === candidate.vehicle_id);
    const current = await call(api.GET("/assignments", { params: { query: { vehicle_id: candidate.vehicle_id } } }));
    const conflict = "data" in current ? conflictOf(candidate, current.data.assignments, !!vehicle?.pool) : null;
    if (!conflict) return { text: RULE };
    return { text: refusalText(candidate, conflict, driverName(planning.drivers, conflict.driver_id)), conflict };
  }

  function afterSave(saved: Assignment) {
    const driver = query.get("conducteur");
    if (driver && driver === saved.driver_id) return navigate(`/conducteurs/${encodeURIComponent(driver)}?enregistre=attribution`);
    const vehicle = planning.vehicles.find((v) => v.vehicle_id === saved.vehicle_id);
    const search = vehicle ? `&recherche=${encodeURIComponent(plateLabel(vehicle.plate))}` : "";
    navigate(`/planning?enregistre=1&passees=1${search}`);
  }

  if (planning.vehicles.length === 0) return <SetUpFirst missing="vehicle" />;
  if (planning.drivers.length === 0) return <SetUpFirst missing="driver" />;
  if (vehicles.length === 0 || (editing && !writesIn(me.can, editing.entity_id))) {
    return <p class="error" role="alert">Vous pouvez consulter le planning, mais pas le modifier.</p>;
  }
  const fields = problem?.fields ?? {};
  return (
    <form class="card assignment-form" onSubmit={save} noValidate aria-label={editing ? "Modifier l'attribution" : "Nouvelle attribution"}>
      <VehicleSelect planning={planning} value={values.vehicle} error={fields.vehicle_id} onChange={(vehicle) => set({ vehicle })} />
      <VehiclePlan planning={planning} vehicleId={values.vehicle} editing={editing} />
      <DriverSelect planning={planning} value={values.driver} error={fields.driver_id} onChange={(driver) => set({ driver })} />
      <PeriodFields values={values} errors={fields} onChange={(from, until) => set({ from, until })} />
      {problem && <ProblemBox problem={problem} shown={SHOWN} />}
      {refusal && <Refusal {...refusal} />}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{editing ? "Enregistrer les modifications" : "Enregistrer l'attribution"}</button>
        <a class="button" href="/planning">Annuler</a>
      </div>
      {editing && <RemoveAssignment assignment={editing} planning={planning} />}
    </form>
  );
}

function Refusal({ text, conflict }: { text: string; conflict?: Assignment }) {
  return (
    <div class="error refusal" role="alert">
      <p><strong>Attribution refusée.</strong> {text}</p>
      {conflict && <p><a href={`/planning/${encodeURIComponent(conflict.assignment_id)}`}>Voir l'attribution en conflit</a></p>}
    </div>
  );
}

function RemoveAssignment({ assignment, planning }: { assignment: Assignment; planning: Planning }) {
  const { api } = useApp();
  const name = driverName(planning.drivers, assignment.driver_id);
  const remove = async () => {
    const problem = await done(api.DELETE("/assignments/{assignmentId}", { params: { path: { assignmentId: assignment.assignment_id } } }));
    if (!problem) navigate("/planning");
    return problem;
  };
  return (
    <div class="remove-assignment">
      <RemoveButton what={`l'attribution de ${name} ${periodLabel(assignment)}`} onConfirm={remove} />
    </div>
  );
}

interface SelectProps {
  planning: Planning;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}

function VehicleSelect({ planning, value, error, onChange }: SelectProps) {
  const { me } = useApp();
  const vehicles = planning.vehicles.filter((v) => writesIn(me.can, v.entity_id));
  return (
    <Field label="Véhicule" id="assignment-vehicle" error={error}>
      <select id="assignment-vehicle" value={value} onChange={(e) => onChange(e.currentTarget.value)}
        aria-invalid={error ? "true" : undefined} aria-describedby={error ? "assignment-vehicle-error" : undefined}>
        <option value="">Choisissez…</option>
        {vehicles.map((v) => (
          <option key={v.vehicle_id} value={v.vehicle_id}>
            {plateLabel(v.plate)} — {v.make} {v.model}{v.pool ? " (véhicule de pool)" : ""} — {entityName(planning.entities, v.entity_id)}
          </option>
        ))}
      </select>
    </Field>
  );
}

function DriverSelect({ planning, value, error, onChange }: SelectProps) {
  return (
    <Field label="Conducteur" id="assignment-driver" error={error}>
      <select id="assignment-driver" value={value} onChange={(e) => onChange(e.currentTarget.value)}
        aria-invalid={error ? "true" : undefined} aria-describedby={error ? "assignment-driver-error" : undefined}>
        <option value="">Choisissez…</option>
        {planning.drivers.map((d) => (
          <option key={d.driver_id} value={d.driver_id}>
            {d.last_name} {d.first_name} — {entityName(planning.entities, d.entity_id)}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** The chosen vehicle's other assignments, to pick a period that fits. */
function VehiclePlan({ planning, vehicleId, editing }: { planning: Planning; vehicleId: string; editing?: Assignment }) {
  const vehicle = planning.vehicles.find((v) => v.vehicle_id === vehicleId);
  if (!vehicle) return null;
  const others = planning.assignments.filter((a) => a.vehicle_id === vehicleId && a.assignment_id !== editing?.assignment_id);
  return (
    <div class="vehicle-plan" aria-live="polite">
      <p class="hint">
        {vehicle.pool
          ? "Véhicule de pool : plusieurs conducteurs peuvent l'avoir en même temps, mais un même conducteur une seule fois par période."
          : "Un seul conducteur à la fois : la période ne doit pas chevaucher celles déjà prévues."}
      </p>
      {others.length === 0 ? <p class="hint">Aucune autre attribution pour ce véhicule.</p> : (
        <>
          <p class="hint">Déjà prévu pour {plateLabel(vehicle.plate)} :</p>
          <ul class="hint">
            {others.map((a) => <li key={a.assignment_id}>{driverName(planning.drivers, a.driver_id)}, {periodLabel(a)}</li>)}
          </ul>
        </>
      )}
    </div>
  );
}
