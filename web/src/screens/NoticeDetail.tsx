// One notice: what was committed, the deadline, and its answer.
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../api/client";
import { useApp } from "../context";
import { amount, frenchDate, parisDateTime } from "../format";
import { NOTICE_STATUS } from "../labels";
import { AnswerForm } from "./AnswerForm";
import { AnswerStatus } from "./AnswerStatus";
import { DaysLeft } from "./Notices";

type Detail = Schemas["NoticeDetail"];
type Answer = Schemas["Answer"];

export function NoticeDetail({ number }: { number: string }) {
  const { api } = useApp();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [editing, setEditing] = useState(false);
  const [overtaken, setOvertaken] = useState(false);

  async function load() {
    setProblem(null);
    try {
      const path = { params: { path: { noticeNumber: number } } };
      const { data, error, response } = await api.GET("/notices/{noticeNumber}", path);
      if (!data) return setProblem(problemOf(error, response.status));
      setDetail(data);
      setEditing(false);
      if (!data.answer) return setAnswer(null);
      const answered = await api.GET("/notices/{noticeNumber}/answer", path);
      setAnswer(answered.data?.answer ?? null);
    } catch {
      setProblem(networkProblem());
    }
  }

  useEffect(() => void load(), [number]);

  if (problem) return <p class="error" role="alert">{problem.message}</p>;
  if (!detail) return <p aria-busy="true">Chargement de l'avis…</p>;
  const { notice } = detail;
  const answerable = !answer || answer.state === "CANCELLED" || editing;
  const canAnswer = notice.status === "OPEN" || notice.status === "ANSWER_IN_ERROR" || editing;
  return (
    <article aria-labelledby="notice-title" class="notice">
      <p><a href="/avis">← Tous les avis</a></p>
      <h1 id="notice-title">
        Avis n° {notice.notice_number} <DaysLeft notice={notice} />
      </h1>
      <p class="status">{NOTICE_STATUS[notice.status]}</p>
      <NoticeFacts notice={notice} />
      {overtaken && answer && <Overtaken answer={answer} />}
      {answer && answer.state !== "CANCELLED" && (
        <AnswerStatus number={number} answer={answer}
          onChanged={() => void load()} onEdit={() => setEditing(true)} editing={editing} />
      )}
      {answerable && canAnswer && (
        <AnswerForm notice={notice} version={detail.version} title={formTitle(answer, editing)}
          suggested={detail.suggested_drivers} onAnswered={() => { setOvertaken(false); void load(); }}
          onConflict={() => { setOvertaken(true); void load(); }}
          onCancel={editing ? () => setEditing(false) : undefined} />
      )}
    </article>
  );
}

/** Who answered while the caller was reading the notice: their answer is shown below. */
function Overtaken({ answer }: { answer: Answer }) {
  const { api, me } = useApp();
  const [who, setWho] = useState<string | null>(null);
  useEffect(() => {
    if (answer.answered_by === me.user.user_id) return setWho("vous-même, depuis un autre onglet ou appareil");
    if (answer.answered_by === "automatic") return setWho("la désignation automatique");
    api.GET("/users/{userId}", { params: { path: { userId: answer.answered_by } } }).then(
      ({ data }) => setWho(data ? `${data.first_name} ${data.last_name}` : "un collègue"),
      () => setWho("un collègue"),
    );
  }, [answer.answered_by]);
  return (
    <p class="error" role="alert">
      Votre réponse n'a pas été enregistrée : une réponse a été donnée pendant que vous consultiez cet avis,
      par {who ?? "un collègue"}, le {parisDateTime(answer.answered_at)}. La voici ; modifiez-la si besoin.
    </p>
  );
}

function formTitle(answer: Answer | null, editing: boolean): string {
  if (!editing) return "Répondre à l'avis";
  return answer?.state === "IN_ERROR" ? "Corriger la réponse" : "Modifier la réponse";
}

function NoticeFacts({ notice }: { notice: Schemas["Notice"] }) {
  return (
    <section class="card facts" aria-labelledby="facts-title">
      <h2 id="facts-title">L'infraction</h2>
      <dl>
        <dt>Véhicule</dt>
        <dd>
          <strong>{notice.plate}</strong> {notice.make} {notice.model}
        </dd>
        <dt>Date et heure</dt>
        <dd>{parisDateTime(notice.offence_at)} (heure de Paris)</dd>
        <dt>Infraction</dt>
        <dd>
          {notice.offence.label} <span class="muted">(NATINF {notice.offence.natinf_code})</span>
        </dd>
        <dt>Avis émis le</dt>
        <dd>{frenchDate(notice.issued_on)}</dd>
        <dt>À désigner avant le</dt>
        <dd>
          <strong>{frenchDate(notice.deadline)}</strong>
        </dd>
        {notice.scale && (
          <>
            <dt>Barème</dt>
            <dd>
              Classe {notice.scale.class} · {amount(notice.scale.fixed_amount_cents)}
              {notice.scale.reduced_amount_cents != null &&
                ` (minorée ${amount(notice.scale.reduced_amount_cents)})`}
              {notice.scale.points != null &&
                ` · ${notice.scale.points} point${notice.scale.points > 1 ? "s" : ""}`}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
