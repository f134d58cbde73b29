//! The purge function, on the table's DynamoDB stream.
//!
//! DynamoDB's TTL deletes expired items (`expires_at`) by itself, late and
//! one item at a time; what depended on an item is not its business. For
//! each item the TTL removed (a `REMOVE` whose `userIdentity` is the
//! DynamoDB service) this function deletes what only existed for it, then
//! writes a purge record: the proof that the item and its dependents left,
//! without any personal data.
//!
//! | removed item | also deleted |
//! | --- | --- |
//! | notice | its reminder records (`REMINDER#<numero>#<step>`), the digest entries still waiting about it (`_digest-daily`, `_digest-weekly`) and its delivery records (`DIGEST#~delivery#<event>#<user>`), for reminders and refused answers; the data key of a driver typed into its answer; each outbound file it went out in, once no notice that file carried is left |
//! | export job | its file, `exports/<tenant>/<id>.<xlsx\|csv>` |
//! | import | the uploaded workbook (`imports/…`) and a fleet refresh's diff (`import-results/<tenant>/<id>.json`) |
//! | removed vehicle (its smart-exit grace over) | its plate holding, which routed older offences until then |
//! | anything else | nothing: the purge record only |
//! | purge record | nothing, and no purge record of a purge record |
//! | idempotency key (its kept response) | the replay key of the day before it was kept (`Subject::replay`: every response of that day has expired); no purge record for a cache |
//!
//! At least once: every deletion is of something that may already be gone,
//! and the purge record's id derives from the removed item's keys, written
//! only if absent. A replayed batch finds the purge record of this very
//! removal and changes nothing. Stream batches stop at the first failure:
//! Lambda resumes from it (`batchItemFailures` names its sequence number).

use aws_lambda_events::event::dynamodb::{Event, EventRecord, UserIdentity};
use aws_lambda_events::event::streams::DynamoDbEventResponse;
use chrono::{DateTime, Utc};
use designa::app::exports::export_key;
use designa::app::layout::{
    import_diff_key, DELIVERY_PREFIX, DIGEST_PARTITIONS, EXPORTS_PREFIX, IMPORTS_PREFIX,
    IMPORT_RESULTS_PREFIX, OUTBOUND_PREFIX,
};
use designa::domain::TenantId;
use designa::env::{Env, EnvError};
use designa::excel::export::ExportFormat;
use designa::notifications::{ReminderStep, PLATFORM};
use designa::ports::{AnswerStore, BlobStore, Clock, PortError, Storage};
use designa::privacy::{KeyVault, Subject};
use designa::store::Vehicle;
use designa::store::{epoch_after, Record, RecordKind};
use designa::table::{keys, RecordItem, VehicleItem};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use tracing::{error, info, warn};

/// How long a purge record is kept (the table's TTL).
pub const PURGE_RECORD_DAYS: u64 = 365;
/// What a TTL removal's stream record says about who removed the item.
pub const TTL_IDENTITY_TYPE: &str = "Service";
pub const TTL_PRINCIPAL: &str = "dynamodb.amazonaws.com";
/// Every reminder step: a notice has at most one reminder record per step.
const REMINDER_STEPS: [ReminderStep; 3] = [
    ReminderStep::StillOpen,
    ReminderStep::DeadlineIn7Days,
    ReminderStep::DeadlineIn2Days,
];

