//! What is stored: the records the ports read and write, and how long each
//! is kept (see docs/data-model.md and docs/retention.md). How they sit in
//! the DynamoDB table (item shapes, keys) is `table`'s business, which the
//! ports never see.

use crate::domain::{
    EntityId, Holding, Notice, NoticeStatus, Plate, PlateKey, TenantId, UnroutedReason,
};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How long an inbound file's idempotency record is kept (it outlives the raw file).
pub const FILE_RECORD_DAYS: u64 = 400;
/// How long an unrouted notice stays visible to operators.
pub const UNROUTED_RECORD_DAYS: u64 = 90;
/// An unanswered notice stays in the active base until its 45 days end; the
/// nightly deadline sweep then marks it gone to paper (archived). The two
/// days are the sweep's margin for retries: a notice nobody swept leaves
/// then (docs/retention.md).
pub const OPEN_NOTICE_DAYS_AFTER_DEADLINE: u64 = 2;
/// A handled notice (answered, acknowledged, or gone to paper), with the
/// proof of its acknowledgement, is archived 12 months after its deadline.
pub const ANSWERED_NOTICE_DAYS_AFTER_DEADLINE: u64 = 365;

pub fn epoch_after(t: DateTime<Utc>, days: u64) -> i64 {
    t.checked_add_days(Days::new(days)).unwrap_or(t).timestamp()
}

/// A notice routed to a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredNotice {
    pub notice: Notice,
    pub tenant_id: TenantId,
    pub entity_id: EntityId,
    pub vehicle_id: String,
    pub status: NoticeStatus,
    pub deadline: NaiveDate,
    pub received_at: DateTime<Utc>,
    /// The inbound file this notice was first read from.
    pub source_file: String,
    /// Optimistic-concurrency counter: every answer write checks it, so two
    /// users answering at once never both win.
    #[serde(default)]
    pub version: u64,
    /// The answer, with its transmission history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<crate::domain::answer::Answer>,
    /// An expiry (epoch seconds) set ahead of the retention rules: a
    /// contract ended with its data erased at once (`end-tenant --at-once`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaves_at: Option<i64>,
}

impl StoredNotice {
    /// A notice just routed to a tenant's vehicle: open, no answer yet.
    pub fn routed(
        notice: Notice,
        tenant_id: TenantId,
        entity_id: EntityId,
        vehicle_id: String,
        received_at: DateTime<Utc>,
        source_file: String,
    ) -> StoredNotice {
        StoredNotice {
            deadline: notice.deadline().last_day,
            notice,
            tenant_id,
            entity_id,
            vehicle_id,
            status: NoticeStatus::Open,
            received_at,
            source_file,
            version: 0,
            answer: None,
            leaves_at: None,
        }
    }

    /// The order fleet managers read notices in: soonest deadline first.
    pub fn by_deadline(a: &StoredNotice, b: &StoredNotice) -> std::cmp::Ordering {
        (a.deadline, &a.notice.notice_number).cmp(&(b.deadline, &b.notice.notice_number))
    }
}

/// A notice's place in the lists: deadline, then number (the order of
/// `StoredNotice::by_deadline`). A list's cursor is the position it stopped at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NoticePosition {
    pub deadline: NaiveDate,
    pub notice_number: String,
}

impl NoticePosition {
    pub fn of(n: &StoredNotice) -> NoticePosition {
        NoticePosition {
            deadline: n.deadline,
            notice_number: n.notice.notice_number.clone(),
        }
    }
}

/// Which notices index a list reads: the tenant's, or one entity's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeIndex {
    Tenant(TenantId),
    Entity(TenantId, EntityId),
}

/// What a list keeps among the notices it reads, beyond what the index's
/// keys select (the adapter filters while it reads, as DynamoDB does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeCriteria {
    /// Normalized plate.
    pub plate: Option<String>,
    /// A plate (normalized) or the start of a notice number.
    pub search: Option<(String, String)>,
    /// Offence day (Paris) from, included.
    pub offence_from: Option<NaiveDate>,
    /// Offence day (Paris) to, included.
    pub offence_to: Option<NaiveDate>,
}

