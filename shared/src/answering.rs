//! The life of an answer on its notice: given, edited or cancelled in the
//! grace window, taken into an outbound batch, sent, acknowledged or refused,
//! corrected and sent again; or the deadline passing first.
//!
//! Every function here changes a `StoredNotice` in memory and says whether it
//! did; callers write it back conditionally on the version they read, so
//! concurrent writers and repeated deliveries never both apply.

use crate::domain::answer::{
    transmission_id, Answer, AnswerBody, AnswerEvent, AnswerHistoryEntry, AnswerState, AUTOMATIC,
};
use crate::domain::tenant::TenantSettings;
use crate::domain::NoticeStatus;
use crate::exchange::{AckOutcome, AckRecord};
use crate::store::StoredNotice;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// Why an answer cannot be given, changed or withdrawn now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Refusal {
    #[error("Les 45 jours sont passés : l'ANTAI envoie cet avis par courrier.")]
    DeadlinePassed,
    #[error("L'avis a déjà une réponse ({}) : elle ne peut plus être modifiée.", status.label_fr())]
    AlreadyAnswered { status: NoticeStatus },
    #[error("Le délai de modification de la réponse est écoulé : elle part à l'ANTAI.")]
    WindowClosed,
    #[error("L'avis n'a pas de réponse à annuler.")]
    NothingToCancel,
}

/// Who gives an answer, and how.
#[derive(Debug, Clone)]
pub struct Submission {
    pub body: AnswerBody,
    pub driver_id: Option<String>,
    pub by: String,
    /// Tell the driver once acknowledged; `None`: the tenant's setting.
    pub notify_driver: Option<bool>,
}

fn entry(
    notice: &StoredNotice,
    answer: &Answer,
    at: DateTime<Utc>,
    event: AnswerEvent,
) -> AnswerHistoryEntry {
    AnswerHistoryEntry {
        at,
        transmission_id: answer.transmission_id(&notice.notice.notice_number),
        event,
    }
}

fn push(notice: &mut StoredNotice, at: DateTime<Utc>, event: AnswerEvent) {
    let Some(answer) = notice.answer.as_ref() else {
        return;
    };
    let e = entry(notice, answer, at, event);
    if let Some(answer) = notice.answer.as_mut() {
        answer.history.push(e);
    }
}

/// Gives, edits (in the grace window) or corrects (after an error) the answer.
pub fn submit(
    notice: &mut StoredNotice,
    submission: Submission,
    settings: &TenantSettings,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    let closes_at = notice.notice.deadline().closes_at();
    if now > closes_at || notice.status == NoticeStatus::GoneToPaper {
        return Err(Refusal::DeadlinePassed);
    }
    let automatic = submission.by == AUTOMATIC;
    // The window never runs past the deadline: an answer given in time leaves in time.
    let window_ends_at =
        (now + Duration::hours(i64::from(settings.answer_grace_hours))).min(closes_at);
    let notify_driver = submission
        .notify_driver
        .unwrap_or(settings.notify_driver_on_acknowledgement);
    let (transmission, history, event) = match (&notice.status, notice.answer.take()) {
        (NoticeStatus::Open, previous) => (
            // After a cancelled correction, the next one keeps counting.
            previous.as_ref().map_or(1, |a| a.transmission),
            previous.map(|a| a.history).unwrap_or_default(),
            AnswerEvent::Submitted {
                by: submission.by.clone(),
                automatic,
            },
        ),
        (NoticeStatus::AnswerInError, Some(previous)) => (
            previous.transmission + 1,
            previous.history,
            AnswerEvent::Submitted {
                by: submission.by.clone(),
                automatic,
            },
        ),
        (NoticeStatus::AnswerPending, Some(previous)) if previous.editable(now) => {
            let event = AnswerEvent::Edited {
                by: submission.by.clone(),
            };
            let transmission = previous.transmission;
            // An edit keeps the window that started with the answer.
            let window = previous.window_ends_at;
            notice.answer = Some(Answer {
                body: submission.body,
                driver_id: submission.driver_id,
                state: AnswerState::Pending,
                answered_by: submission.by,
                answered_at: now,
                window_ends_at: window,
                notify_driver,
                transmission,
                batch_id: None,
                history: previous.history,
                sealed: None,
            });
            push(notice, now, event);
            return Ok(());
        }
        (NoticeStatus::AnswerPending, previous) => {
            notice.answer = previous;
            return Err(Refusal::WindowClosed);
        }
        (status, previous) => {
            let status = *status;
            notice.answer = previous;
            return Err(Refusal::AlreadyAnswered { status });
        }
    };
    notice.answer = Some(Answer {
        body: submission.body,
        driver_id: submission.driver_id,
        state: AnswerState::Pending,
        answered_by: submission.by,
        answered_at: now,
        window_ends_at,
        notify_driver,
        transmission,
        batch_id: None,
        history,
        sealed: None,
    });
    notice.status = NoticeStatus::AnswerPending;
    push(notice, now, event);
    Ok(())
}

