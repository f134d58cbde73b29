//! Acknowledgement files (`ACCUSES_RECEPTION`): each line updates the answer
//! it names. A refusal tells the entity's designation users (notifications
//! queue) so they correct it; the correction goes out in the next batch. An
//! acknowledgement tells them too (their legal duty is met: by default in
//! the daily digest), and may tell the designated driver by e-mail.
//!
//! Idempotent: a line already applied changes nothing, and the follow-ups
//! (notification, driver e-mail) are decided from the notice's state, not
//! from what this delivery changed, so a crash between the write and the
//! follow-up is made good by the next delivery. Notifications carry an
//! idempotency key; a driver e-mail may, rarely, go twice (at least once).
//! Each answer applied is journaled in its tenant's access journal by the
//! system actor, after the notices are written: at least once (a delivery
//! taking over a crashed one journals the lines it finds applied again).

use super::*;
use crate::report::AckCounts;
use designa::answering::{self, AckEffect};
use designa::app::{journal, AppError};
use designa::domain::answer::{AnswerEvent, AnswerState};
use designa::domain::time::{format_french_date, paris_date};
use designa::domain::TenantId;
use designa::exchange::AckOutcome;
use designa::ports::{update_notice, TemplatedEmail};

/// What one line did, for the report.
enum LineOutcome {
    Done(Box<LineDone>),
    Rejected(RecordError),
}

/// A line applied (or found applied): its effect and follow-ups.
struct LineDone {
    effect: AckEffect,
    notification: Option<Notification>,
    driver_told: bool,
    journaled: Option<Journaled>,
}

impl LineOutcome {
    fn done(
        effect: AckEffect,
        notification: Option<Notification>,
        driver_told: bool,
        journaled: Option<Journaled>,
    ) -> LineOutcome {
        LineOutcome::Done(Box::new(LineDone {
            effect,
            notification,
            driver_told,
            journaled,
        }))
    }
}

/// ANTAI's answer to a transmission, for the tenant's journal.
struct Journaled {
    tenant: TenantId,
    action: &'static str,
    transmission: String,
}

/// What the lines of one file did, gathered for the report and follow-ups.
#[derive(Default)]
struct Applied {
    counts: AckCounts,
    notifications: Vec<Notification>,
    to_journal: Vec<Journaled>,
}

impl Applied {
    /// Counts each line's effect; rejected lines join the file's rejections.
    fn tally(outcomes: Vec<LineOutcome>, rejected: &mut Vec<RecordError>) -> Applied {
        let mut applied = Applied::default();
        for outcome in outcomes {
            match outcome {
                LineOutcome::Rejected(e) => rejected.push(e),
                LineOutcome::Done(done) => applied.add(*done),
            }
        }
        applied
    }

    fn add(&mut self, done: LineDone) {
        let counts = &mut self.counts;
        match done.effect {
            AckEffect::Applied { status, .. } => match status {
                NoticeStatus::Acknowledged => counts.acknowledged += 1,
                NoticeStatus::AnswerInError => counts.refused += 1,
                _ => counts.in_progress += 1,
            },
            AckEffect::AlreadyApplied => counts.already_applied += 1,
            AckEffect::Stale => counts.stale += 1,
            AckEffect::UnknownAnswer => {}
        }
        counts.drivers_told += usize::from(done.driver_told);
        self.notifications.extend(done.notification);
        self.to_journal.extend(done.journaled);
    }
}

impl<B: BlobStore, S: Storage + AnswerStore, Q: Queue, C: Clock, M: Mailer> Ingest<B, S, Q, C, M> {
    pub(crate) async fn store_acks(
        &self,
        object: &InboundObject,
        relative: &str,
        mut report: FileReport,
        (acks, rejected): (Vec<(usize, AckRecord)>, Vec<RecordError>),
        taken_over: bool,
    ) -> Result<Outcome, IngestError> {
        let file_key = report.file_key.clone();
        report.counts.read = acks.len() + rejected.len();
        report.rejected = rejected;
        let outcomes = self.apply_lines(acks, taken_over).await?;
        let applied = Applied::tally(outcomes, &mut report.rejected);
        report.rejected.sort_by_key(|e| e.line);
        report.counts.rejected = report.rejected.len();
        report.counts.routed = report.counts.read - report.counts.rejected;
        self.journal_answers(&applied.to_journal, &file_key).await?;
        self.send_notifications(&applied.notifications).await?;

        let counts = applied.counts;
        report.acknowledgements = Some(counts.clone());
        report.finished_at = self.clock.now();
        let report_key = format!("{}{}.report.json", self.config.reports_prefix, relative);
        self.put_report(&object.bucket, &report_key, &report)
            .await?;
        self.storage
            .finish_file(&file_key, &outcome_of(&report, report_key))
            .await?;
        info!(
            file_key = %file_key,
            read = report.counts.read,
            rejected = report.counts.rejected,
            acknowledged = counts.acknowledged,
            refused = counts.refused,
            in_progress = counts.in_progress,
            already_applied = counts.already_applied,
            stale = counts.stale,
            drivers_told = counts.drivers_told,
            "acknowledgements processed"
        );
        Ok(Outcome::Processed(Box::new(report)))
    }

