// Who the API's ids name: users (for "who did it") and entities (for "where").
// Shared by the exports, journal and privacy screens.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { useApp } from "../../context";
import { useEntities as useSeenEntities } from "../../ui/entities";

type User = Schemas["User"];

/** The journal's actor for what designa does by itself. */
export const SYSTEM = "system";

/** The users the caller manages, by id; `complete` when that is everyone of the tenant. */
export interface Users {
  byId: Map<string, User>;
  complete: boolean;
}

/**
 * The users the caller manages (none for someone who manages no one: their
 * screens then say "un collègue"). Null while loading.
 */
export function useUsers(): Users | null {
  const { api, me } = useApp();
  const [users, setUsers] = useState<Users | null>(null);
  useEffect(() => {
    if (!me.can.manage_users) return setUsers({ byId: new Map(), complete: false });
    const complete = me.can.manage_users.kind === "all_entities";
    api.GET("/users").then(
      ({ data }) => setUsers({ byId: new Map((data?.users ?? []).map((u) => [u.user_id, u])), complete: complete && !!data }),
      () => setUsers({ byId: new Map(), complete: false }),
    );
  }, []);
  return users;
}

/** The entities the caller sees, by id; null while loading (none when they cannot be read). */
export function useEntities(): Map<string, Schemas["Entity"]> | null {
  const { entities, problem } = useSeenEntities();
  const shown = entities ?? (problem ? [] : null);
  return useMemo(() => shown && new Map(shown.map((e) => [e.entity_id, e])), [shown]);
}

/**
 * A user's name as a colleague reads it: "vous" for oneself, designa for
 * the system, "un utilisateur effacé" for an id that no longer names anyone.
 */
export function userName(id: string, users: Users, self: string): string {
  if (id === self) return "Vous";
  if (id === SYSTEM) return "designa (automatique)";
  const user = users.byId.get(id);
  if (user) return `${user.first_name} ${user.last_name}`;
  return users.complete ? "Utilisateur supprimé" : "Un collègue";
}

/** The drivers of the base the caller sees, by id; null while loading. */
export function useDrivers(): Map<string, Schemas["Driver"]> | null {
  const { api } = useApp();
  const [drivers, setDrivers] = useState<Map<string, Schemas["Driver"]> | null>(null);
  useEffect(() => {
    api.GET("/drivers").then(
      ({ data }) => setDrivers(new Map((data?.drivers ?? []).map((d) => [d.driver_id, d]))),
      () => setDrivers(new Map()),
    );
  }, []);
  return drivers;
}
