//! Notifications: the messages on the notifications queue, the six kinds a
//! user chooses a delivery for, and who receives what. The notification
//! function turns messages into e-mails (at once, or in a daily or weekly
//! digest); the texts are SES templates in template.yaml.
//!
//! No message and no e-mail carries a driver's personal data: notice
//! numbers, plates (the company's vehicles), deadlines and ANTAI's codes only.

use crate::domain::access::{Action, Principal};
use crate::domain::tenant::User;
use crate::domain::{EntityId, TenantId};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What a user can choose a delivery for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// New notices arrived for the user's entities.
    NewNotices,
    /// A notice is still unanswered some days after it arrived.
    Reminders,
    /// A deadline is 7 or 2 days away.
    DeadlineApproaching,
    /// ANTAI refused an answer: it must be corrected.
    AnswerInError,
    /// The deadline passed without an accepted answer: the paper notice
    /// will come by post.
    GoneToPaper,
    /// ANTAI acknowledged an answer: the legal duty is met.
    AnswerAcknowledged,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 6] = [
        NotificationKind::NewNotices,
        NotificationKind::Reminders,
        NotificationKind::DeadlineApproaching,
        NotificationKind::AnswerInError,
        NotificationKind::GoneToPaper,
        NotificationKind::AnswerAcknowledged,
    ];
}

/// How a user wants a kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Immediately,
    DailyDigest,
    WeeklyDigest,
    Never,
}

/// A user's choices, one per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = NotificationPreferences))]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    pub new_notices: Delivery,
    pub reminders: Delivery,
    pub deadline_approaching: Delivery,
    pub answer_in_error: Delivery,
    /// Absent from preferences stored before it existed: its default.
    #[serde(default = "at_once")]
    pub gone_to_paper: Delivery,
    #[serde(default = "in_daily_digest")]
    pub answer_acknowledged: Delivery,
}

fn at_once() -> Delivery {
    Delivery::Immediately
}

fn in_daily_digest() -> Delivery {
    Delivery::DailyDigest
}

impl Default for Preferences {
    /// What matters for a deadline comes at once; arrivals and
    /// acknowledgements in a daily digest.
    fn default() -> Self {
        Preferences {
            new_notices: in_daily_digest(),
            reminders: at_once(),
            deadline_approaching: at_once(),
            answer_in_error: at_once(),
            gone_to_paper: at_once(),
            answer_acknowledged: in_daily_digest(),
        }
    }
}

impl Preferences {
    pub fn delivery(&self, kind: NotificationKind) -> Delivery {
        match kind {
            NotificationKind::NewNotices => self.new_notices,
            NotificationKind::Reminders => self.reminders,
            NotificationKind::DeadlineApproaching => self.deadline_approaching,
            NotificationKind::AnswerInError => self.answer_in_error,
            NotificationKind::GoneToPaper => self.gone_to_paper,
            NotificationKind::AnswerAcknowledged => self.answer_acknowledged,
        }
    }
}

/// Which reminder of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderStep {
    /// Still unanswered some days (tenant setting) after it arrived.
    StillOpen,
    DeadlineIn7Days,
    DeadlineIn2Days,
}

impl ReminderStep {
    pub fn as_str(&self) -> &'static str {
        match self {
            ReminderStep::StillOpen => "still_open",
            ReminderStep::DeadlineIn7Days => "deadline_in_7_days",
            ReminderStep::DeadlineIn2Days => "deadline_in_2_days",
        }
    }

    pub fn kind(&self) -> NotificationKind {
        match self {
            ReminderStep::StillOpen => NotificationKind::Reminders,
            _ => NotificationKind::DeadlineApproaching,
        }
    }

    /// The reminder due for an open notice `days_left` days before its last
    /// day, `days_open` days after it arrived: the most urgent one only.
    pub fn due(days_left: i64, days_open: i64, remind_after_days: u32) -> Option<ReminderStep> {
        if days_left < 0 {
            None
        } else if days_left <= 2 {
            Some(ReminderStep::DeadlineIn2Days)
        } else if days_left <= 7 {
            Some(ReminderStep::DeadlineIn7Days)
        } else if days_open >= i64::from(remind_after_days) {
            Some(ReminderStep::StillOpen)
        } else {
            None
        }
    }
}

/// A message on the notifications queue. `idempotency_key` is the same for
/// every delivery of the same event: a user is never notified twice of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Notification {
    NoticesReceived {
        idempotency_key: String,
        tenant_id: String,
        entity_id: String,
        notice_count: usize,
        earliest_deadline: NaiveDate,
        source_file: String,
    },
    AnswerRefused {
        idempotency_key: String,
        tenant_id: String,
        entity_id: String,
        notice_number: String,
        transmission_id: String,
        code: String,
        field: Option<String>,
        label: String,
        deadline: NaiveDate,
    },
    Reminder {
        idempotency_key: String,
        tenant_id: String,
        entity_id: String,
        notice_number: String,
        plate: String,
        step: ReminderStep,
        deadline: NaiveDate,
    },
    /// Its deadline passed unanswered (or with a refused answer left
    /// uncorrected): ANTAI will send the paper notice.
    GoneToPaper {
        idempotency_key: String,
        tenant_id: String,
        entity_id: String,
        notice_number: String,
        plate: String,
        deadline: NaiveDate,
    },
    /// ANTAI acknowledged the answer to the notice.
    AnswerAcknowledged {
        idempotency_key: String,
        tenant_id: String,
        entity_id: String,
        notice_number: String,
        plate: String,
        acknowledged_on: NaiveDate,
    },
}

