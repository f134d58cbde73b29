// The register of data-subject requests, newest first: what was asked,
// for whom, by whom, and what was done or why it was refused.
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { parisDateTime } from "../../format";
import { useDrivers, useUsers, userName } from "./people";
import { type PeopleNames, RIGHTS, detailsText, erasedSubjects, noticesInFlight, reasonText, subjectText } from "./privacyText";
import { NoticeLinks } from "./RequestOutcome";

type Entry = Schemas["PrivacyRegisterEntry"];

export function Register() {
  const { api, me } = useApp();
  const drivers = useDrivers();
  const users = useUsers();
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    api.GET("/privacy/requests").then(
      ({ data, error, response }) => (data ? setEntries(data.requests) : setProblem(problemOf(error, response.status))),
      () => setProblem(networkProblem()),
    );
  }, []);

  const ready = entries !== null && drivers !== null && users !== null;
  const names: PeopleNames | null = ready ? {
    driver: (id) => { const d = drivers.get(id); return d && `${d.first_name} ${d.last_name}`; },
    user: (id) => { const u = users.byId.get(id); return u && `${u.first_name} ${u.last_name}`; },
  } : null;
  return (
    <section aria-labelledby="privacy-title" data-loaded={String(ready)}>
      <h1 id="privacy-title">Données personnelles</h1>
      <p class="hint">
        Les demandes des conducteurs, des personnes désignées et des utilisateurs sur leurs données (RGPD) : chacune
        est traitée aussitôt et inscrite à ce registre, gardé 5 ans. Le registre ne contient jamais les données elles-mêmes.
      </p>
      <p><a class="button primary" href="/donnees-personnelles/nouvelle">Nouvelle demande</a></p>
      <h2>Registre des demandes</h2>
      {!ready && !problem && <p aria-busy="true">Chargement du registre…</p>}
      {problem && <p class="error" role="alert">{problem.message}</p>}
      {ready && names && entries.length === 0 && <p class="empty">Aucune demande n'a encore été reçue.</p>}
      {ready && names && entries.length > 0 && (
        <RegisterTable entries={entries} names={names} who={(id) => userName(id, users, me.user.user_id)} />
      )}
    </section>
  );
}

function RegisterTable({ entries, names, who }: { entries: Entry[]; names: PeopleNames; who: (id: string) => string }) {
  const erased = erasedSubjects(entries);
  return (
    <table class="notices register">
      <caption class="visually-hidden">Registre des demandes, la plus récente en premier</caption>
      <thead>
        <tr>
          <th scope="col">Reçue le</th>
          <th scope="col">Droit</th>
          <th scope="col">Personne concernée</th>
          <th scope="col">Résultat</th>
          <th scope="col">Traitée par</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.request_id} data-request={e.request_id}>
            <td>{parisDateTime(e.received_at)}{e.reference && <span class="muted">Réf. {e.reference}</span>}</td>
            <td>{RIGHTS[e.right]}</td>
            <td>{subjectText(e.subject, names, erased.has(`${e.subject.type}:${e.subject.id}`))}</td>
            <td><Result entry={e} /></td>
            <td>{who(e.requested_by)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Result({ entry }: { entry: Entry }) {
  const done = entry.outcome === "done";
  return (
    <>
      <strong class={done ? "outcome-done" : "outcome-refused"}>{done ? "Traitée" : "Refusée"}</strong>
      {!done && <span class="muted">{reasonText(entry)}</span>}
      {!done && <NoticeLinks numbers={noticesInFlight(entry)} />}
      {detailsText(entry).map((line) => <span key={line} class="muted">{line}</span>)}
    </>
  );
}
