// A failed call's message above the form, with any reason that has no field.
import type { Problem } from "../../api/client";

export function ProblemMessage({ problem, rest = [] }: { problem: Problem | null; rest?: string[] }) {
  if (!problem) return null;
  return (
    <div class="error" role="alert">
      <p>{problem.message}</p>
      {rest.length > 0 && <ul>{rest.map((reason) => <li key={reason}>{reason}</li>)}</ul>}
    </div>
  );
}
