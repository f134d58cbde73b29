// What became of a request: done (and the file, for access and
// portability), or refused and why, with the notices that hold it up.
import type { Schemas } from "../../api/client";
import { saveBlob } from "../../ui/files";
import { RIGHTS, detailsText, noticesInFlight, reasonText } from "./privacyText";

type Result = Schemas["PrivacyRequestResult"];

/** The file the data is saved as: the right, the day and the start of the register's number, never a name. */
export function dataFileName(result: Result): string {
  const right = result.request.right === "access" ? "acces" : "portabilite";
  const [day, id = ""] = result.request.request_id.split("-");
  return `donnees-${right}-${day.slice(0, 8)}-${id.slice(0, 8)}.json`;
}

export function saveData(result: Result): void {
  const json = JSON.stringify(result.data, null, 2);
  saveBlob(new Blob([json], { type: "application/json" }), dataFileName(result));
}

interface Props {
  result: Result;
  /** Who the request was about, as the form named them. */
  subject: string;
  onAgain: () => void;
}

export function RequestOutcome({ result, subject, onAgain }: Props) {
  const entry = result.request;
  const done = entry.outcome === "done";
  const inFlight = noticesInFlight(entry);
  return (
    <section class={done ? "card request-outcome done" : "card request-outcome refused"} aria-labelledby="outcome-title"
      data-outcome={entry.outcome} role="status">
      <h2 id="outcome-title">{done ? "Demande traitée" : "Demande refusée"}</h2>
      <p><strong>{RIGHTS[entry.right]}</strong> — {subject}.</p>
      {!done && <p>{reasonText(entry)}</p>}
      {inFlight.length > 0 && (
        <p>Réponse{inFlight.length > 1 ? "s" : ""} en route : <NoticeLinks numbers={inFlight} /></p>
      )}
      {detailsText(entry).map((line) => <p key={line}>{line}</p>)}
      {result.data && (
        <p>
          Le fichier {dataFileName(result)} est téléchargé. Remettez-le à la personne ; designa ne le garde pas.{" "}
          <button type="button" onClick={() => saveData(result)}>Télécharger à nouveau</button>
        </p>
      )}
      <p class="hint">La demande est inscrite au registre sous le n° {entry.request_id}.</p>
      <div class="actions">
        {!done && <button type="button" onClick={onAgain}>Refaire la demande</button>}
        <a href="/donnees-personnelles">Voir le registre</a>
        <a href="/donnees-personnelles/nouvelle">Nouvelle demande</a>
      </div>
    </section>
  );
}

/** Links to the notices, each to its own page. */
export function NoticeLinks({ numbers }: { numbers: string[] }) {
  if (numbers.length === 0) return null;
  return (
    <span class="notice-links">
      {numbers.map((n, i) => (
        <span key={n}>{i > 0 && ", "}<a href={`/avis/${encodeURIComponent(n)}`}>avis n° {n}</a></span>
      ))}
    </span>
  );
}