impl NoticeCriteria {
    pub fn matches(&self, n: &StoredNotice) -> bool {
        let day = n.notice.offence_at.date_naive();
        self.plate
            .as_ref()
            .is_none_or(|p| n.notice.plate.normalized == *p)
            && self.search.as_ref().is_none_or(|(plate, number)| {
                n.notice.plate.normalized == *plate || n.notice.notice_number.starts_with(number)
            })
            && self.offence_from.is_none_or(|f| day >= f)
            && self.offence_to.is_none_or(|t| day <= t)
    }

    pub fn is_empty(&self) -> bool {
        *self == NoticeCriteria::default()
    }
}

/// One read of a notices index: one status, in list order, from just after
/// `after`, deadlines up to `due_by`; at most `limit` items read (before
/// `criteria` drops some, as DynamoDB's `Limit` counts).
#[derive(Debug, Clone)]
pub struct NoticeRange<'a> {
    pub index: &'a NoticeIndex,
    pub status: NoticeStatus,
    pub after: Option<&'a NoticePosition>,
    /// Deadlines from this day, included: earlier ones have left.
    pub due_from: Option<NaiveDate>,
    pub due_by: Option<NaiveDate>,
    pub criteria: &'a NoticeCriteria,
    pub limit: usize,
}

/// What one read found, and where it stopped when the range goes on.
#[derive(Debug, Clone, Default)]
pub struct NoticeSlice {
    pub notices: Vec<StoredNotice>,
    /// The last position read (DynamoDB's `LastEvaluatedKey`); `None` once
    /// the range is read to its end.
    pub stopped_at: Option<NoticePosition>,
}

/// An answer the outbound job considered: the notice and the transmission
/// that was due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCandidate {
    pub notice_number: String,
    pub transmission: u32,
}

/// How far an outbound batch has gone (see docs/antai-exchange.md, "Exactly once").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BatchPhase {
    /// Candidates chosen; answers being taken into the batch.
    Claiming,
    /// Members fixed: the file's content can no longer change.
    Claimed,
    /// File written and every member marked sent.
    Done,
}

/// One outbound answers file, from its opening to its closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundBatch {
    pub batch_id: String,
    /// Also the file's creation time: a rewrite produces the same bytes.
    pub created_at: DateTime<Utc>,
    pub phase: BatchPhase,
    pub candidates: Vec<BatchCandidate>,
    /// Transmission ids in the file, in file order (set when `Claimed`).
    pub members: Vec<String>,
    pub file_key: String,
}

/// How long the record of a closed batch is kept.
pub const BATCH_RECORD_DAYS: u64 = 400;

/// The earliest deadline a notice of `status` may have and still be in the
/// table on `today` (Paris): earlier ones have expired (`notice_expires_at`,
/// to the day; `leaves_at` only ever brings an expiry forward). Not a day
/// earlier: a whole day of expired items at the head of each stream would
/// make every page read them first and filter them out.
pub fn earliest_live_deadline(status: NoticeStatus, today: NaiveDate) -> NaiveDate {
    let kept = match status {
        NoticeStatus::Open => OPEN_NOTICE_DAYS_AFTER_DEADLINE,
        _ => ANSWERED_NOTICE_DAYS_AFTER_DEADLINE,
    };
    today - chrono::Days::new(kept)
}

/// When a notice leaves the table (its TTL): shortly after its deadline
/// while unanswered, a year after it once answered.
pub fn notice_expires_at(n: &StoredNotice) -> i64 {
    if let Some(at) = n.leaves_at {
        return at;
    }
    let closes = n.notice.deadline().closes_at();
    match n.status {
        NoticeStatus::Open => epoch_after(closes, OPEN_NOTICE_DAYS_AFTER_DEADLINE),
        _ => epoch_after(closes, ANSWERED_NOTICE_DAYS_AFTER_DEADLINE),
    }
}

/// A vehicle of a tenant's fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    pub tenant_id: TenantId,
    pub entity_id: EntityId,
    pub vehicle_id: String,
    pub plate: Plate,
    pub make: String,
    pub model: String,
    pub entry_on: NaiveDate,
    pub exit_on: Option<NaiveDate>,
    /// A pool vehicle may be assigned to several drivers at once.
    #[serde(default)]
    pub pool: bool,
    /// Removed from the fleet that day (`exit_on` is then that day or
    /// earlier): hidden from the fleet, still declared and routing older
    /// offences until its tenant's smart-exit grace ends, when the table's
    /// TTL deletes it and the purge its holding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_on: Option<NaiveDate>,
}

