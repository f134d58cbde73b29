import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/client";
import { stateOf } from "./state";

const user = (extra: object): Schemas["User"] => ({
  tenant_id: "t", user_id: "u", email: "a@b.example", first_name: "A", last_name: "B", active: true, grants: [],
  ...extra,
} as Schemas["User"]);

describe("a user's state", () => {
  it("is the API's when it tells it", () => {
    expect(stateOf(user({ state: "invited" }))).toBe("invited");
    expect(stateOf(user({ active: false, state: "deactivated" }))).toBe("deactivated");
  });
  it("falls back on active or not", () => {
    expect(stateOf(user({ active: false, state: undefined }))).toBe("deactivated");
  });
});
