// The journal's entries, newest first, a page at a time, narrowed by who,
// what kind of action and a search in what was touched.
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { parisDateTime } from "../../format";
import { useEntities, useUsers, userName } from "../privacy/people";
import { JournalFilters, type Filters, NO_FILTERS, matching } from "./JournalFilters";
import { type Names, actionLabel, targetOf } from "./journalText";

type Entry = Schemas["JournalEntry"];

/** Entries a page: enough to read, few enough to come back fast. */
const PAGE = 50;

export function JournalEntries() {
  const { api, me } = useApp();
  const users = useUsers();
  const entities = useEntities();
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);

  async function load(before?: string) {
    setBusy(true);
    setProblem(null);
    try {
      const { data, error, response } = await api.GET("/journal", { params: { query: { limit: PAGE, before } } });
      if (!data) setProblem(problemOf(error, response.status));
      else {
        setEntries((shown) => (before && shown ? [...shown, ...data.entries] : data.entries));
        setNext(data.next_before ?? null);
      }
    } catch {
      setProblem(networkProblem());
    }
    setBusy(false);
  }

  useEffect(() => void load(), []);

  const ready = entries !== null && users !== null && entities !== null;
  const names: Names | null = ready
    ? {
      self: me.user.user_id,
      actor: (id) => userName(id, users, me.user.user_id),
      person: (id) => { const u = users.byId.get(id); return u && `${u.first_name} ${u.last_name}`; },
      entity: (id) => entities.get(id)?.name,
    }
    : null;
  const shown = ready && names ? entries.filter((e) => matching(e, filters, names)) : [];
  const filtered = filters !== NO_FILTERS;
  return (
    <section aria-labelledby="journal-entries-title" data-loaded={String(ready)}>
      <h2 id="journal-entries-title">Entrées</h2>
      {users && <JournalFilters filters={filters} onChange={setFilters} users={users} self={me.user.user_id} />}
      {!ready && !problem && <p aria-busy="true">Chargement du journal…</p>}
      {ready && names && (
        <>
          <p class="journal-count" role="status">{countLine(shown.length, entries.length, filtered, !!next)}</p>
          {shown.length > 0 && <EntryTable entries={shown} names={names} />}
        </>
      )}
      {problem && <p class="error" role="alert">{problem.message}</p>}
      {next && (
        <button type="button" onClick={() => void load(next)} disabled={busy}>
          {busy ? "Chargement…" : "Entrées plus anciennes"}
        </button>
      )}
      {ready && !next && entries.length > 0 && <p class="hint">C'est la plus ancienne entrée gardée (un an au plus).</p>}
    </section>
  );
}

function countLine(shown: number, loaded: number, filtered: boolean, more: boolean): string {
  const entries = (n: number) => `${n} entrée${n > 1 ? "s" : ""}`;
  if (loaded === 0) return "Le journal ne contient encore aucune entrée.";
  if (!filtered) return `${entries(loaded)} affichée${loaded > 1 ? "s" : ""}, les plus récentes en premier.`;
  const further = more ? " Les filtres portent sur les entrées chargées : chargez les plus anciennes pour chercher plus loin." : "";
  return `${entries(shown)} sur ${loaded} chargée${loaded > 1 ? "s" : ""} ${shown > 1 ? "correspondent" : "correspond"} aux filtres.${further}`;
}

function EntryTable({ entries, names }: { entries: Entry[]; names: Names }) {
  return (
    <table class="notices journal-entries">
      <caption class="visually-hidden">Entrées du journal, les plus récentes en premier</caption>
      <thead>
        <tr>
          <th scope="col">N°</th>
          <th scope="col">Date et heure (Paris)</th>
          <th scope="col">Qui</th>
          <th scope="col">Action</th>
          <th scope="col">Sur quoi</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => <EntryRow key={e.entry_id} entry={e} names={names} />)}
      </tbody>
    </table>
  );
}

function EntryRow({ entry, names }: { entry: Entry; names: Names }) {
  const target = targetOf(entry, names);
  return (
    <tr>
      <td class="seq">{entry.seq}</td>
      <td><time dateTime={entry.at}>{parisDateTime(entry.at)}</time></td>
      <td>{names.actor(entry.user_id)}</td>
      <td>{actionLabel(entry.action)}</td>
      <td>
        {entry.action === "sign_in" ? "—" : target.href ? <a href={target.href}>{target.text}</a> : target.text}
      </td>
    </tr>
  );
}
