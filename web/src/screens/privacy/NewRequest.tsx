// A new data-subject request: whose data, which right, the corrections of
// a rectification, the requester's reference and where to confirm to them;
// an erasure is confirmed first. The API answers at once.
import { useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { Field } from "../Field";
import { useDrivers, useUsers } from "./people";
import { ACT, type Right, type SubjectType, rightsFor } from "./privacyText";
import { rectificationErrors } from "./rectification";
import { RectifyDriver, RectifyUser } from "./Rectify";
import { RequestOutcome, saveData } from "./RequestOutcome";
import { RightChoice } from "./RightChoice";
import { SubjectChoice } from "./SubjectChoice";

type Result = Schemas["PrivacyRequestResult"];

/** The person the address names (`?conducteur=`, `?avis=`, `?utilisateur=`). */
function chosenBy(query: URLSearchParams): [SubjectType, string] {
  if (query.get("avis")) return ["designee", query.get("avis")!];
  if (query.get("utilisateur")) return ["user", query.get("utilisateur")!];
  return ["driver", query.get("conducteur") ?? ""];
}

export function NewRequest({ query }: { query: URLSearchParams }) {
  const drivers = useDrivers();
  const users = useUsers();
  const [[type, id], setSubject] = useState(() => chosenBy(query));
  const [right, setRight] = useState<Right | "">("");
  const [changes, setChanges] = useState<Record<string, unknown>>({});
  const [reference, setReference] = useState("");
  const [confirmTo, setConfirmTo] = useState("");
  const [confirming, setConfirming] = useState(false);
  const request = useRequest();

  const ready = drivers !== null && users !== null;
  const driver = type === "driver" ? drivers?.get(id) : undefined;
  const user = type === "user" ? users?.byId.get(id) : undefined;
  const subject = driver ? `${driver.first_name} ${driver.last_name}` : user ? `${user.first_name} ${user.last_name}`
    : type === "designee" ? `la personne désignée sur l'avis n° ${id.trim()}` : "";
  const rights = rightsFor(type, driver?.restricted);
  const fields = request.problem?.fields ?? {};

  function choose(t: SubjectType, chosen: string) {
    setSubject([t, chosen]);
    setRight("");
    setChanges({});
    setConfirming(false);
    request.reset();
  }

  function submit(event: Event) {
    event.preventDefault();
    if (right === "erasure" && !confirming) return setConfirming(true);
    setConfirming(false);
    void request.send({
      right: right as Right, subject: { type, id: id.trim() },
      // The schema leaves `changes` open (an object of the person's fields).
      ...(right === "rectification" ? { changes: changes as Record<string, never> } : {}),
      ...(reference.trim() ? { reference: reference.trim() } : {}),
      ...(confirmTo.trim() ? { confirm_to: confirmTo.trim() } : {}),
    });
  }

  if (request.result) {
    return (
      <section aria-labelledby="privacy-title" data-loaded="true">
        <h1 id="privacy-title">Nouvelle demande RGPD</h1>
        <RequestOutcome result={request.result} subject={capitalized(subject)} onAgain={request.reset} />
      </section>
    );
  }
  return (
    <section aria-labelledby="privacy-title" data-loaded={String(ready)}>
      <p><a href="/donnees-personnelles">← Registre des demandes</a></p>
      <h1 id="privacy-title">Nouvelle demande RGPD</h1>
      {!ready && <p aria-busy="true">Chargement…</p>}
      {ready && (
        <form class="card privacy-form" onSubmit={submit} noValidate aria-labelledby="privacy-title">
          <SubjectChoice type={type} id={id} drivers={drivers} users={users} onChange={choose}
            error={fields["subject.id"] ?? fields.subject} />
          {(type === "designee" ? id.trim() : driver || user) && (
            <RightChoice rights={rights} value={right} error={fields.right}
              onChange={(r) => { setRight(r); setConfirming(false); request.reset(); }} />
          )}
          {right === "rectification" && driver && (
            <RectifyDriver key={driver.driver_id} driver={driver} errors={rectificationErrors(fields)} onChange={setChanges} />
          )}
          {right === "rectification" && user && (
            <RectifyUser key={user.user_id} user={user} errors={rectificationErrors(fields)} onChange={setChanges} />
          )}
          {right && <Requester reference={reference} confirmTo={confirmTo} fields={fields}
            onReference={setReference} onConfirmTo={setConfirmTo} />}
          {right && !confirming && (
            <button type="submit" class={right === "erasure" ? "danger" : "primary"} disabled={request.busy}>
              {request.busy ? "Traitement…" : ACT[right]}
            </button>
          )}
          {confirming && <ConfirmErasure subject={subject} onCancel={() => setConfirming(false)} busy={request.busy} />}
          {request.problem && <p class="error" role="alert">{problemText(request.problem)}</p>}
        </form>
      )}
    </section>
  );
}

/** Each field's error is under its field: the message above the button says so. */
const problemText = (problem: Problem) =>
  Object.keys(problem.fields).length > 0 ? "Certains champs sont à corriger : voyez le message sous chacun." : problem.message;

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function ConfirmErasure({ subject, busy, onCancel }: { subject: string; busy: boolean; onCancel: () => void }) {
  return (
    <div class="erase-confirm" role="alert">
      <p>
        <strong>L'effacement est définitif.</strong> Les données de {subject} ne pourront plus être lues par personne,
        sauvegardes comprises. Les désignations passées restent comme preuve, au nom « [effacé] ».
      </p>
      <div class="actions">
        <button type="submit" class="danger" disabled={busy}>Confirmer l'effacement</button>
        <button type="button" onClick={onCancel}>Ne pas effacer</button>
      </div>
    </div>
  );
}

interface RequesterProps {
  reference: string;
  confirmTo: string;
  fields: Record<string, string>;
  onReference: (value: string) => void;
  onConfirmTo: (value: string) => void;
}

/** The requester's own reference, and where to tell them the outcome (never stored). */
function Requester({ reference, confirmTo, fields, onReference, onConfirmTo }: RequesterProps) {
  return (
    <div class="row">
      <Field label="Référence de la demande (facultatif)" id="request-reference" error={fields.reference}
        hint="Le n° du courrier ou du ticket : lettres, chiffres et . _ / # - (jamais un nom).">
        <input id="request-reference" value={reference} maxLength={40} onInput={(e) => onReference(e.currentTarget.value)}
          aria-describedby="request-reference-hint" aria-invalid={fields.reference ? "true" : undefined} />
      </Field>
      <Field label="E-mail du demandeur, pour lui confirmer la suite (facultatif)" id="request-confirm" error={fields.confirm_to}
        hint="designa lui écrit ce qui a été fait, ou pourquoi c'est refusé. L'adresse n'est pas conservée.">
        <input id="request-confirm" type="email" value={confirmTo} onInput={(e) => onConfirmTo(e.currentTarget.value)}
          aria-describedby="request-confirm-hint" aria-invalid={fields.confirm_to ? "true" : undefined} />
      </Field>
    </div>
  );
}

/** Sends the request; a refusal comes back as 409 with its register entry. */
function useRequest() {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function send(body: Schemas["PrivacyRequestInput"]) {
    setBusy(true);
    setProblem(null);
    try {
      const { data, error, response } = await api.POST("/privacy/requests", { body });
      // The refusal's body is the register entry, not an error.
      const answer = error as unknown as Partial<Result> | undefined;
      const refused = response.status === 409 && answer?.request ? (answer as Result) : null;
      if (data?.data) saveData(data);
      if (data || refused) setResult(data ?? refused);
      else setProblem(notFoundAsField(problemOf(error, response.status), body.subject.type));
    } catch {
      setProblem(networkProblem());
    }
    setBusy(false);
  }

  function reset() {
    setResult(null);
    setProblem(null);
  }

  return { busy, result, problem, send, reset };
}

const NOT_FOUND: Record<SubjectType, string> = {
  driver: "Ce conducteur n'est plus dans la base : il a peut-être été supprimé ou effacé.",
  designee: "Aucune personne saisie n'est désignée sur cet avis, ou ses données sont déjà effacées.",
  user: "Cet utilisateur n'existe plus : il a peut-être été supprimé.",
};

/** A person not found is said next to the field that chose them. */
function notFoundAsField(problem: Problem, type: SubjectType): Problem {
  if (problem.status !== 404) return problem;
  return { ...problem, message: "Vérifiez la personne concernée.", fields: { "subject.id": NOT_FOUND[type] } };
}