impl Notification {
    pub fn kind(&self) -> NotificationKind {
        match self {
            Notification::NoticesReceived { .. } => NotificationKind::NewNotices,
            Notification::AnswerRefused { .. } => NotificationKind::AnswerInError,
            Notification::Reminder { step, .. } => step.kind(),
            Notification::GoneToPaper { .. } => NotificationKind::GoneToPaper,
            Notification::AnswerAcknowledged { .. } => NotificationKind::AnswerAcknowledged,
        }
    }

    pub fn tenant_id(&self) -> TenantId {
        match self {
            Notification::NoticesReceived { tenant_id, .. }
            | Notification::AnswerRefused { tenant_id, .. }
            | Notification::Reminder { tenant_id, .. }
            | Notification::GoneToPaper { tenant_id, .. }
            | Notification::AnswerAcknowledged { tenant_id, .. } => TenantId(tenant_id.clone()),
        }
    }

    pub fn entity_id(&self) -> EntityId {
        match self {
            Notification::NoticesReceived { entity_id, .. }
            | Notification::AnswerRefused { entity_id, .. }
            | Notification::Reminder { entity_id, .. }
            | Notification::GoneToPaper { entity_id, .. }
            | Notification::AnswerAcknowledged { entity_id, .. } => EntityId(entity_id.clone()),
        }
    }

    pub fn idempotency_key(&self) -> &str {
        match self {
            Notification::NoticesReceived {
                idempotency_key, ..
            }
            | Notification::AnswerRefused {
                idempotency_key, ..
            }
            | Notification::Reminder {
                idempotency_key, ..
            }
            | Notification::GoneToPaper {
                idempotency_key, ..
            }
            | Notification::AnswerAcknowledged {
                idempotency_key, ..
            } => idempotency_key,
        }
    }

    /// The notice a reminder is about: it is dropped if answered meanwhile.
    pub fn notice_to_recheck(&self) -> Option<&str> {
        match self {
            Notification::Reminder { notice_number, .. } => Some(notice_number),
            _ => None,
        }
    }

    /// One line of a digest, in French.
    pub fn digest_line(&self) -> String {
        let date = |d: &NaiveDate| d.format("%d/%m/%Y").to_string();
        match self {
            Notification::NoticesReceived {
                notice_count,
                earliest_deadline,
                ..
            } => format!(
                "{notice_count} nouvel(s) avis à traiter (première date limite : {})",
                date(earliest_deadline)
            ),
            Notification::AnswerRefused {
                notice_number,
                code,
                label,
                ..
            } => format!(
                "Avis n° {notice_number} : réponse refusée par l'ANTAI ({code} – {label}), à corriger"
            ),
            Notification::Reminder {
                notice_number,
                plate,
                step,
                deadline,
                ..
            } => match step {
                ReminderStep::StillOpen => format!(
                    "Avis n° {notice_number} ({plate}) toujours sans réponse, date limite le {}",
                    date(deadline)
                ),
                _ => format!(
                    "Avis n° {notice_number} ({plate}) : date limite le {}",
                    date(deadline)
                ),
            },
            Notification::GoneToPaper {
                notice_number,
                plate,
                deadline,
                ..
            } => format!(
                "Avis n° {notice_number} ({plate}) : délai dépassé le {}, l'avis papier va arriver : surveillez le courrier",
                date(deadline)
            ),
            Notification::AnswerAcknowledged {
                notice_number,
                plate,
                acknowledged_on,
                ..
            } => format!(
                "Avis n° {notice_number} ({plate}) : réponse reçue par l'ANTAI le {}",
                date(acknowledged_on)
            ),
        }
    }
}

/// The partition of records kept outside any tenant (tenant ids never
/// start with `_`): the suppression list.
pub const PLATFORM: &str = "_platform";

/// Has SES reported this address as bouncing or complaining? Such an
/// address is never mailed again (checked before every e-mail).
pub async fn is_suppressed<S: crate::ports::Storage + ?Sized>(
    storage: &S,
    email: &str,
) -> Result<bool, crate::ports::PortError> {
    Ok(storage
        .record(
            &TenantId(PLATFORM.into()),
            crate::store::RecordKind::Suppression,
            &email.to_lowercase(),
        )
        .await?
        .is_some())
}

