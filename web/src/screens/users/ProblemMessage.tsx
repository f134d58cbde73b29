// A failed call's message above the form, with any reason that has no field.
import type { Problem } from "../../api/client";

/** When every reason stands by its field, the message above only points to them. */
export const SEE_FIELDS = "Certains champs sont à corriger : voyez le message sous chacun d'eux.";

export function ProblemMessage({ problem, rest = [] }: { problem: Problem | null; rest?: string[] }) {
  if (!problem) return null;
  const placedOnly = Object.keys(problem.fields).length > 0 && rest.length === 0;
  return (
    <div class="error" role="alert">
      <p>{placedOnly ? SEE_FIELDS : problem.message}</p>
      {rest.length > 0 && <ul>{rest.map((reason) => <li key={reason}>{reason}</li>)}</ul>}
    </div>
  );
}
