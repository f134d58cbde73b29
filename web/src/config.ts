// The runtime configuration, published beside the assets (docs/operations.md).
export interface AppConfig {
  api_url: string;
  cognito_url: string;
  client_id: string;
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error("configuration introuvable (/config.json)");
  return (await response.json()) as AppConfig;
}
