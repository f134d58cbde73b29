// Paramètres du compte: the area's screens, by address (placeholder until the screen lands).
export function SettingsRoutes({ url }: { url: URL }) {
  return (
    <section aria-labelledby="area-title" data-path={url.pathname}>
      <h1 id="area-title">Paramètres du compte</h1>
    </section>
  );
}
