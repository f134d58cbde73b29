// The API's field errors placed on the form's inputs. A field path the form
// has no input for (none expected) is still told, under the form's message.
import type { Problem } from "../../api/client";

export interface Placed {
  /** Each reason by the id of the input it is shown next to. */
  byId: Record<string, string>;
  /** Reasons with no input to stand by. */
  rest: string[];
}

/** `ids` maps the API's paths (`address.postcode`) to input ids (`entity-address-postcode`). */
export function placeErrors(problem: Problem | null, ids: Record<string, string>): Placed {
  const placed: Placed = { byId: {}, rest: [] };
  for (const [path, reason] of Object.entries(problem?.fields ?? {})) {
    const id = ids[path];
    if (id && !placed.byId[id]) placed.byId[id] = reason;
    else placed.rest.push(reason);
  }
  return placed;
}