    /// Lines of one notice apply in file order; notices in parallel.
    async fn apply_lines(
        &self,
        acks: Vec<(usize, AckRecord)>,
        taken_over: bool,
    ) -> Result<Vec<LineOutcome>, IngestError> {
        let mut by_notice: BTreeMap<String, Vec<(usize, AckRecord)>> = BTreeMap::new();
        for (line, ack) in acks {
            by_notice
                .entry(ack.notice_number.clone())
                .or_default()
                .push((line, ack));
        }
        let outcomes: Vec<Vec<LineOutcome>> = futures::stream::iter(by_notice.into_values())
            .map(|lines| async move {
                let mut out = Vec::with_capacity(lines.len());
                for (line, ack) in lines {
                    out.push(self.apply_line(line, &ack, taken_over).await?);
                }
                Ok::<_, IngestError>(out)
            })
            .buffer_unordered(CONCURRENT_REQUESTS)
            .try_collect()
            .await?;
        Ok(outcomes.into_iter().flatten().collect())
    }

    async fn apply_line(
        &self,
        line: usize,
        ack: &AckRecord,
        taken_over: bool,
    ) -> Result<LineOutcome, IngestError> {
        let mut effect = AckEffect::UnknownAnswer;
        let updated = update_notice(&self.storage, &ack.notice_number, |n| {
            effect = answering::apply_ack(n, ack);
            matches!(effect, AckEffect::Applied { .. } | AckEffect::Stale)
        })
        .await?;
        let Some((_, notice)) = updated else {
            return Ok(LineOutcome::Rejected(RecordError {
                line,
                field: Some("numero_aco".into()),
                reason: format!("no notice {} on the platform", ack.notice_number),
            }));
        };
        if effect == AckEffect::UnknownAnswer {
            return Ok(LineOutcome::Rejected(RecordError {
                line,
                field: Some("identifiantDesignation".into()),
                reason: format!(
                    "notice {} has no answer '{}'",
                    ack.notice_number, ack.answer_id
                ),
            }));
        }
        let Some(answer) = notice.answer.as_ref() else {
            return Ok(LineOutcome::done(effect, None, false, None));
        };
        // The journal is written after the notices: a line an interrupted
        // delivery of this very file applied may have missed it, so a
        // taken-over file journals its applied lines again (at least once).
        let replayed = taken_over && effect == AckEffect::AlreadyApplied;
        let journaled =
            (matches!(effect, AckEffect::Applied { .. }) || replayed).then(|| Journaled {
                tenant: notice.tenant_id.clone(),
                action: match ack.outcome {
                    AckOutcome::Acknowledged => "acknowledged",
                    AckOutcome::InProgress => "in_progress",
                    AckOutcome::Error { .. } => "refused",
                },
                transmission: ack.answer_id.clone(),
            });
        let current = answer.transmission_id(&notice.notice.notice_number) == ack.answer_id;
        let notification = match &ack.outcome {
            AckOutcome::Error {
                code,
                field,
                message,
            } if current && answer.state == AnswerState::InError => {
                Some(Notification::AnswerRefused {
                    idempotency_key: format!("{}|refused", ack.answer_id),
                    tenant_id: notice.tenant_id.0.clone(),
                    entity_id: notice.entity_id.0.clone(),
                    notice_number: notice.notice.notice_number.clone(),
                    transmission_id: ack.answer_id.clone(),
                    code: code.clone(),
                    field: field.clone(),
                    label: message.clone(),
                    deadline: notice.deadline,
                })
            }
            _ if current && answer.state == AnswerState::Acknowledged => {
                Some(Notification::AnswerAcknowledged {
                    idempotency_key: format!("{}|acknowledged", ack.answer_id),
                    tenant_id: notice.tenant_id.0.clone(),
                    entity_id: notice.entity_id.0.clone(),
                    notice_number: notice.notice.notice_number.clone(),
                    plate: notice.notice.plate.display(),
                    acknowledged_on: paris_date(self.clock.now()),
                })
            }
            _ => None,
        };
        let told = if current && answer.state == AnswerState::Acknowledged {
            self.tell_driver(&notice).await?
        } else {
            false
        };
        Ok(LineOutcome::done(effect, notification, told, journaled))
    }

