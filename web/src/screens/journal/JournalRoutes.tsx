// Journal d'accès (tenant admins): who did what and when, its integrity
// check and its CSV export.
import "./journal.css";
import { useApp } from "../../context";
import { JournalCheck } from "./JournalCheck";
import { JournalEntries } from "./JournalEntries";
import { JournalExport } from "./JournalExport";

export function JournalRoutes({ url }: { url: URL }) {
  const { me } = useApp();
  if (!me.can.manage_tenant) {
    return (
      <section aria-labelledby="journal-title" data-path={url.pathname}>
        <h1 id="journal-title">Journal d'accès</h1>
        <p class="error" role="alert">Le journal d'accès est réservé aux administrateurs du compte.</p>
      </section>
    );
  }
  return (
    <div class="journal" data-path={url.pathname}>
      <h1 id="journal-title">Journal d'accès</h1>
      <p class="hint">
        Chaque modification, et chaque consultation des données d'un conducteur, est inscrite ici avec son auteur et
        son heure. Les entrées sont gardées un an et enchaînées les unes aux autres : on ne peut pas en retirer ni en
        changer une sans que la vérification le montre.
      </p>
      <div class="journal-tools">
        <JournalCheck />
        <JournalExport />
      </div>
      <JournalEntries />
    </div>
  );
}
