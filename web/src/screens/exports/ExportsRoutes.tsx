// Exports: the area's screens, by address (placeholder until the screen lands).
export function ExportsRoutes({ url }: { url: URL }) {
  return (
    <section aria-labelledby="area-title" data-path={url.pathname}>
      <h1 id="area-title">Exports</h1>
    </section>
  );
}