/// A new step must be added to `REMINDER_STEPS`: this match stops compiling.
#[allow(dead_code)]
fn every_step_is_listed(step: ReminderStep) {
    match step {
        ReminderStep::StillOpen | ReminderStep::DeadlineIn7Days | ReminderStep::DeadlineIn2Days => {
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The exchange bucket (exports, uploads, import results).
    pub bucket: String,
    /// Where uploaded workbooks land (template.yaml's `IMPORTS_PREFIX`).
    pub imports_prefix: String,
}

impl Config {
    pub fn from_env() -> Result<Config, EnvError> {
        Config::read(&Env::process())
    }

    pub fn read(env: &Env<impl Fn(&str) -> Option<String>>) -> Result<Config, EnvError> {
        Ok(Config {
            bucket: env.required("EXCHANGE_BUCKET")?,
            imports_prefix: env.or("IMPORTS_PREFIX", IMPORTS_PREFIX),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error("the removed item cannot be read: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Port(#[from] PortError),
}

/// What was deleted because an item expired. Counts and S3 keys only (keys
/// hold tenant and record ids, never personal data).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deleted {
    /// Reminder records of an expired notice.
    pub reminder_records: usize,
    /// Entries still waiting in a daily or weekly digest about the notice.
    pub digest_entries: usize,
    /// Delivery records (`sending`/`sent`) of its reminders and refusals.
    pub delivery_records: usize,
    /// Objects deleted from the exchange bucket (every version).
    pub objects: Vec<String>,
    /// An expired notice's typed-in designee: its data key is erased, so
    /// the sealed driver in backups of the notice no longer opens.
    #[serde(default)]
    pub designee_key_erased: bool,
    /// A removed vehicle's plate holding, once its smart-exit grace ended.
    #[serde(default)]
    pub plate_holding: bool,
}

/// The purge record (`<tenant or _platform>` / `PURGE#<id>`): which kind of
/// item left, whose, when, and what went with it. Never personal data: not
/// even the removed item's keys (a notice number), only their hash, which
/// is the record's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeRecord {
    /// The removed item's `item_type` (`NOTICE`, `EXPORT`, `IMPORT`, …).
    pub item_type: String,
    /// Its tenant, when it had one.
    pub tenant_id: Option<String>,
    /// When DynamoDB removed it (the stream record's creation time).
    pub removed_at: DateTime<Utc>,
    /// The TTL it carried (epoch seconds).
    pub expired_at: Option<i64>,
    /// The stream record, to trace a purge back to its delivery.
    pub sequence_number: Option<String>,
    pub purged_at: DateTime<Utc>,
    pub deleted: Deleted,
}

/// What one stream record came to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Its dependents were deleted and its purge record written.
    Purged { id: String, deleted: Deleted },
    /// This very removal was purged before (a replay): nothing done.
    AlreadyPurged { id: String },
    /// Not a TTL removal (an insert, a change, a deletion by a function).
    Ignored,
    /// A purge record expired: nothing depends on it, and it gets no purge record.
    PurgeRecordExpired,
    /// An idempotency key's kept response expired: the replay key of the day
    /// before it was erased (every response of that day had expired); a
    /// cache gets no purge record.
    ReplayExpired,
}

/// What a batch came to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BatchReport {
    pub purged: usize,
    pub already_purged: usize,
    pub ignored: usize,
    pub purge_records_expired: usize,
    pub replays_expired: usize,
    /// The sequence number of the record that failed; it and those after
    /// it were not handled (Lambda resumes from it).
    pub failed_at: Option<String>,
}

impl BatchReport {
    /// The partial-batch answer Lambda expects from a stream function.
    pub fn response(&self) -> DynamoDbEventResponse {
        designa::aws::batch::stream_batch_response(self.failed_at.as_deref())
    }
}

/// Did DynamoDB's TTL remove the item (and not a function or a person)?
pub fn is_ttl_removal(record: &EventRecord) -> bool {
    record.event_name == "REMOVE"
        && record
            .user_identity
            .as_ref()
            .is_some_and(|u| u.type_ == TTL_IDENTITY_TYPE && u.principal_id == TTL_PRINCIPAL)
}

/// A stream record of a TTL removal of `old_image` (tests and tools: what
/// DynamoDB sends).
pub fn ttl_removal(
    old_image: serde_dynamo::Item,
    sequence_number: &str,
    removed_at: DateTime<Utc>,
) -> EventRecord {
    let mut identity = UserIdentity::default();
    identity.type_ = TTL_IDENTITY_TYPE.into();
    identity.principal_id = TTL_PRINCIPAL.into();
    let mut record = EventRecord::default();
    record.aws_region = "eu-west-3".into();
    record.event_id = format!("event-{sequence_number}");
    record.event_name = "REMOVE".into();
    record.event_source = Some("aws:dynamodb".into());
    record.event_version = Some("1.1".into());
    record.user_identity = Some(identity);
    let keys: HashMap<String, serde_dynamo::AttributeValue> = ["pk", "sk"]
        .iter()
        .filter_map(|k| old_image.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect();
    record.change.keys = keys.into();
    record.change.old_image = old_image;
    record.change.approximate_creation_date_time = removed_at;
    record.change.sequence_number = Some(sequence_number.into());
    record.change.stream_view_type =
        Some(aws_lambda_events::event::dynamodb::StreamViewType::NewAndOldImages);
    record
}

/// The id of the purge record of the item keyed `pk`, `sk`: the SHA-256 of
/// its keys (which may hold a notice number), so the same removal always
/// gives the same id. Whoever knows a notice number can find its purge
/// record; the record itself does not tell the number.
pub fn purge_id(pk: &str, sk: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(pk.as_bytes());
    hash.update([0u8]);
    hash.update(sk.as_bytes());
    hex::encode(hash.finalize())
}

/// The keys and the few attributes every item can be read by.
#[derive(Debug, Deserialize)]
struct Header {
    pk: String,
    sk: String,
    #[serde(default)]
    item_type: Option<String>,
    #[serde(default)]
    tenant_id: Option<String>,
    #[serde(default)]
    expires_at: Option<i64>,
}

/// What a removed item is, as far as its dependents go.
#[derive(Debug)]
enum Removed {
    Notice {
        tenant: TenantId,
        number: String,
        /// (batch id, file key) of each transmission of its answer.
        sent_in: Vec<(String, String)>,
    },
    Export {
        tenant: TenantId,
        record: Record,
    },
    Import {
        tenant: TenantId,
        record: Record,
    },
    /// A vehicle removed from the fleet whose grace is over.
    Vehicle(Vehicle),
    /// An idempotency key and its response, kept on `day`.
    KeptResponse {
        tenant: TenantId,
        day: chrono::NaiveDate,
    },
    PurgeRecord,
    Other,
}

/// The parts of an export job the purge needs (`designa::app::exports::ExportJob`).
#[derive(Debug, Deserialize)]
struct ExportFiles {
    export_id: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    format: ExportFormat,
    #[serde(default)]
    file_key: Option<String>,
}

/// The parts of an import record the purge needs (`designa::app::imports::ImportRecord`).
#[derive(Debug, Deserialize)]
struct ImportFiles {
    import_id: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    upload_key: Option<String>,
}

fn tenant_of_partition(pk: &str) -> Option<TenantId> {
    pk.strip_prefix(&keys::tenant(&TenantId(String::new())))
        .filter(|t| !t.is_empty() && !t.contains('#'))
        .map(|t| TenantId(t.to_string()))
}

fn unreadable(what: &str, e: impl std::fmt::Display) -> PurgeError {
    PurgeError::Unreadable(format!("{what}: {e}"))
}

impl Header {
    fn read(image: &serde_dynamo::Item) -> Result<Header, PurgeError> {
        if image.is_empty() {
            return Err(PurgeError::Unreadable(
                "no OldImage (the stream must be NEW_AND_OLD_IMAGES)".into(),
            ));
        }
        serde_dynamo::from_item(image.clone()).map_err(|e| unreadable("keys", e))
    }

    /// The tenant the item belonged to: its partition's, or its `tenant_id`.
    fn tenant(&self) -> Option<TenantId> {
        tenant_of_partition(&self.pk).or_else(|| self.tenant_id.clone().map(TenantId))
    }

    fn classify(&self, image: &serde_dynamo::Item) -> Result<Removed, PurgeError> {
        let item_type = self.item_type.as_deref().unwrap_or_default();
        let record = || -> Result<(TenantId, Record), PurgeError> {
            let item: RecordItem =
                serde_dynamo::from_item(image.clone()).map_err(|e| unreadable(item_type, e))?;
            let tenant = tenant_of_partition(&item.pk)
                .ok_or_else(|| unreadable(item_type, "not under a tenant's partition"))?;
            Ok((tenant, item.record))
        };
        Ok(match item_type {
            "NOTICE" if self.sk == keys::NOTICE_SK => {
                let number = self
                    .pk
                    .strip_prefix(&keys::notice(""))
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| unreadable("notice", "its key names no number"))?;
                let tenant = self
                    .tenant_id
                    .clone()
                    .map(TenantId)
                    .ok_or_else(|| unreadable("notice", "no tenant_id"))?;
                let item: designa::table::NoticeItem =
                    serde_dynamo::from_item(image.clone()).map_err(|e| unreadable("notice", e))?;
                Removed::Notice {
                    tenant,
                    number: number.to_string(),
                    sent_in: sent_in(&item.data),
                }
            }
            t if t == RecordKind::Export.prefix() => {
                let (tenant, record) = record()?;
                Removed::Export { tenant, record }
            }
            t if t == RecordKind::Import.prefix() => {
                let (tenant, record) = record()?;
                Removed::Import { tenant, record }
            }
            "VEHICLE" => {
                let item: VehicleItem =
                    serde_dynamo::from_item(image.clone()).map_err(|e| unreadable("vehicle", e))?;
                Removed::Vehicle(item.data)
            }
            t if t == RecordKind::Purge.prefix() => Removed::PurgeRecord,
            t if t == RecordKind::Idempotency.prefix() => {
                let (tenant, record) = record()?;
                let kept: designa::app::idempotency::KeyRecord =
                    record.decode().map_err(|e| unreadable(item_type, e))?;
                Removed::KeptResponse {
                    tenant,
                    day: kept.created_on,
                }
            }
            _ => Removed::Other,
        })
    }
}

/// The outbound files a notice's answer went out in, with their batches:
/// a `Batched` then a `Sent` event of the same transmission.
fn sent_in(notice: &designa::store::StoredNotice) -> Vec<(String, String)> {
    use designa::domain::answer::AnswerEvent;
    let Some(answer) = &notice.answer else {
        return Vec::new();
    };
    let mut batches: HashMap<&str, &str> = HashMap::new();
    let mut files = Vec::new();
    for entry in &answer.history {
        match &entry.event {
            AnswerEvent::Batched { batch_id } => {
                batches.insert(&entry.transmission_id, batch_id);
            }
            AnswerEvent::Sent { file_key, .. } => {
                if let Some(batch) = batches.get(entry.transmission_id.as_str()) {
                    files.push((batch.to_string(), file_key.clone()));
                }
            }
            _ => {}
        }
    }
    files
}

/// Is a notification's idempotency key about notice `number`? Reminders:
/// `<numero>#<step>`; refused answers: `<numero>-<transmission>|refused`.
fn event_about_notice(key: &str, number: &str) -> bool {
    let Some(rest) = key.strip_prefix(number) else {
        return false;
    };
    if rest.starts_with('#') {
        return true;
    }
    rest.strip_prefix('-')
        .and_then(|r| r.strip_suffix("|refused"))
        .is_some_and(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
}

/// A digest entry's id: `<tenant>#<user>#<idempotency key>`.
fn digest_entry_about(id: &str, tenant: &TenantId, number: &str) -> bool {
    let mut parts = id.splitn(3, '#');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(t), Some(_user), Some(key)) => t == tenant.0 && event_about_notice(key, number),
        _ => false,
    }
}

/// A delivery record's id: `~delivery#<idempotency key>#<user>`.
fn delivery_about(id: &str, number: &str) -> bool {
    id.strip_prefix(DELIVERY_PREFIX)
        .and_then(|rest| rest.rsplit_once('#'))
        .is_some_and(|(key, _user)| event_about_notice(key, number))
}

/// Record ids listed once per batch: the digest partitions, and each
/// tenant's delivery records (both are read whole; a batch of expired
/// notices of one tenant reads them once).
#[derive(Default)]
struct Listings {
    by_partition: HashMap<TenantId, Vec<String>>,
}

impl Listings {
    async fn ids<S: Storage>(
        &mut self,
        storage: &S,
        partition: &TenantId,
    ) -> Result<&mut Vec<String>, PortError> {
        if !self.by_partition.contains_key(partition) {
            let ids = storage
                .records(partition, RecordKind::DigestEntry)
                .await?
                .into_iter()
                .map(|r| r.id)
                .collect();
            self.by_partition.insert(partition.clone(), ids);
        }
        Ok(self
            .by_partition
            .get_mut(partition)
            .expect("listed just above"))
    }
}

pub struct Purge<S, B, C, V> {
    pub storage: S,
    pub blobs: B,
    pub clock: C,
    /// Drivers' data keys: a purged notice's designee key goes too.
    pub vault: V,
    pub config: Config,
}

impl<S: Storage + AnswerStore, B: BlobStore, C: Clock, V: KeyVault> Purge<S, B, C, V> {
    /// One stream batch, in order, up to the first failure.
    pub async fn handle_event(&self, event: Event) -> BatchReport {
        let mut report = BatchReport::default();
        let mut listings = Listings::default();
        for record in &event.records {
            let sequence = record.change.sequence_number.clone().unwrap_or_default();
            match self.handle_record(record, &mut listings).await {
                Ok(Outcome::Purged { id, deleted }) => {
                    report.purged += 1;
                    info!(purge_id = %id, reminder_records = deleted.reminder_records,
                          digest_entries = deleted.digest_entries, delivery_records = deleted.delivery_records,
                          objects = deleted.objects.len(), "expired item purged");
                }
                Ok(Outcome::AlreadyPurged { id }) => {
                    report.already_purged += 1;
                    info!(purge_id = %id, "already purged (a replay)");
                }
                Ok(Outcome::Ignored) => report.ignored += 1,
                Ok(Outcome::PurgeRecordExpired) => report.purge_records_expired += 1,
                Ok(Outcome::ReplayExpired) => report.replays_expired += 1,
                Err(e) => {
                    // Lambda resumes from this record: the ones after it wait.
                    error!(sequence_number = %sequence, error = %e,
                           "purge failed; the batch resumes from this record (retries, then the dead-letter queue)");
                    report.failed_at = Some(sequence);
                    break;
                }
            }
        }
        info!(
            purged = report.purged,
            already_purged = report.already_purged,
            ignored = report.ignored,
            purge_records_expired = report.purge_records_expired,
            replays_expired = report.replays_expired,
            failed = report.failed_at.is_some(),
            "stream batch handled"
        );
        report
    }

    pub async fn handle(&self, event: Event) -> DynamoDbEventResponse {
        self.handle_event(event).await.response()
    }

    async fn handle_record(
        &self,
        record: &EventRecord,
        listings: &mut Listings,
    ) -> Result<Outcome, PurgeError> {
        if !is_ttl_removal(record) {
            return Ok(Outcome::Ignored);
        }
        let image = &record.change.old_image;
        let header = Header::read(image)?;
        let removed = header.classify(image)?;
        match &removed {
            Removed::PurgeRecord => return Ok(Outcome::PurgeRecordExpired),
            Removed::KeptResponse { tenant, day } => {
                let day_before = *day - chrono::Duration::days(1);
                self.vault
                    .erase(&Subject::replay(tenant, day_before))
                    .await?;
                return Ok(Outcome::ReplayExpired);
            }
            _ => {}
        }
        let id = purge_id(&header.pk, &header.sk);
        let tenant = header.tenant();
        let partition = tenant
            .clone()
            .unwrap_or_else(|| TenantId(PLATFORM.to_string()));
        let removed_at = record.change.approximate_creation_date_time;
        let sequence_number = record.change.sequence_number.clone();
        if let Some(done) = self
            .storage
            .record(&partition, RecordKind::Purge, &id)
            .await?
        {
            let same_removal = done
                .decode::<PurgeRecord>()
                .is_ok_and(|p| p.removed_at == removed_at && p.sequence_number == sequence_number);
            if same_removal {
                return Ok(Outcome::AlreadyPurged { id });
            }
            // The same keys lived and expired before: purge this life too.
            warn!(purge_id = %id, "a purge record of an earlier item with these keys exists; purging again");
        }
        let deleted = match &removed {
            Removed::Notice {
                tenant,
                number,
                sent_in,
            } => {
                let mut deleted = self.purge_notice(tenant, number, listings).await?;
                deleted.objects = self.purge_outbound_files(number, sent_in).await?;
                deleted
            }
            Removed::Export { tenant, record } => self.purge_export(tenant, record).await?,
            Removed::Import { tenant, record } => self.purge_import(tenant, record).await?,
            Removed::Vehicle(vehicle) => {
                // Its item is gone already; this frees the plate.
                self.storage.delete_vehicle(vehicle).await?;
                Deleted {
                    plate_holding: true,
                    ..Deleted::default()
                }
            }
            Removed::PurgeRecord | Removed::KeptResponse { .. } | Removed::Other => {
                Deleted::default()
            }
        };
        let now = self.clock.now();
        let proof = PurgeRecord {
            item_type: header.item_type.clone().unwrap_or_default(),
            tenant_id: tenant.map(|t| t.0),
            removed_at,
            expired_at: header.expires_at,
            sequence_number,
            purged_at: now,
            deleted: deleted.clone(),
        };
        let mut stored = Record::new(&id, 1, &proof);
        stored.expires_at = Some(epoch_after(now, PURGE_RECORD_DAYS));
        if !self
            .storage
            .put_record(&partition, RecordKind::Purge, &stored, None)
            .await?
        {
            // Written meanwhile, or left from an earlier life of the keys:
            // the deletions above were of what was still there; done.
            return Ok(Outcome::AlreadyPurged { id });
        }
        Ok(Outcome::Purged { id, deleted })
    }

    /// A notice's reminder records, pending digest entries and deliveries.
    async fn purge_notice(
        &self,
        tenant: &TenantId,
        number: &str,
        listings: &mut Listings,
    ) -> Result<Deleted, PortError> {
        let mut deleted = Deleted::default();
        // Absent when the answer designated a driver of the base (that key
        // lives as long as the driver) or nobody: erasing is then a no-op.
        self.vault.erase(&Subject::designee(tenant, number)).await?;
        deleted.designee_key_erased = true;
        for step in REMINDER_STEPS {
            let id = format!("{number}#{}", step.as_str());
            if self
                .storage
                .record(tenant, RecordKind::Reminder, &id)
                .await?
                .is_some()
            {
                self.storage
                    .delete_record(tenant, RecordKind::Reminder, &id)
                    .await?;
                deleted.reminder_records += 1;
            }
        }
        for partition in DIGEST_PARTITIONS {
            let partition = TenantId(partition.into());
            let ids = listings.ids(&self.storage, &partition).await?;
            let about: Vec<String> = ids
                .iter()
                .filter(|id| digest_entry_about(id, tenant, number))
                .cloned()
                .collect();
            for id in &about {
                self.storage
                    .delete_record(&partition, RecordKind::DigestEntry, id)
                    .await?;
                ids.retain(|i| i != id);
                deleted.digest_entries += 1;
            }
        }
        let ids = listings.ids(&self.storage, tenant).await?;
        let about: Vec<String> = ids
            .iter()
            .filter(|id| delivery_about(id, number))
            .cloned()
            .collect();
        for id in &about {
            self.storage
                .delete_record(tenant, RecordKind::DigestEntry, id)
                .await?;
            ids.retain(|i| i != id);
            deleted.delivery_records += 1;
        }
        Ok(deleted)
    }

    /// The outbound files that carried the notice's answer, once no notice
    /// they carried is left (a file holds a batch of many notices): the
    /// last of them to expire takes the file, every version, with it. A
    /// file whose batch record is gone is left to the bucket's lifecycle.
    async fn purge_outbound_files(
        &self,
        number: &str,
        sent_in: &[(String, String)],
    ) -> Result<Vec<String>, PortError> {
        let mut deleted = Vec::new();
        for (batch_id, file_key) in sent_in {
            if !file_key.starts_with(OUTBOUND_PREFIX) || deleted.contains(file_key) {
                continue;
            }
            let Some(batch) = self.storage.closed_batch(batch_id).await? else {
                continue;
            };
            let mut others = batch
                .members
                .iter()
                .filter_map(|t| t.rsplit_once('-').map(|(n, _)| n))
                .filter(|n| *n != number)
                .collect::<Vec<_>>();
            others.sort();
            others.dedup();
            let mut still_carried = false;
            for other in others {
                if self.storage.notice(other).await?.is_some() {
                    still_carried = true;
                    break;
                }
            }
            if !still_carried {
                self.blobs
                    .delete_every_version(&self.config.bucket, file_key)
                    .await?;
                deleted.push(file_key.clone());
            }
        }
        Ok(deleted)
    }

    /// An export job's file.
    async fn purge_export(
        &self,
        tenant: &TenantId,
        record: &Record,
    ) -> Result<Deleted, PurgeError> {
        let job: ExportFiles = record.decode().map_err(|e| unreadable("export job", e))?;
        let export_id = job.export_id.unwrap_or_else(|| record.id.clone());
        // The file's key once written; while running, where it is being written.
        let key = job.file_key.or_else(|| {
            (job.status.as_deref() != Some("queued"))
                .then(|| export_key(tenant, &export_id, job.format))
        });
        self.delete_objects(tenant, key.into_iter(), &[EXPORTS_PREFIX])
            .await
    }

    /// An import's uploaded workbook and a fleet refresh's diff.
    async fn purge_import(
        &self,
        tenant: &TenantId,
        record: &Record,
    ) -> Result<Deleted, PurgeError> {
        let import: ImportFiles = record.decode().map_err(|e| unreadable("import", e))?;
        let import_id = import.import_id.unwrap_or_else(|| record.id.clone());
        let diff = (import.kind.as_deref() == Some("fleet_refresh"))
            .then(|| import_diff_key(tenant, &import_id));
        self.delete_objects(
            tenant,
            import.upload_key.into_iter().chain(diff),
            &[&self.config.imports_prefix, IMPORT_RESULTS_PREFIX],
        )
        .await
    }

    /// Deletes the tenant's objects under the allowed prefixes (already
    /// gone is fine); a key elsewhere is not ours to delete and is left.
    async fn delete_objects(
        &self,
        tenant: &TenantId,
        keys: impl Iterator<Item = String>,
        prefixes: &[&str],
    ) -> Result<Deleted, PurgeError> {
        let mut deleted = Deleted::default();
        let keys: BTreeSet<String> = keys.collect();
        for key in keys {
            let allowed = prefixes
                .iter()
                .any(|p| key.starts_with(&format!("{p}{tenant}/")));
            if !allowed {
                warn!(tenant_id = %tenant, "a record names an object outside its tenant's prefixes; left in place");
                continue;
            }
            self.blobs
                .delete_every_version(&self.config.bucket, &key)
                .await?;
            deleted.objects.push(key);
        }
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests;
