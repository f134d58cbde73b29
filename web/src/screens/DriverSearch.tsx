// A driver of the base, found as you type (name or e-mail).
import { useEffect, useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { useApp } from "../context";
import { Field } from "./Field";

interface Props {
  entityId: string;
  busy: boolean;
  onPick: (driverId: string) => void;
}

const SHOWN = 8;

function matches(driver: Schemas["Driver"], words: string[]): boolean {
  const text = `${driver.first_name} ${driver.last_name} ${driver.professional_email ?? ""}`
    .normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
  return words.every((w) => text.includes(w));
}

export function DriverSearch({ entityId, busy, onPick }: Props) {
  const { api } = useApp();
  const [drivers, setDrivers] = useState<Schemas["Driver"][] | null>(null);
  const [search, setSearch] = useState("");
  useEffect(() => {
    api.GET("/drivers", { params: { query: { entity_id: entityId } } }).then(
      ({ data }) => setDrivers(data?.drivers ?? []),
      () => setDrivers([]),
    );
  }, [entityId]);

  const words = search.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().split(/\s+/).filter(Boolean);
  const found = words.length ? (drivers ?? []).filter((d) => matches(d, words)).slice(0, SHOWN) : [];
  return (
    <div class="driver-search">
      <Field label="Rechercher un conducteur" id="driver-search" hint="Nom, prénom ou e-mail">
        <input id="driver-search" type="search" value={search} aria-describedby="driver-search-hint"
          onInput={(e) => setSearch(e.currentTarget.value)} autocomplete="off" />
      </Field>
      {drivers === null && <p aria-busy="true">Chargement des conducteurs…</p>}
      {words.length > 0 && found.length === 0 && drivers && <p class="empty">Aucun conducteur trouvé.</p>}
      <ul aria-live="polite">
        {found.map((d) => (
          <li key={d.driver_id}>
            <span>{d.first_name} {d.last_name} <span class="muted">{d.address.city}</span></span>
            <button type="button" disabled={busy} onClick={() => onPick(d.driver_id)}>
              Désigner {d.first_name} {d.last_name}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
