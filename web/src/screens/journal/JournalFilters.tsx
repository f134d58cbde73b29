// Narrowing the loaded entries: who, which kind of action, and words in
// what was touched. The API pages the journal by entry and has no filters
// of its own, so these apply to the entries loaded so far.
import type { Schemas } from "../../api/client";
import { Field } from "../Field";
import { SYSTEM, type Users } from "../privacy/people";
import { ACTION_FAMILIES, type Names, actionLabel, targetOf } from "./journalText";

export interface Filters {
  who: string;
  family: string;
  search: string;
}

export const NO_FILTERS: Filters = { who: "", family: "", search: "" };

const folded = (text: string) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();

export function matching(entry: Schemas["JournalEntry"], filters: Filters, names: Names): boolean {
  if (filters.who && entry.user_id !== filters.who) return false;
  const family = ACTION_FAMILIES.find(([key]) => key === filters.family);
  if (family && !family[2](entry.action)) return false;
  const words = folded(filters.search).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = folded(`${targetOf(entry, names).text} ${actionLabel(entry.action)} ${names.actor(entry.user_id)}`);
  return words.every((w) => text.includes(w));
}

interface Props {
  filters: Filters;
  onChange: (filters: Filters) => void;
  users: Users;
  self: string;
}

export function JournalFilters({ filters, onChange, users, self }: Props) {
  const set = (key: keyof Filters) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    const changed = { ...filters, [key]: value };
    onChange(changed.who || changed.family || changed.search.trim() ? changed : NO_FILTERS);
  };
  const others = [...users.byId.values()].filter((u) => u.user_id !== self)
    .sort((a, b) => `${a.last_name} ${a.first_name}`.localeCompare(`${b.last_name} ${b.first_name}`, "fr"));
  return (
    <form class="filters" role="search" aria-label="Filtrer les entrées du journal" onSubmit={(e) => e.preventDefault()}>
      <Field label="Qui" id="journal-who">
        <select id="journal-who" value={filters.who} onChange={set("who")}>
          <option value="">Tout le monde</option>
          <option value={self}>Vous</option>
          <option value={SYSTEM}>designa (automatique)</option>
          {others.map((u) => <option key={u.user_id} value={u.user_id}>{u.first_name} {u.last_name}</option>)}
        </select>
      </Field>
      <Field label="Action" id="journal-family">
        <select id="journal-family" value={filters.family} onChange={set("family")}>
          <option value="">Toutes les actions</option>
          {ACTION_FAMILIES.map(([key, label]) => <option key={key} value={key}>{label}</option>)}
        </select>
      </Field>
      <Field label="Rechercher" id="journal-search">
        <input id="journal-search" type="search" value={filters.search} onInput={set("search")}
          placeholder="N° d'avis, entité, personne…" />
      </Field>
    </form>
  );
}
