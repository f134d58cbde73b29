//! The notification function.
//!
//! - **Notifications** (notifications queue): each message names a tenant and
//!   an entity; its recipients are the entity's active users allowed to
//!   answer notices. Per user and kind, the preference says: at once (an SES
//!   template e-mail), in the daily or the weekly digest (queued), or never.
//! - **Digests** (schedules, `{"digest": "daily"}` / `{"digest": "weekly"}`):
//!   one e-mail per user grouping what was queued for them.
//! - **SES feedback** (feedback queue, fed by SNS): a permanent bounce or a
//!   complaint puts the address on the suppression list; it is never mailed
//!   again.
//!
//! At least once, never twice: a delivery record per (event, user) is
//! written before the e-mail (`sending`) and completed after it (`sent`); a
//! redelivered message skips what was sent and retries what was not.
//! Reminders are dropped if the notice was answered (or went to paper) in
//! between, at once or at digest time.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use chrono::{DateTime, Utc};
use designa::aws::batch::{sqs_batch, MessageError};
use designa::domain::tenant::User;
use designa::domain::TenantId;
use designa::env::{Env, EnvError};
use designa::notifications::{
    digest_period, is_suppressed, recipients, Delivery, Notification, Preferences,
};
use designa::ports::{Clock, Mailer, PortError, Storage, TemplatedEmail};
use designa::store::{epoch_after, Record, RecordKind};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use tracing::{error, info, warn};

/// Digest partitions, outside any tenant (tenant ids never start with `_`).
pub use designa::app::layout::{DAILY_DIGESTS, WEEKLY_DIGESTS};

/// How long delivery records are kept (redeliveries come within days).
const DELIVERY_RECORD_DAYS: u64 = 30;

#[derive(Debug, Clone)]
pub struct Config {
    /// SES template names (template.yaml), one per kind, and the digest's.
    pub template_new_notices: String,
    pub template_reminder: String,
    pub template_deadline: String,
    pub template_answer_refused: String,
    pub template_gone_to_paper: String,
    pub template_answer_acknowledged: String,
    pub template_digest: String,
    /// The web app, for links in e-mails.
    pub app_url: String,
}

impl Config {
    pub fn from_env() -> Result<Config, EnvError> {
        Config::read(&Env::process())
    }

    pub fn read(env: &Env<impl Fn(&str) -> Option<String>>) -> Result<Config, EnvError> {
        Ok(Config {
            template_new_notices: env.required("TEMPLATE_NEW_NOTICES")?,
            template_reminder: env.required("TEMPLATE_REMINDER")?,
            template_deadline: env.required("TEMPLATE_DEADLINE")?,
            template_answer_refused: env.required("TEMPLATE_ANSWER_REFUSED")?,
            template_gone_to_paper: env.required("TEMPLATE_GONE_TO_PAPER")?,
            template_answer_acknowledged: env.required("TEMPLATE_ANSWER_ACKNOWLEDGED")?,
            template_digest: env.required("TEMPLATE_DIGEST")?,
            app_url: env.required("APP_URL")?,
        })
    }

    pub fn for_tests() -> Config {
        Config {
            template_new_notices: "t-new-notices".into(),
            template_reminder: "t-reminder".into(),
            template_deadline: "t-deadline".into(),
            template_answer_refused: "t-answer-refused".into(),
            template_gone_to_paper: "t-gone-to-paper".into(),
            template_answer_acknowledged: "t-answer-acknowledged".into(),
            template_digest: "t-digest".into(),
            app_url: "https://app.designa.example".into(),
        }
    }
}

impl MessageError for NotifyError {}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("message is neither a notification nor SES feedback: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Port(#[from] PortError),
}

/// What the function is invoked with: SQS batches (notifications, SES
/// feedback) or a digest schedule's input.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum NotifierEvent {
    Queue(SqsEvent),
    Digest(DigestRequest),
}

/// What the digest schedules send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestPeriod {
    Daily,
    Weekly,
}

#[derive(Debug, Deserialize)]
pub struct DigestRequest {
    pub digest: DigestPeriod,
}

/// What one notification did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Delivered {
    pub emailed: usize,
    pub queued_for_digest: usize,
    pub skipped: usize,
}

/// One notification waiting in a digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DigestEntry {
    tenant_id: String,
    user_id: String,
    period: String,
    line: String,
    /// Reminders: dropped at digest time if the notice was answered.
    notice_number: Option<String>,
    queued_at: DateTime<Utc>,
}

/// A delivery of one event to one user: `sending` then `sent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DeliveryRecord {
    state: String,
}

pub struct Notifier<S, M, C> {
    pub storage: S,
    pub mailer: M,
    pub clock: C,
    pub config: Config,
}

fn platform() -> TenantId {
    TenantId(designa::notifications::PLATFORM.into())
}

