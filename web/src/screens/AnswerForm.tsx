// Answering a notice: designate a suggested driver in one click, one from
// the base, or one typed in; or answer otherwise (sold, stolen…).
import { useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../api/client";
import { useApp } from "../context";
import { DriverForm } from "./DriverForm";
import { DriverSearch } from "./DriverSearch";
import { OtherAnswerForm } from "./OtherAnswerForm";

type AnswerInput = Schemas["AnswerInput"];

interface Props {
  notice: Schemas["Notice"];
  /** The notice version read: a write is refused if someone changed it since. */
  version: number;
  title: string;
  suggested: Schemas["DriverSummary"][];
  onAnswered: () => void;
  /** Someone else wrote the answer since this notice was read (409). */
  onConflict: () => void;
  onCancel?: () => void;
}

type Mode = "base" | "typed" | "other";

/** The fields each mode's form shows next to their inputs. */
const FIELD_PREFIX: Record<Mode, string | null> = {
  base: null,
  typed: "designation.driver.",
  other: "other.",
};

/** The message, and the reasons of fields no input of the form shows. */
function ProblemBox({ problem, shownWith }: { problem: Problem; shownWith: string | null }) {
  const elsewhere = Object.entries(problem.fields).filter(([field]) => !shownWith || !field.startsWith(shownWith));
  if (Object.keys(problem.fields).length > 0 && elsewhere.length === 0) {
    return <p class="error" role="alert">Certains champs sont à corriger : voyez le message sous chacun.</p>;
  }
  return (
    <div class="error" role="alert">
      <p>{problem.message}</p>
      {elsewhere.length > 0 && (
        <ul>
          {elsewhere.map(([field, reason]) => <li key={field}>{reason}</li>)}
        </ul>
      )}
    </div>
  );
}

export function AnswerForm({ notice, version, title, suggested, onAnswered, onConflict, onCancel }: Props) {
  const { api } = useApp();
  const [mode, setMode] = useState<Mode>("base");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(input: AnswerInput) {
    setBusy(true);
    setProblem(null);
    try {
      const { data, error, response } = await api.PUT("/notices/{noticeNumber}/answer", {
        params: { path: { noticeNumber: notice.notice_number } },
        body: { ...input, version },
      });
      if (response.status === 409) return onConflict();
      if (!data) return setProblem(problemOf(error, response.status));
      onAnswered();
    } catch {
      setProblem(networkProblem());
    } finally {
      setBusy(false);
    }
  }

  const designate = (driver_id: string) => void send({ designation: { driver_id } });
  return (
    <section class="card" aria-labelledby="answer-form-title">
      <h2 id="answer-form-title">{title}</h2>
      {suggested.length > 0 && (
        <div class="suggested">
          <h3>Conducteurs affectés au véhicule à l'heure de l'infraction</h3>
          <ul>
            {suggested.map((d) => (
              <li key={d.driver_id}>
                <span>{d.first_name} {d.last_name}</span>
                <button type="button" class="primary" disabled={busy} onClick={() => designate(d.driver_id)}>
                  Désigner {d.first_name} {d.last_name}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <fieldset class="modes">
        <legend>Comment répondre ?</legend>
        {([["base", "Un conducteur de la base"], ["typed", "Saisir un conducteur"], ["other", "Autre réponse (vendu, volé…)"]] as const).map(
          ([value, label]) => (
            <label key={value} class="radio">
              <input type="radio" name="mode" value={value} checked={mode === value}
                onChange={() => { setMode(value); setProblem(null); }} />
              {label}
            </label>
          ),
        )}
      </fieldset>
      {mode === "base" && <DriverSearch entityId={notice.entity_id} busy={busy} onPick={designate} />}
      {mode === "typed" && (
        <DriverForm busy={busy} errors={problem?.fields ?? {}} onSubmit={(driver) => void send({ designation: { driver } })} />
      )}
      {mode === "other" && (
        <OtherAnswerForm busy={busy} errors={problem?.fields ?? {}} onSubmit={(other) => void send({ other })} />
      )}
      {problem && <ProblemBox problem={problem} shownWith={FIELD_PREFIX[mode]} />}
      {onCancel && (
        <button type="button" onClick={onCancel}>Ne pas modifier</button>
      )}
    </section>
  );
}
