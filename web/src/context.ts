import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Api, Schemas } from "./api/client";
import type { Cognito } from "./auth/cognito";
import type { Session } from "./auth/session";

export interface AppContext {
  api: Api;
  cognito: Cognito;
  session: Session;
  me: Schemas["Me"];
  /** Reads `me` again, after a change to the user's names or the tenant's settings. */
  refreshMe: () => void;
}

export const App = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const app = useContext(App);
  if (!app) throw new Error("useApp outside a signed-in screen");
  return app;
}