fn digest_partition(period: DigestPeriod) -> TenantId {
    TenantId(
        match period {
            DigestPeriod::Daily => DAILY_DIGESTS,
            DigestPeriod::Weekly => WEEKLY_DIGESTS,
        }
        .into(),
    )
}

fn french_date(d: &chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

impl<S: Storage, M: Mailer, C: Clock> Notifier<S, M, C> {
    /// One SQS batch (notifications or SES feedback): failed messages are
    /// reported so only they come back.
    pub async fn handle_event(&self, event: SqsEvent) -> SqsBatchResponse {
        sqs_batch(event, |message| async move {
            if message.body.is_empty() {
                return Err(NotifyError::Unreadable("empty body".into()));
            }
            self.handle_message(&message.body).await.map(|_| ())
        })
        .await
    }

    pub async fn handle_message(&self, body: &str) -> Result<Delivered, NotifyError> {
        if let Ok(notification) = serde_json::from_str::<Notification>(body) {
            return self.notify(&notification).await;
        }
        let value: serde_json::Value =
            serde_json::from_str(body).map_err(|e| NotifyError::Unreadable(e.to_string()))?;
        // SES → SNS → SQS: the SES event is the SNS envelope's `Message`.
        let ses_event = match value.get("Message").and_then(|m| m.as_str()) {
            Some(inner) => {
                serde_json::from_str(inner).map_err(|e| NotifyError::Unreadable(e.to_string()))?
            }
            None => value,
        };
        if ses_event.get("eventType").is_some() || ses_event.get("notificationType").is_some() {
            self.apply_ses_feedback(&ses_event).await?;
            return Ok(Delivered::default());
        }
        Err(NotifyError::Unreadable(
            body.chars().take(200).collect::<String>(),
        ))
    }

    /// Sends or queues one notification for each of its recipients.
    pub async fn notify(&self, notification: &Notification) -> Result<Delivered, NotifyError> {
        let tenant_id = notification.tenant_id();
        let entity_id = notification.entity_id();
        let kind = notification.kind();
        let mut delivered = Delivered::default();
        if !self.still_relevant(notification).await? {
            info!(tenant_id = %tenant_id, "reminder dropped: the notice was answered meanwhile");
            return Ok(delivered);
        }
        let users = self.storage.users(&tenant_id).await?;
        let today = designa::domain::time::paris_date(self.clock.now());
        for user in recipients(&users, &tenant_id, &entity_id, today) {
            let preferences = self.preferences(user).await?;
            match preferences.delivery(kind) {
                Delivery::Never => delivered.skipped += 1,
                Delivery::Immediately => {
                    if self.send_once(user, notification).await? {
                        delivered.emailed += 1;
                    } else {
                        delivered.skipped += 1;
                    }
                }
                digest @ (Delivery::DailyDigest | Delivery::WeeklyDigest) => {
                    self.queue_for_digest(user, notification, digest).await?;
                    delivered.queued_for_digest += 1;
                }
            }
        }
        info!(tenant_id = %tenant_id, entity_id = %entity_id, kind = ?kind, emailed = delivered.emailed,
              queued = delivered.queued_for_digest, skipped = delivered.skipped, "notification delivered");
        Ok(delivered)
    }

    /// A reminder is news only while its notice still awaits an answer.
    async fn still_relevant(&self, notification: &Notification) -> Result<bool, PortError> {
        let Some(number) = notification.notice_to_recheck() else {
            return Ok(true);
        };
        Ok(self
            .storage
            .notice(number)
            .await?
            .is_some_and(|n| n.status.awaits_answer()))
    }

    pub async fn preferences(&self, user: &User) -> Result<Preferences, PortError> {
        Ok(self
            .storage
            .record(
                &user.tenant_id,
                RecordKind::NotificationPreferences,
                &user.user_id,
            )
            .await?
            .and_then(|r| r.decode().ok())
            .unwrap_or_default())
    }

    async fn suppressed(&self, email: &str) -> Result<bool, PortError> {
        is_suppressed(&self.storage, email).await
    }

    fn template_of(&self, notification: &Notification) -> (&str, serde_json::Value) {
        let app = &self.config.app_url;
        match notification {
            Notification::NoticesReceived {
                notice_count,
                earliest_deadline,
                ..
            } => (
                &self.config.template_new_notices,
                json!({ "count": notice_count, "earliest_deadline": french_date(earliest_deadline), "link": format!("{app}/notices") }),
            ),
            Notification::AnswerRefused {
                notice_number,
                code,
                field,
                label,
                deadline,
                ..
            } => (
                &self.config.template_answer_refused,
                json!({ "notice_number": notice_number, "code": code, "field": field.clone().unwrap_or_default(),
                        "label": label, "deadline": french_date(deadline), "link": format!("{app}/notices/{notice_number}") }),
            ),
            Notification::Reminder {
                notice_number,
                plate,
                step,
                deadline,
                ..
            } => (
                match step {
                    designa::notifications::ReminderStep::StillOpen => {
                        &self.config.template_reminder
                    }
                    _ => &self.config.template_deadline,
                },
                json!({ "notice_number": notice_number, "plate": plate, "deadline": french_date(deadline),
                        "days_left": (*deadline - designa::domain::time::paris_date(self.clock.now())).num_days(),
                        "link": format!("{app}/notices/{notice_number}") }),
            ),
            Notification::GoneToPaper {
                notice_number,
                plate,
                deadline,
                ..
            } => (
                &self.config.template_gone_to_paper,
                json!({ "notice_number": notice_number, "plate": plate, "deadline": french_date(deadline),
                        "link": format!("{app}/notices/{notice_number}") }),
            ),
            Notification::AnswerAcknowledged {
                notice_number,
                plate,
                acknowledged_on,
                ..
            } => (
                &self.config.template_answer_acknowledged,
                json!({ "notice_number": notice_number, "plate": plate, "acknowledged_on": french_date(acknowledged_on),
                        "link": format!("{app}/notices/{notice_number}") }),
            ),
        }
    }

    /// Sends the e-mail of this event to this user unless it was already
    /// sent; `false` when nothing was sent (already sent, or suppressed).
    async fn send_once(&self, user: &User, notification: &Notification) -> Result<bool, PortError> {
        let (template, mut data) = self.template_of(notification);
        data["first_name"] = json!(user.first_name);
        let email = TemplatedEmail {
            to: user.email.clone(),
            template: template.to_string(),
            data,
        };
        self.deliver_once(user, notification.idempotency_key(), &email)
            .await
    }

    /// The delivery protocol: a record `sending` before the e-mail, `sent`
    /// after it. A redelivery skips what is `sent` and retries what is not
    /// (at least once, never twice once recorded).
    async fn deliver_once(
        &self,
        user: &User,
        event_key: &str,
        email: &TemplatedEmail,
    ) -> Result<bool, PortError> {
        let record_id = designa::app::layout::delivery_id(event_key, &user.user_id);
        let existing = self
            .storage
            .record(&user.tenant_id, RecordKind::DigestEntry, &record_id)
            .await?;
        if existing.as_ref().is_some_and(|r| {
            r.decode::<DeliveryRecord>()
                .is_ok_and(|d| d.state == "sent")
        }) {
            return Ok(false);
        }
        if self.suppressed(&user.email).await? {
            warn!(tenant_id = %user.tenant_id, "address suppressed after a bounce or complaint; not mailed");
            return Ok(false);
        }
        let version = existing.as_ref().map(|r| r.version);
        let state = |state: &str, version: u64| {
            let mut r = Record::new(
                &record_id,
                version,
                &DeliveryRecord {
                    state: state.into(),
                },
            );
            r.expires_at = Some(epoch_after(self.clock.now(), DELIVERY_RECORD_DAYS));
            r
        };
        let sending = state("sending", version.map_or(1, |v| v + 1));
        if !self
            .storage
            .put_record(&user.tenant_id, RecordKind::DigestEntry, &sending, version)
            .await?
        {
            // Another delivery of the same message is at it.
            return Ok(false);
        }
        self.mailer.send_templated(email).await?;
        self.storage
            .put_record(
                &user.tenant_id,
                RecordKind::DigestEntry,
                &state("sent", sending.version + 1),
                Some(sending.version),
            )
            .await?;
        Ok(true)
    }

    async fn queue_for_digest(
        &self,
        user: &User,
        notification: &Notification,
        delivery: Delivery,
    ) -> Result<(), PortError> {
        let now = self.clock.now();
        let (partition, period) = match delivery {
            Delivery::DailyDigest => (
                digest_partition(DigestPeriod::Daily),
                digest_period(delivery, now),
            ),
            _ => (
                digest_partition(DigestPeriod::Weekly),
                digest_period(delivery, now),
            ),
        };
        let entry = DigestEntry {
            tenant_id: user.tenant_id.0.clone(),
            user_id: user.user_id.clone(),
            period: period.unwrap_or_default(),
            line: notification.digest_line(),
            notice_number: notification.notice_to_recheck().map(str::to_string),
            queued_at: now,
        };
        // One entry per event and user: a redelivery writes nothing new.
        let id = format!(
            "{}#{}#{}",
            user.tenant_id,
            user.user_id,
            notification.idempotency_key()
        );
        let mut record = Record::new(id, 1, &entry);
        record.expires_at = Some(epoch_after(now, DELIVERY_RECORD_DAYS));
        self.storage
            .put_record(&partition, RecordKind::DigestEntry, &record, None)
            .await?;
        Ok(())
    }

    /// Sends the digests due: one e-mail per user with what was queued for
    /// them, then removes the entries sent.
    pub async fn send_digests(&self, period: DigestPeriod) -> Result<Delivered, NotifyError> {
        let partition = digest_partition(period);
        let now = self.clock.now();
        let records = self
            .storage
            .records(&partition, RecordKind::DigestEntry)
            .await?;
        let mut by_user: BTreeMap<(String, String), Vec<(String, DigestEntry)>> = BTreeMap::new();
        for r in records.iter().filter(|r| !r.id.starts_with('~')) {
            match r.decode::<DigestEntry>() {
                Ok(e) => by_user
                    .entry((e.tenant_id.clone(), e.user_id.clone()))
                    .or_default()
                    .push((r.id.clone(), e)),
                Err(e) => {
                    error!(record_id = %r.id, error = %e, "digest entry does not map; left in place")
                }
            }
        }
        let mut delivered = Delivered::default();
        for ((tenant, user_id), entries) in by_user {
            let tenant_id = TenantId(tenant);
            let user = self.storage.user(&tenant_id, &user_id).await?;
            let mut lines = Vec::new();
            for (_, e) in &entries {
                let relevant = match &e.notice_number {
                    Some(n) => self
                        .storage
                        .notice(n)
                        .await?
                        .is_some_and(|n| n.status.awaits_answer()),
                    None => true,
                };
                if relevant {
                    lines.push(e.line.clone());
                }
            }
            let sendable = user.as_ref().filter(|u| u.active);
            if let (Some(user), false) = (sendable, lines.is_empty()) {
                if !self.suppressed(&user.email).await? {
                    let key = format!(
                        "digest-{}",
                        digest_period(
                            match period {
                                DigestPeriod::Daily => Delivery::DailyDigest,
                                DigestPeriod::Weekly => Delivery::WeeklyDigest,
                            },
                            now
                        )
                        .unwrap_or_default()
                    );
                    let digest = DigestNotification { key, lines, period };
                    if self.send_digest_once(user, &digest).await? {
                        delivered.emailed += 1;
                    }
                }
            } else {
                delivered.skipped += 1;
            }
            for (id, _) in &entries {
                self.storage
                    .delete_record(&partition, RecordKind::DigestEntry, id)
                    .await?;
            }
        }
        info!(period = ?period, emailed = delivered.emailed, skipped = delivered.skipped, "digests sent");
        Ok(delivered)
    }

    async fn send_digest_once(
        &self,
        user: &User,
        digest: &DigestNotification,
    ) -> Result<bool, PortError> {
        let email = TemplatedEmail {
            to: user.email.clone(),
            template: self.config.template_digest.clone(),
            data: json!({
                "first_name": user.first_name,
                "period": match digest.period { DigestPeriod::Daily => "du jour", DigestPeriod::Weekly => "de la semaine" },
                "count": digest.lines.len(),
                "items": digest.lines.iter().map(|l| json!({ "line": l })).collect::<Vec<_>>(),
                "link": format!("{}/notices", self.config.app_url),
            }),
        };
        self.deliver_once(user, &digest.key, &email).await
    }

    /// A permanent bounce or a complaint suppresses the addresses it names.
    async fn apply_ses_feedback(&self, event: &serde_json::Value) -> Result<(), PortError> {
        let kind = event
            .get("eventType")
            .or_else(|| event.get("notificationType"))
            .and_then(|k| k.as_str())
            .unwrap_or_default();
        let addresses: Vec<String> = match kind {
            "Bounce" if event["bounce"]["bounceType"] == "Permanent" => event["bounce"]
                ["bouncedRecipients"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["emailAddress"].as_str().map(str::to_lowercase))
                .collect(),
            "Complaint" => event["complaint"]["complainedRecipients"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["emailAddress"].as_str().map(str::to_lowercase))
                .collect(),
            // Transient bounces (mailbox full…) are retried by SES itself.
            _ => Vec::new(),
        };
        let now = self.clock.now();
        for address in addresses {
            let record = Record::new(&address, 1, &json!({ "reason": kind, "at": now }));
            // Already suppressed is fine.
            self.storage
                .put_record(&platform(), RecordKind::Suppression, &record, None)
                .await?;
            warn!(
                reason = kind,
                "an address was suppressed after SES feedback"
            );
        }
        Ok(())
    }
}

struct DigestNotification {
    key: String,
    lines: Vec<String>,
    period: DigestPeriod,
}

/// When the digest schedules run: daily at 07:30, weekly on Monday 07:30
/// (Europe/Paris). Kept here so tests and the template agree.
pub const DAILY_DIGEST_SCHEDULE: &str = "cron(30 7 * * ? *)";
pub const WEEKLY_DIGEST_SCHEDULE: &str = "cron(30 7 ? * MON *)";

#[cfg(test)]
mod tests;