impl Vehicle {
    pub fn holding(&self) -> Holding {
        Holding {
            tenant_id: self.tenant_id.clone(),
            entity_id: self.entity_id.clone(),
            vehicle_id: self.vehicle_id.clone(),
            entry_on: self.entry_on,
            exit_on: self.exit_on,
            removed_on: self.removed_on,
        }
    }
}

/// Which fleet declaration: the periodic full one, or the day's changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclarationMode {
    Full,
    Changes,
}

/// A fleet declaration written for the relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub mode: DeclarationMode,
    pub file_id: String,
    pub key: String,
    pub lines: usize,
    /// Changes up to this instant are declared.
    pub covers_until: DateTime<Utc>,
}

/// Tenant records kept as documents: one item each, under the tenant's partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    Entity,
    Driver,
    Assignment,
    /// An Excel import (synchronous or uploaded), its status and report.
    Import,
    /// Who read or changed what (kept `JOURNAL_DAYS`).
    Journal,
    /// A pending invitation, by the hash of its secret.
    Invitation,
    /// An export job (12 months of notices), its status and progress.
    Export,
    /// A user's notification preferences.
    NotificationPreferences,
    /// A reminder already sent for a notice and step (idempotency).
    Reminder,
    /// A notification waiting for a user's daily or weekly digest.
    DigestEntry,
    /// An address SES reported as bouncing or complaining: never mailed again.
    Suppression,
    /// A data-subject request (access, rectification, erasure…) in the register.
    PrivacyRequest,
    /// Proof that an expired item left the table and what depended on it was
    /// deleted (written by the purge function; no personal data).
    Purge,
    /// A plate refused because another tenant holds it (operators' list).
    PlateConflict,
    /// A designation certificate: under the tenant, by transmission id, the
    /// signed proof; under `_platform`, by verification code, where to find it.
    Certificate,
    /// An idempotency key and the response it replays (24 hours).
    Idempotency,
}

impl RecordKind {
    /// Every kind (a tenant's records are read kind by kind).
    pub const ALL: [RecordKind; 16] = [
        RecordKind::Entity,
        RecordKind::Driver,
        RecordKind::Assignment,
        RecordKind::Import,
        RecordKind::Journal,
        RecordKind::Invitation,
        RecordKind::Export,
        RecordKind::NotificationPreferences,
        RecordKind::Reminder,
        RecordKind::DigestEntry,
        RecordKind::Suppression,
        RecordKind::PrivacyRequest,
        RecordKind::Purge,
        RecordKind::PlateConflict,
        RecordKind::Certificate,
        RecordKind::Idempotency,
    ];

    /// The sort-key prefix and `item_type` of the kind.
    pub fn prefix(self) -> &'static str {
        match self {
            RecordKind::Entity => "ENTITY",
            RecordKind::Driver => "DRIVER",
            RecordKind::Assignment => "ASSIGNMENT",
            RecordKind::Import => "IMPORT",
            RecordKind::Journal => "JOURNAL",
            RecordKind::Invitation => "INVITATION",
            RecordKind::Export => "EXPORT",
            RecordKind::NotificationPreferences => "PREFERENCES",
            RecordKind::Reminder => "REMINDER",
            RecordKind::DigestEntry => "DIGEST",
            RecordKind::Suppression => "SUPPRESSION",
            RecordKind::PrivacyRequest => "PRIVACY",
            RecordKind::Purge => "PURGE",
            RecordKind::PlateConflict => "PLATE_CONFLICT",
            RecordKind::Certificate => "CERTIFICATE",
            RecordKind::Idempotency => "IDEMPOTENCY",
        }
    }
}

/// How long access-journal entries are kept.
pub const JOURNAL_DAYS: u64 = 365;

/// A document record: its id, an optimistic-concurrency version, its body,
/// and, for records that expire, the TTL instant (epoch seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub version: u64,
    pub data: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