/// The users told of an event of `entity`: active, with a grant in force
/// `today` that lets them answer its notices.
pub fn recipients<'a>(
    users: &'a [User],
    tenant: &TenantId,
    entity: &EntityId,
    today: NaiveDate,
) -> Vec<&'a User> {
    users
        .iter()
        .filter(|u| {
            Principal {
                tenant_id: u.tenant_id.clone(),
                user_id: u.user_id.clone(),
                active: u.active,
                grants: crate::domain::access::current_grants(&u.grants, today),
            }
            .can(Action::AnswerNotices, tenant, entity)
        })
        .collect()
}

/// The digest a notification queued at `at` goes into: its Paris day, or
/// its ISO week.
pub fn digest_period(delivery: Delivery, at: DateTime<Utc>) -> Option<String> {
    let day = crate::domain::time::paris_date(at);
    match delivery {
        Delivery::DailyDigest => Some(day.to_string()),
        Delivery::WeeklyDigest => {
            let week = day.iso_week();
            Some(format!("{}-W{:02}", week.year(), week.week()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::{Grant, Role, Scope};

    fn user(id: &str, role: Role, entities: &[&str], active: bool) -> User {
        User {
            tenant_id: "acme".into(),
            user_id: id.into(),
            email: format!("{id}@acme.example"),
            first_name: "Camille".into(),
            last_name: "Exemple".into(),
            active,
            grants: vec![Grant {
                role,
                scope: if entities.is_empty() {
                    Scope::AllEntities
                } else {
                    Scope::Entities(entities.iter().map(|e| EntityId((*e).into())).collect())
                },
                until: None,
            }],
            sealed: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    #[test]
    fn a_grant_past_its_last_day_tells_no_one() {
        let mut cover = user("holiday-cover", Role::Designation, &["e-lyon"], true);
        cover.grants[0].until = Some(today());
        let users = [cover];
        let told = |day: NaiveDate| recipients(&users, &"acme".into(), &"e-lyon".into(), day).len();
        assert_eq!(told(today()), 1, "its last day still counts");
        assert_eq!(told(today().succ_opt().unwrap()), 0);
    }

    #[test]
    fn the_entitys_active_designation_users_and_admins_are_told() {
        let users = [
            user("lyon-designer", Role::Designation, &["e-lyon"], true),
            user("paris-designer", Role::Designation, &["e-paris"], true),
            user("fleet-only", Role::FleetManagement, &[], true),
            user("admin", Role::Admin, &[], true),
            user("gone", Role::Designation, &[], false),
        ];
        let ids: Vec<_> = recipients(&users, &"acme".into(), &"e-lyon".into(), today())
            .iter()
            .map(|u| u.user_id.as_str())
            .collect();
        assert_eq!(ids, ["lyon-designer", "admin"]);
        assert!(recipients(&users, &"other".into(), &"e-lyon".into(), today()).is_empty());
    }

    #[test]
    fn the_most_urgent_reminder_is_due_and_none_after_the_deadline() {
        assert_eq!(ReminderStep::due(30, 3, 7), None);
        assert_eq!(ReminderStep::due(30, 7, 7), Some(ReminderStep::StillOpen));
        assert_eq!(
            ReminderStep::due(7, 40, 7),
            Some(ReminderStep::DeadlineIn7Days)
        );
        assert_eq!(
            ReminderStep::due(3, 1, 7),
            Some(ReminderStep::DeadlineIn7Days)
        );
        assert_eq!(
            ReminderStep::due(2, 1, 7),
            Some(ReminderStep::DeadlineIn2Days)
        );
        assert_eq!(
            ReminderStep::due(0, 45, 7),
            Some(ReminderStep::DeadlineIn2Days)
        );
        assert_eq!(ReminderStep::due(-1, 46, 7), None);
    }

    #[test]
    fn messages_keep_the_shape_the_producers_write() {
        let json = serde_json::json!({ "type": "ANSWER_REFUSED", "idempotency_key": "N1-1|refused",
            "tenant_id": "acme", "entity_id": "e-lyon", "notice_number": "N1", "transmission_id": "N1-1",
            "code": "E017", "field": "code_postal", "label": "Code postal inconnu", "deadline": "2026-12-21" });
        let n: Notification = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(n.kind(), NotificationKind::AnswerInError);
        assert_eq!(serde_json::to_value(&n).unwrap(), json);
        assert!(n.digest_line().contains("réponse refusée"));
    }

    #[test]
    fn digests_are_per_paris_day_or_iso_week() {
        let at: DateTime<Utc> = "2026-11-29T23:30:00Z".parse().unwrap();
        // 00:30 on Monday 30 November in Paris.
        assert_eq!(
            digest_period(Delivery::DailyDigest, at).unwrap(),
            "2026-11-30"
        );
        assert_eq!(
            digest_period(Delivery::WeeklyDigest, at).unwrap(),
            "2026-W49"
        );
        assert_eq!(digest_period(Delivery::Immediately, at), None);
    }
}
