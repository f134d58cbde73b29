// Journal d'accès: the area's screens, by address (placeholder until the screen lands).
export function JournalRoutes({ url }: { url: URL }) {
  return (
    <section aria-labelledby="area-title" data-path={url.pathname}>
      <h1 id="area-title">Journal d'accès</h1>
    </section>
  );
}
