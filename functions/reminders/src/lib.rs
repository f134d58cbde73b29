//! Reminders, once a day: for every notice still unanswered, the most
//! urgent reminder due (deadline in 2 days, in 7 days, or still open some
//! days after it arrived, a tenant setting) goes to the notifications queue,
//! where the notification function applies each user's preferences.
//!
//! Nothing after an answer or after the notice went to paper: only notices
//! that still await an answer are reminded, open ones, and those whose answer
//! ANTAI refused (their deadline reminders: the refusal was told already);
//! the notification function checks again before it mails. Never twice for the same notice and step: a reminder record is
//! written after the message is queued; the message carries an idempotency
//! key, so a crash between the two can only repeat a message the
//! notification function recognises.

use chrono::{DateTime, Days, Utc};
use designa::domain::tenant::TenantSettings;
use designa::domain::time::paris_date;
use designa::domain::{NoticeStatus, TenantId};
use designa::env::{Env, EnvError};
use designa::notifications::{Notification, ReminderStep};
use designa::ports::{
    AnswerStore, Clock, PortError, Queue, QueueMessage, Storage, WorkList, MAX_QUEUE_BATCH,
};
use designa::store::{epoch_after, Record, RecordKind, StoredNotice};
use futures::StreamExt;
use serde::Serialize;
use std::collections::HashMap;
use tracing::info;

/// The daily schedule (Europe/Paris), kept here so tests and the template agree.
pub const SCHEDULE: &str = "cron(0 8 * * ? *)";

/// Most notices one run looks at (the work index is read in one query).
const MAX_NOTICES_PER_RUN: usize = 200_000;
/// Notice reads in flight at once.
const READ_CONCURRENCY: usize = 16;

#[derive(Debug, Clone)]
pub struct Config {
    pub notifications_queue_url: String,
}

impl Config {
    pub fn from_env() -> Result<Config, EnvError> {
        Config::read(&Env::process())
    }

    pub fn read(env: &Env<impl Fn(&str) -> Option<String>>) -> Result<Config, EnvError> {
        Ok(Config {
            notifications_queue_url: env.required("NOTIFICATIONS_QUEUE_URL")?,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReminderReport {
    /// (notice, step) reminded in this run.
    pub sent: Vec<(String, ReminderStep)>,
    /// Due but already sent by an earlier run.
    pub already_sent: usize,
}

pub struct Reminders<S, Q, C> {
    pub storage: S,
    pub queue: Q,
    pub clock: C,
    pub config: Config,
}

fn reminder_id(number: &str, step: ReminderStep) -> String {
    format!("{number}#{}", step.as_str())
}

impl<S: Storage + AnswerStore, Q: Queue, C: Clock> Reminders<S, Q, C> {
    pub async fn run(&self) -> Result<ReminderReport, PortError> {
        let now = self.clock.now();
        let today = paris_date(now);
        // Unanswered notices, soonest deadline first (the deadline sweep's list).
        let horizon = today
            .checked_add_days(Days::new(designa::domain::notice::DESIGNATION_DAYS + 1))
            .unwrap_or(today);
        let numbers = self
            .storage
            .work_list(
                WorkList::Deadlines,
                &horizon.to_string(),
                MAX_NOTICES_PER_RUN,
            )
            .await?;
        let mut settings: HashMap<TenantId, TenantSettings> = HashMap::new();
        let mut report = ReminderReport::default();
        let mut batch: Vec<(StoredNotice, ReminderStep, Notification)> = Vec::new();
        // Consistent reads of each, a few at a time.
        let mut loaded = futures::stream::iter(numbers)
            .map(|number| async move { self.storage.load_notice(&number).await })
            .buffered(READ_CONCURRENCY);
        while let Some(notice) = loaded.next().await {
            let Some(notice) = notice? else {
                continue;
            };
            let number = notice.notice.notice_number.clone();
            if !notice.status.awaits_answer() {
                continue;
            }
            let remind_after = self
                .remind_open_after_days(&mut settings, &notice.tenant_id)
                .await?;
            let days_left = notice.notice.deadline().days_left(now);
            let days_open = (today - paris_date(notice.received_at)).num_days();
            let Some(step) = ReminderStep::due(days_left, days_open, remind_after) else {
                continue;
            };
            if notice.status == NoticeStatus::AnswerInError && step == ReminderStep::StillOpen {
                continue;
            }
            let id = reminder_id(&number, step);
            if self
                .storage
                .record(&notice.tenant_id, RecordKind::Reminder, &id)
                .await?
                .is_some()
            {
                report.already_sent += 1;
                continue;
            }
            let message = Notification::Reminder {
                idempotency_key: id,
                tenant_id: notice.tenant_id.0.clone(),
                entity_id: notice.entity_id.0.clone(),
                notice_number: number.clone(),
                plate: notice.notice.plate.display(),
                step,
                deadline: notice.deadline,
            };
            batch.push((notice, step, message));
            if batch.len() == MAX_QUEUE_BATCH {
                self.send(&mut batch, now, &mut report).await?;
            }
        }
        self.send(&mut batch, now, &mut report).await?;
        info!(
            reminded = report.sent.len(),
            already_sent = report.already_sent,
            "reminders sent"
        );
        Ok(report)
    }

    /// The tenant's setting, read once per run.
    async fn remind_open_after_days(
        &self,
        settings: &mut HashMap<TenantId, TenantSettings>,
        tenant: &TenantId,
    ) -> Result<u32, PortError> {
        if let Some(s) = settings.get(tenant) {
            return Ok(s.remind_open_after_days);
        }
        let s = self
            .storage
            .tenant(tenant)
            .await?
            .map(|t| t.settings)
            .unwrap_or_default();
        let days = s.remind_open_after_days;
        settings.insert(tenant.clone(), s);
        Ok(days)
    }

    /// Queues the messages, then records each reminder as sent.
    async fn send(
        &self,
        batch: &mut Vec<(StoredNotice, ReminderStep, Notification)>,
        now: DateTime<Utc>,
        report: &mut ReminderReport,
    ) -> Result<(), PortError> {
        if batch.is_empty() {
            return Ok(());
        }
        let messages: Vec<QueueMessage> = batch
            .iter()
            .enumerate()
            .map(|(i, (_, _, m))| QueueMessage {
                id: format!("r{i}"),
                body: serde_json::to_string(m).expect("serializable message"),
            })
            .collect();
        self.queue
            .send(&self.config.notifications_queue_url, &messages)
            .await?;
        for (notice, step, _) in batch.drain(..) {
            let number = &notice.notice.notice_number;
            let mut record = Record::new(
                reminder_id(number, step),
                1,
                &serde_json::json!({ "notice_number": number, "step": step, "at": now }),
            );
            // Kept until a while after the deadline: never asked again by then.
            record.expires_at = Some(epoch_after(notice.notice.deadline().closes_at(), 30));
            self.storage
                .put_record(&notice.tenant_id, RecordKind::Reminder, &record, None)
                .await?;
            report.sent.push((number.clone(), step));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
