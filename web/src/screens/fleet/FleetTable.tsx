// The fleet's table: one row per vehicle, its actions for those who may
// change it, and the removal's confirmation on a row of its own beneath.
import { Fragment } from "preact";
import { useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { useApp } from "../../context";
import { frenchDate } from "../../format";
import { entityName } from "./entities";
import { plateLabel } from "../../ui/plate";
import { ConfirmRemoval, RemoveButton } from "./RemoveVehicle";
import { type Vehicle, fleetState, fleetStateLabel, writesFleetOf } from "./vehicles";

interface Props {
  vehicles: Vehicle[];
  entities: Schemas["Entity"][];
  today: string;
  onRemoved: (vehicleId: string, plate: string) => void;
}

export function FleetTable({ vehicles, entities, today, onRemoved }: Props) {
  const { me } = useApp();
  const writes = !!me.can.write_fleet;
  /** The vehicle whose removal awaits its confirmation. */
  const [removing, setRemoving] = useState<string | null>(null);
  return (
    <table class="notices fleet">
      <caption>{vehicles.length === 1 ? "1 véhicule" : `${vehicles.length} véhicules`}, par immatriculation</caption>
      <thead>
        <tr>
          <th scope="col">Immatriculation</th>
          <th scope="col">Véhicule</th>
          <th scope="col">Entité</th>
          <th scope="col">Entrée</th>
          <th scope="col">État</th>
          {writes && <th scope="col">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {vehicles.map((v) => {
          const plate = plateLabel(v.plate);
          return (
            <Fragment key={v.vehicle_id}>
              <tr data-plate={v.plate.normalized}>
                <th scope="row" class="plate">{plate}</th>
                <td>{v.make} {v.model}{v.pool && <span class="muted">Véhicule de pool</span>}</td>
                <td>{entityName(entities, v.entity_id)}</td>
                <td>{frenchDate(v.entry_on)}</td>
                <td class={`fleet-${fleetState(v, today)}`}>{fleetStateLabel(v, today)}</td>
                {writes && (
                  <td>
                    {writesFleetOf(me.can, v.entity_id) && (
                      <div class="row-actions">
                        <a href={`/flotte/${encodeURIComponent(v.vehicle_id)}`} aria-label={`Modifier le véhicule ${plate}`}>Modifier</a>
                        <RemoveButton plate={plate} onAsk={() => setRemoving(v.vehicle_id)} />
                      </div>
                    )}
                  </td>
                )}
              </tr>
              {removing === v.vehicle_id && (
                <tr class="confirm-row">
                  <td colSpan={writes ? 6 : 5}>
                    <ConfirmRemoval vehicleId={v.vehicle_id} plate={plate} onCancel={() => setRemoving(null)}
                      onRemoved={(p) => { setRemoving(null); onRemoved(v.vehicle_id, p); }} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
