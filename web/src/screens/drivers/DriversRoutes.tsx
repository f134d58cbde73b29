// Conducteurs: the area's screens, by address (placeholder until the screen lands).
export function DriversRoutes({ url }: { url: URL }) {
  return (
    <section aria-labelledby="area-title" data-path={url.pathname}>
      <h1 id="area-title">Conducteurs</h1>
    </section>
  );
}