impl Record {
    pub fn new<T: Serialize>(id: impl Into<String>, version: u64, data: &T) -> Self {
        Record {
            id: id.into(),
            version,
            data: serde_json::to_value(data).expect("records serialize to JSON"),
            expires_at: None,
        }
    }

    /// Past its expiry (epoch seconds `now`)? DynamoDB deletes expired
    /// items late (up to days): readers must not return them meanwhile.
    pub fn is_expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// The body as `T`; a stored body that no longer maps is a bug, reported as such.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self.data.clone())
    }
}

/// Where an inbound file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FileStatus {
    Processing,
    Processed,
    Quarantined,
}

/// Figures of one file's processing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCounts {
    /// Record lines read (between header and trailer).
    pub read: usize,
    pub routed: usize,
    pub unrouted: usize,
    pub rejected: usize,
    pub duplicate: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileOutcome {
    pub status: FileStatus,
    pub counts: FileCounts,
    /// Where the full JSON report was stored.
    pub report_key: String,
    pub finished_at: DateTime<Utc>,
}

/// Answer to a claim on an inbound file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileClaim {
    /// The lease is ours. `taken_over`: from an invocation whose lease ran
    /// out, which may have done part of the file's work already.
    Acquired {
        taken_over: bool,
    },
    AlreadyFinished(FileOutcome),
    /// Another invocation is processing it; retry after the lease.
    Busy {
        lease_until: DateTime<Utc>,
    },
}

/// A notice no tenant could take, kept for operators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnroutedNotice {
    pub notice_number: String,
    pub plate: PlateKey,
    pub offence_at: DateTime<Utc>,
    pub reason: UnroutedReason,
    pub received_at: DateTime<Utc>,
    pub source_file: String,
    pub line: usize,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::notice::{Offence, Scale};
    use crate::domain::time::parse_paris_datetime;

    #[test]
    fn every_record_kind_is_in_the_list_of_all() {
        // A new kind fails to compile here until it is listed.
        let listed = |kind: RecordKind| match kind {
            RecordKind::Entity
            | RecordKind::Driver
            | RecordKind::Assignment
            | RecordKind::Import
            | RecordKind::Journal
            | RecordKind::Invitation
            | RecordKind::Export
            | RecordKind::NotificationPreferences
            | RecordKind::Reminder
            | RecordKind::DigestEntry
            | RecordKind::Suppression
            | RecordKind::PrivacyRequest
            | RecordKind::Purge
            | RecordKind::PlateConflict
            | RecordKind::Certificate
            | RecordKind::Idempotency => RecordKind::ALL.contains(&kind),
        };
        assert!(RecordKind::ALL.into_iter().all(listed));
        let mut prefixes: Vec<&str> = RecordKind::ALL.iter().map(|k| k.prefix()).collect();
        prefixes.sort();
        prefixes.dedup();
        assert_eq!(prefixes.len(), RecordKind::ALL.len(), "each kind once");
    }

    /// A routed notice, open (also the sealing tests' notice).
    pub(crate) fn stored() -> StoredNotice {
        let notice = Notice {
            notice_number: "8812345678".into(),
            plate: Plate::parse("AB-123-CD", "FRA").unwrap(),
            make: "PEUGEOT".into(),
            model: "308".into(),
            offence_at: parse_paris_datetime("03/11/2026 17:45:10").unwrap(),
            offence: Offence {
                natinf_code: 11300,
                label: "EXCES DE VITESSE".into(),
            },
            scale: Scale {
                class: 4,
                fixed_amount_cents: 13500,
                reduced_amount_cents: Some(9000),
                points: Some(1),
            },
            issued_on: NaiveDate::from_ymd_opt(2026, 11, 6).unwrap(),
        };
        StoredNotice {
            leaves_at: None,
            deadline: notice.deadline().last_day,
            notice,
            tenant_id: "t-acme".into(),
            entity_id: "e-lyon".into(),
            vehicle_id: "v1".into(),
            status: NoticeStatus::Open,
            received_at: "2026-11-07T08:00:00Z".parse().unwrap(),
            source_file: "exchange/inbound/f.txt#etag".into(),
            version: 0,
            answer: None,
        }
    }
}