/// Withdraws an answer during its grace window; the notice is open again
/// (or in error again, for a withdrawn correction).
pub fn cancel(notice: &mut StoredNotice, by: &str, now: DateTime<Utc>) -> Result<(), Refusal> {
    let Some(answer) = notice.answer.as_ref() else {
        return Err(Refusal::NothingToCancel);
    };
    if notice.status != NoticeStatus::AnswerPending {
        return Err(Refusal::NothingToCancel);
    }
    if !answer.editable(now) {
        return Err(Refusal::WindowClosed);
    }
    let was_correction = answer
        .history
        .iter()
        .any(|h| matches!(h.event, AnswerEvent::Rejected { .. }));
    push(notice, now, AnswerEvent::Cancelled { by: by.into() });
    if let Some(answer) = notice.answer.as_mut() {
        if was_correction {
            answer.state = AnswerState::InError;
        } else {
            answer.state = AnswerState::Cancelled;
        }
    }
    notice.status = if was_correction {
        NoticeStatus::AnswerInError
    } else {
        NoticeStatus::Open
    };
    Ok(())
}

/// Is this transmission due for the batch opened at `at`?
pub fn is_due(notice: &StoredNotice, transmission: u32, at: DateTime<Utc>) -> bool {
    matches!(&notice.answer, Some(a)
        if notice.status == NoticeStatus::AnswerPending
            && a.state == AnswerState::Pending
            && a.transmission == transmission
            && a.window_ends_at <= at)
}

/// What taking an answer into a batch found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Taken now: write the notice back.
    Taken,
    /// Already in this batch (a resumed or concurrent run).
    AlreadyOurs,
    /// Not for this batch: withdrawn, changed, or in another batch.
    NotClaimable,
}

/// Takes the due transmission into `batch_id`; from then on it is frozen.
pub fn claim(
    notice: &mut StoredNotice,
    transmission: u32,
    batch_id: &str,
    batch_created_at: DateTime<Utc>,
) -> Claim {
    match &notice.answer {
        Some(a) if a.batch_id.as_deref() == Some(batch_id) && a.transmission == transmission => {
            return Claim::AlreadyOurs
        }
        Some(a) if a.batch_id.is_some() => return Claim::NotClaimable,
        _ => {}
    }
    if !is_due(notice, transmission, batch_created_at) {
        return Claim::NotClaimable;
    }
    if let Some(a) = notice.answer.as_mut() {
        a.batch_id = Some(batch_id.into());
    }
    push(
        notice,
        batch_created_at,
        AnswerEvent::Batched {
            batch_id: batch_id.into(),
        },
    );
    Claim::Taken
}

/// Gives a claim back (a member left out when the batch's members were fixed).
pub fn release(notice: &mut StoredNotice, batch_id: &str) -> bool {
    match notice.answer.as_mut() {
        Some(a) if a.batch_id.as_deref() == Some(batch_id) && a.state == AnswerState::Pending => {
            a.batch_id = None;
            a.history.retain(
                |h| !matches!(&h.event, AnswerEvent::Batched { batch_id: b } if b == batch_id),
            );
            true
        }
        _ => false,
    }
}

/// Marks a batch member as sent in `file_id`; `false` when it already was.
/// An acknowledgement may have come back before this (the file was relayed
/// before a crash): the state then stays as the acknowledgement left it.
pub fn mark_sent(
    notice: &mut StoredNotice,
    batch_id: &str,
    file_id: &str,
    file_key: &str,
    at: DateTime<Utc>,
) -> bool {
    let Some(a) = &notice.answer else {
        return false;
    };
    let already = a
        .history
        .iter()
        .any(|h| matches!(&h.event, AnswerEvent::Sent { file_id: f, .. } if f == file_id));
    if a.batch_id.as_deref() != Some(batch_id) || already {
        return false;
    }
    let pending = a.state == AnswerState::Pending;
    push(
        notice,
        at,
        AnswerEvent::Sent {
            file_id: file_id.into(),
            file_key: file_key.into(),
        },
    );
    if pending {
        if let Some(a) = notice.answer.as_mut() {
            a.state = AnswerState::Sent;
        }
        notice.status = NoticeStatus::AnswerSent;
    }
    true
}

