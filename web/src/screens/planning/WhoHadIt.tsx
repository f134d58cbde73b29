// "Qui avait ce véhicule le …": the driver or drivers assigned to a
// vehicle at a Paris date and time, as a notice would suggest them.
import { useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { useApp } from "../../context";
import { navigate } from "../../router";
import { Field } from "../Field";
import { call, useLoad } from "../../ui/load";
import { plateLabel } from "../../ui/plate";
import { parisMinute, toParis } from "./time";

type Vehicle = Schemas["Vehicle"];

/** `/planning/qui-avait?vehicule=<id>&le=AAAA-MM-JJTHH:MM` (Paris time). */
export function WhoHadIt({ query }: { query: URLSearchParams }) {
  const { api } = useApp();
  const vehicles = useLoad(() => call(api.GET("/vehicles")), []);
  const vehicleId = query.get("vehicule") ?? "";
  const at = query.get("le") ?? "";
  return (
    <section aria-labelledby="who-title" data-loaded={String(vehicles.fresh && !!vehicles.data)}>
      <p><a href="/planning">← Planning</a></p>
      <h1 id="who-title">Qui avait ce véhicule le … ?</h1>
      <p class="hint">
        Le ou les conducteurs attribués à un véhicule à une date et une heure données (heure de Paris),
        tels qu'un avis les suggérerait.
      </p>
      {vehicles.problem && <p class="error" role="alert">{vehicles.problem.message}</p>}
      {vehicles.data && <WhoForm vehicles={vehicles.data.vehicles} vehicleId={vehicleId} at={at} />}
      {vehicles.data && vehicleId && at && (
        <WhoAnswer key={`${vehicleId}@${at}`} vehicle={vehicles.data.vehicles.find((v) => v.vehicle_id === vehicleId)}
          vehicleId={vehicleId} at={at} />
      )}
    </section>
  );
}

function WhoForm({ vehicles, vehicleId, at }: { vehicles: Vehicle[]; vehicleId: string; at: string }) {
  const now = toParis(new Date().toISOString());
  const [vehicle, setVehicle] = useState(vehicleId);
  const [date, setDate] = useState(at ? at.slice(0, 10) : now.date);
  const [time, setTime] = useState(at ? at.slice(11, 16) : now.time);
  const [errors, setErrors] = useState<Record<string, string>>({});
  function ask(event: Event) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!vehicle) found.vehicle = "Choisissez le véhicule.";
    if (!date) found.date = "Indiquez le jour.";
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const params = new URLSearchParams({ vehicule: vehicle, le: `${date}T${time || "00:00"}` });
    navigate(`/planning/qui-avait?${params}`);
  }
  const invalid = (key: string) => (errors[key] ? { "aria-invalid": "true" as const, "aria-describedby": `who-${key}-error` } : {});
  return (
    <form class="filters who" onSubmit={ask} noValidate aria-label="Chercher qui avait le véhicule">
      <Field label="Véhicule" id="who-vehicle" error={errors.vehicle}>
        <select id="who-vehicle" value={vehicle} onChange={(e) => setVehicle(e.currentTarget.value)} {...invalid("vehicle")}>
          <option value="">Choisissez…</option>
          {vehicles.map((v) => (
            <option key={v.vehicle_id} value={v.vehicle_id}>{plateLabel(v.plate)} — {v.make} {v.model}</option>
          ))}
        </select>
      </Field>
      <Field label="Jour" id="who-date" error={errors.date}>
        <input id="who-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} {...invalid("date")} />
      </Field>
      <Field label="Heure (Paris)" id="who-time">
        <input id="who-time" type="time" value={time} onInput={(e) => setTime(e.currentTarget.value)} />
      </Field>
      <button type="submit" class="primary">Chercher</button>
    </form>
  );
}

function WhoAnswer({ vehicle, vehicleId, at }: { vehicle?: Vehicle; vehicleId: string; at: string }) {
  const { api } = useApp();
  const answer = useLoad(() => call(api.GET("/vehicles/{vehicleId}/drivers", {
    params: { path: { vehicleId }, query: { at } },
  })), [vehicleId, at]);
  const plate = vehicle ? plateLabel(vehicle.plate) : "Ce véhicule";
  if (answer.problem) return <p class="error" role="alert">{answer.problem.message}</p>;
  if (!answer.data) return <p aria-busy="true">Recherche…</p>;
  const { drivers } = answer.data;
  const when = parisMinute(answer.data.at).replace(" ", " à ");
  return (
    <div class="card who-answer" role="region" aria-labelledby="who-answer-title" data-answered="true">
      <h2 id="who-answer-title">Le {when} (heure de Paris)</h2>
      {drivers.length === 0 && <p>Personne n'avait {plate} : aucune attribution ne couvre ce moment.</p>}
      {drivers.length === 1 && <p>{plate} était attribué à :</p>}
      {drivers.length > 1 && <p>{plate} était partagé entre {drivers.length} conducteurs (véhicule de pool) :</p>}
      {drivers.length > 0 && (
        <ul class="who-drivers">
          {drivers.map((d) => (
            <li key={d.driver_id}><a href={`/conducteurs/${encodeURIComponent(d.driver_id)}`}>{d.first_name} {d.last_name}</a></li>
          ))}
        </ul>
      )}
    </div>
  );
}