    /// ANTAI's answers in each tenant's journal, by the system actor, a
    /// few entries per tenant and kind of answer. Written once the notices
    /// are: after a crash in between, the delivery that takes the file over
    /// finds the lines already applied and journals them again.
    async fn journal_answers(
        &self,
        lines: &[Journaled],
        file_key: &str,
    ) -> Result<(), IngestError> {
        let mut grouped: BTreeMap<(&TenantId, &str), Vec<String>> = BTreeMap::new();
        for line in lines {
            let ids = grouped.entry((&line.tenant, line.action)).or_default();
            ids.push(line.transmission.clone());
        }
        let now = self.clock.now();
        for ((tenant, action), ids) in grouped {
            journal::record_answers(&self.storage, tenant, now, action, &ids, file_key)
                .await
                .map_err(|e| match e {
                    AppError::Port(e) => IngestError::Port(e),
                    other => IngestError::Port(PortError::new("journal", other.to_string())),
                })?;
        }
        Ok(())
    }

    /// Sends the driver e-mail if it is due and not yet recorded as sent.
    async fn tell_driver(&self, notice: &StoredNotice) -> Result<bool, IngestError> {
        let Some(answer) = notice.answer.as_ref() else {
            return Ok(false);
        };
        let transmission = answer.transmission_id(&notice.notice.notice_number);
        let already = answer.history.iter().any(|h| {
            h.transmission_id == transmission && matches!(h.event, AnswerEvent::DriverTold)
        });
        let (true, false, Some(to), AnswerBody::Designation(driver)) = (
            answer.notify_driver,
            already,
            answer.body.driver_email(),
            &answer.body,
        ) else {
            return Ok(false);
        };
        let offence_at = notice.notice.offence_at;
        self.mailer
            .send_templated(&TemplatedEmail {
                to: to.to_string(),
                template: self.config.driver_email_template.clone(),
                data: serde_json::json!({
                    "first_name": driver.first_name,
                    "last_name": driver.last_name,
                    "notice_number": notice.notice.notice_number,
                    "plate": notice.notice.plate.display(),
                    "offence_date": format_french_date(offence_at.date_naive()),
                    "offence_time": offence_at.format("%H:%M").to_string(),
                    "offence_label": notice.notice.offence.label,
                }),
            })
            .await?;
        let now = self.clock.now();
        update_notice(&self.storage, &notice.notice.notice_number, |n| {
            let recorded = n.answer.as_ref().is_some_and(|a| {
                a.history.iter().any(|h| {
                    h.transmission_id == transmission && matches!(h.event, AnswerEvent::DriverTold)
                })
            });
            if !recorded {
                answering::driver_told(n, now);
            }
            !recorded
        })
        .await?;
        info!(tenant_id = %notice.tenant_id, "designated driver told by e-mail");
        Ok(true)
    }

    async fn send_notifications(&self, notifications: &[Notification]) -> Result<(), IngestError> {
        for chunk in notifications.chunks(MAX_QUEUE_BATCH) {
            let messages: Vec<QueueMessage> = chunk
                .iter()
                .enumerate()
                .map(|(i, r)| QueueMessage {
                    id: format!("r{i}"),
                    body: serde_json::to_string(r).expect("serializable message"),
                })
                .collect();
            self.queue
                .send(&self.config.notifications_queue_url, &messages)
                .await?;
        }
        for n in notifications {
            if matches!(n, Notification::AnswerRefused { .. }) {
                warn!(tenant_id = %n.tenant_id(), entity_id = %n.entity_id(), "answer refused by ANTAI; designation users notified");
            }
        }
        Ok(())
    }
}
