// Where an answer stands: its countdown while it can still change, and its
// transmission history.
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../api/client";
import { useApp } from "../context";
import { countdown, parisDateTime } from "../format";
import { ANSWER_STATE, OTHER_REASONS } from "../labels";
import { CertificateDownloads } from "./CertificateDownloads";

type Answer = Schemas["Answer"];
type HistoryEntry = Schemas["AnswerHistoryEntry"];

interface Props {
  number: string;
  answer: Answer;
  editing: boolean;
  onEdit: () => void;
  onChanged: () => void;
}

export function AnswerStatus({ number, answer, editing, onEdit, onChanged }: Props) {
  const { api } = useApp();
  const [problem, setProblem] = useState<Problem | null>(null);
  const secondsLeft = useSecondsUntil(answer.window_ends_at);
  const inWindow = answer.editable && secondsLeft > 0;

  async function cancel() {
    setProblem(null);
    try {
      const { error, response } = await api.DELETE("/notices/{noticeNumber}/answer", {
        params: { path: { noticeNumber: number } },
      });
      if (error) return setProblem(problemOf(error, response.status));
      onChanged();
    } catch {
      setProblem(networkProblem());
    }
  }

  return (
    <section class="card" aria-labelledby="answer-title">
      <h2 id="answer-title">Votre réponse</h2>
      <p class={`state state-${answer.state.toLowerCase()}`}>{ANSWER_STATE[answer.state]}</p>
      <p>{describe(answer.body)}</p>
      {inWindow && (
        <div class="window" role="status">
          <p>
            Envoi à l'ANTAI dans <strong>{countdown(secondsLeft)}</strong> : vous pouvez encore la
            modifier ou l'annuler.
          </p>
          {!editing && (
            <div class="actions">
              <button type="button" onClick={onEdit}>Modifier</button>
              <button type="button" class="danger" onClick={() => void cancel()}>Annuler la réponse</button>
            </div>
          )}
        </div>
      )}
      {answer.state === "IN_ERROR" && !editing && (
        <div class="actions">
          <button type="button" class="primary" onClick={onEdit}>Corriger</button>
        </div>
      )}
      {problem && <p class="error" role="alert">{problem.message}</p>}
      {answer.state === "ACKNOWLEDGED" && <CertificateDownloads number={number} />}
      <h3>Historique de transmission</h3>
      <ol class="history">
        {answer.history.map((entry, i) => (
          <li key={i}>
            <time dateTime={entry.at}>{parisDateTime(entry.at)}</time> — {historyLine(entry)}
          </li>
        ))}
      </ol>
    </section>
  );
}

function useSecondsUntil(iso: string): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (new Date(iso).getTime() - now) / 1000;
}

/** What the API puts in every field of a designee whose data was erased (GDPR). */
export const ERASED = "[effacé]";

function describe(body: Schemas["AnswerBody"]): string {
  if (body.type === "designation") {
    if (body.last_name === ERASED) return `Conducteur désigné : ${ERASED} (données effacées à la demande de la personne).`;
    const where = body.address.country === "FRA" ? body.address.city : `${body.address.city} (${body.address.country})`;
    return `Conducteur désigné : ${body.first_name} ${body.last_name}, ${where}.`;
  }
  return `Réponse : ${OTHER_REASONS[body.reason]}.`;
}

export function historyLine(entry: HistoryEntry): string {
  switch (entry.event) {
    case "submitted":
      return entry.automatic ? "réponse préparée automatiquement" : "réponse enregistrée";
    case "edited":
      return "réponse modifiée";
    case "cancelled":
      return "réponse annulée";
    case "batched":
      return "ajoutée au prochain envoi";
    case "sent":
      return "envoyée à l'ANTAI";
    case "in_progress":
      return "en cours de traitement à l'ANTAI";
    case "acknowledged":
      return "acceptée par l'ANTAI";
    case "rejected":
      return `refusée par l'ANTAI : ${entry.label} (code ${entry.code}${entry.field ? `, champ ${entry.field}` : ""})`;
    case "driver_told":
      return "conducteur informé par e-mail";
    case "gone_to_paper":
      return "délai dépassé : un avis papier sera envoyé";
  }
}
