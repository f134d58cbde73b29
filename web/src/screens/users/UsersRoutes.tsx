// Utilisateurs: the area's screens, by address (placeholder until the screen lands).
export function UsersRoutes({ url }: { url: URL }) {
  return (
    <section aria-labelledby="area-title" data-path={url.pathname}>
      <h1 id="area-title">Utilisateurs</h1>
    </section>
  );
}
