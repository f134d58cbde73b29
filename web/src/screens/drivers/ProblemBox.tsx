// A refusal above a form: the API's French message, and the reasons of
// fields that no input of the form shows (named in French, never by path).
import type { Problem } from "../../api/client";

interface Props {
  problem: Problem;
  /** The fields the form shows next to its inputs, by the API's path. */
  shown: string[];
  /** French names of fields the form does not show. */
  names?: Record<string, string>;
}

export function ProblemBox({ problem, shown, names = {} }: Props) {
  const elsewhere = Object.entries(problem.fields).filter(([field]) => !shown.includes(field));
  const fieldsOnly = Object.keys(problem.fields).length > 0;
  return (
    <div class="error" role="alert">
      <p>{fieldsOnly && elsewhere.length === 0 ? "Certains champs sont à corriger : voyez le message sous chacun." : problem.message}</p>
      {elsewhere.length > 0 && (
        <ul>
          {elsewhere.map(([field, reason]) => <li key={field}>{names[field] ? `${names[field]} : ${reason}` : reason}</li>)}
        </ul>
      )}
    </div>
  );
}
