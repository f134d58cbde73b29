// Données personnelles: the area's screens, by address (placeholder until the screen lands).
export function PrivacyRoutes({ url }: { url: URL }) {
  return (
    <section aria-labelledby="area-title" data-path={url.pathname}>
      <h1 id="area-title">Données personnelles</h1>
    </section>
  );
}