/// What an acknowledgement line did to its notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AckEffect {
    /// Applied: write the notice back. `tell_driver`: an e-mail is due.
    Applied {
        status: NoticeStatus,
        tell_driver: Option<String>,
    },
    /// The same acknowledgement was already applied (a repeated file).
    AlreadyApplied,
    /// It names an earlier transmission, or an answer not yet sent: kept in
    /// the history only when it is news, never changing the state.
    Stale,
    /// The notice has no answer with that id.
    UnknownAnswer,
}

/// Applies one acknowledgement line.
pub fn apply_ack(notice: &mut StoredNotice, ack: &AckRecord) -> AckEffect {
    let number = notice.notice.notice_number.clone();
    let Some(answer) = notice.answer.as_ref() else {
        return AckEffect::UnknownAnswer;
    };
    let known = (1..=answer.transmission).any(|n| transmission_id(&number, n) == ack.answer_id);
    if !known {
        return AckEffect::UnknownAnswer;
    }
    let event = match &ack.outcome {
        AckOutcome::InProgress => AnswerEvent::InProgress {
            processed_at: ack.processed_at,
        },
        AckOutcome::Acknowledged => AnswerEvent::Acknowledged {
            processed_at: ack.processed_at,
        },
        AckOutcome::Error {
            code,
            field,
            message,
        } => AnswerEvent::Rejected {
            processed_at: ack.processed_at,
            code: code.clone(),
            field: field.clone(),
            label: message.clone(),
        },
    };
    let already = answer
        .history
        .iter()
        .any(|h| h.transmission_id == ack.answer_id && h.event == event);
    if already {
        return AckEffect::AlreadyApplied;
    }
    let current = answer.transmission_id(&number) == ack.answer_id;
    // Written into a file counts as sent, even before the batch marked it.
    let sent = answer.batch_id.is_some()
        && matches!(
            answer.state,
            AnswerState::Pending
                | AnswerState::Sent
                | AnswerState::InProgress
                | AnswerState::InError
                | AnswerState::Acknowledged
        );
    // An acknowledgement is final: a late "in progress" does not undo it.
    let final_already = answer.state == AnswerState::Acknowledged;
    if !current || !sent || final_already {
        let e = AnswerHistoryEntry {
            at: ack.processed_at,
            transmission_id: ack.answer_id.clone(),
            event,
        };
        if let Some(a) = notice.answer.as_mut() {
            a.history.push(e);
        }
        return AckEffect::Stale;
    }
    let (state, status) = match &ack.outcome {
        AckOutcome::InProgress => (AnswerState::InProgress, NoticeStatus::AnswerSent),
        AckOutcome::Acknowledged => (AnswerState::Acknowledged, NoticeStatus::Acknowledged),
        AckOutcome::Error { .. } => (AnswerState::InError, NoticeStatus::AnswerInError),
    };
    let tell_driver = match (&ack.outcome, answer.notify_driver) {
        (AckOutcome::Acknowledged, true) => answer.body.driver_email().map(str::to_string),
        _ => None,
    };
    let e = AnswerHistoryEntry {
        at: ack.processed_at,
        transmission_id: ack.answer_id.clone(),
        event,
    };
    if let Some(a) = notice.answer.as_mut() {
        a.history.push(e);
        a.state = state;
    }
    notice.status = status;
    AckEffect::Applied {
        status,
        tell_driver,
    }
}

/// Records that the driver was told.
pub fn driver_told(notice: &mut StoredNotice, at: DateTime<Utc>) {
    push(notice, at, AnswerEvent::DriverTold);
}

/// Marks an unanswered notice past its deadline as gone to paper; `false`
/// when it is answered or still in time.
pub fn go_to_paper(notice: &mut StoredNotice, now: DateTime<Utc>) -> bool {
    let unanswered = matches!(
        notice.status,
        NoticeStatus::Open | NoticeStatus::AnswerInError
    );
    if !unanswered || !notice.notice.deadline().is_past(now) {
        return false;
    }
    push(notice, now, AnswerEvent::GoneToPaper);
    notice.status = NoticeStatus::GoneToPaper;
    true
}
