// One vehicle's or one driver's assignments as a table: who (or which
// vehicle), the period in Paris time, where it stands, and the actions.
import type { ComponentChildren } from "preact";
import { useApp } from "../../context";
import { writesIn } from "../drivers/access";
import { done } from "../../ui/load";
import { RemoveButton } from "../drivers/RemoveButton";
import type { Assignment } from "./data";
import { PERIOD_STATE, periodLabel, periodState } from "./time";

interface Props {
  /** The table's name for screen readers: "Conducteurs de AB-123-CD". */
  label: string;
  /** The first column's heading: "Conducteur" or "Véhicule". */
  whoTitle: string;
  assignments: Assignment[];
  /** The first column's content for an assignment (a driver or a vehicle). */
  who: (a: Assignment) => ComponentChildren;
  /** The first column as plain text, for the buttons' names. */
  whoText: (a: Assignment) => string;
  onChanged: () => void;
  now: number;
}

export function AssignmentTable({ label, whoTitle, assignments, who, whoText, onChanged, now }: Props) {
  const { me } = useApp();
  const writes = assignments.some((a) => writesIn(me.can, a.entity_id));
  return (
    <table class="notices planning" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{whoTitle}</th>
          <th scope="col">Période (heure de Paris)</th>
          <th scope="col">État</th>
          {writes && <th scope="col"><span class="visually-hidden">Actions</span></th>}
        </tr>
      </thead>
      <tbody>
        {assignments.map((a) => (
          <tr key={a.assignment_id} data-assignment={a.assignment_id}>
            <th scope="row">{who(a)}</th>
            <td>{periodLabel(a)}</td>
            <td><span class={`badge period-${periodState(a, now)}`}>{PERIOD_STATE[periodState(a, now)]}</span></td>
            {writes && <td><Actions assignment={a} name={whoText(a)} onChanged={onChanged} /></td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Actions({ assignment: a, name, onChanged }: { assignment: Assignment; name: string; onChanged: () => void }) {
  const { api, me } = useApp();
  if (!writesIn(me.can, a.entity_id)) return null;
  const what = `l'attribution de ${name} ${periodLabel(a)}`;
  const remove = async () => {
    const problem = await done(api.DELETE("/assignments/{assignmentId}", { params: { path: { assignmentId: a.assignment_id } } }));
    if (!problem) onChanged();
    return problem;
  };
  return (
    <div class="row-actions">
      <a class="button" href={`/planning/${encodeURIComponent(a.assignment_id)}`} aria-label={`Modifier ${what}`}>Modifier</a>
      <RemoveButton what={what} onConfirm={remove} />
    </div>
  );
}
