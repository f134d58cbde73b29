import { render } from "preact";
import { loadConfig } from "./config";
import { Cognito } from "./auth/cognito";
import { Session } from "./auth/session";
import { apiClient } from "./api/client";
import { Root } from "./screens/Root";
import "./styles.css";

async function start(): Promise<void> {
  const root = document.getElementById("app")!;
  try {
    const config = await loadConfig();
    const cognito = new Cognito(config.cognito_url, config.client_id);
    const session = new Session(cognito);
    await session.resume();
    render(<Root cognito={cognito} session={session} api={apiClient(config.api_url, session)} />, root);
  } catch {
    root.textContent = "designa ne peut pas démarrer : la configuration est introuvable. Réessayez plus tard.";
  }
}

void start();
