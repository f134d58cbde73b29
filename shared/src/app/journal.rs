//! The access journal: every write, and every read of a driver's personal
//! data, records who, what, when and the request id. Entries expire after
//! a year (the table's TTL).
//!
//! The journal is a hash chain per tenant: entry `n` carries the SHA-256 of
//! its own content and of entry `n - 1`'s hash. Changing, removing or
//! inserting an entry breaks the chain where it happened, which
//! `GET /journal/verify` reports. Appends need no lock: each sequence number
//! is taken by a conditional write, so two writers can never both take it,
//! and the head record (last number, hash and time) is moved on right after,
//! under a version check: removing the newest entries shows against it.

use super::caller::Caller;
use super::error::AppError;
use crate::domain::TenantId;
use crate::ports::{Clock, RecordStore};
use crate::store::{epoch_after, Record, RecordKind, JOURNAL_DAYS};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of a tenant's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The record that names the chain's last entry, written right after it
/// (lagging only by the appends in flight).
const HEAD_ID: &str = "~head";
/// The actor of what designa does by itself: an answer's transmission to
/// ANTAI and ANTAI's acknowledgement or refusal of it.
pub const SYSTEM: &str = "system";
/// Appends retried when other writers keep taking the next number.
const MAX_APPEND_ATTEMPTS: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The sequence number, zero-padded so ids sort in order.
    pub entry_id: String,
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub user_id: String,
    /// `read`, `create`, `update`, `delete`, `export`, `import`, `invite`…
    pub action: String,
    /// What was touched, e.g. `driver:5f2c…` or `drivers:list`.
    pub target: String,
    pub request_id: String,
    /// Hash of the previous entry (`GENESIS` for the first).
    pub prev_hash: String,
    /// SHA-256 of this entry's content and `prev_hash`.
    pub hash: String,
}

/// What is hashed: every field but the hash itself, in a fixed order.
#[derive(Serialize)]
struct Hashed<'a> {
    seq: u64,
    at: &'a DateTime<Utc>,
    user_id: &'a str,
    action: &'a str,
    target: &'a str,
    request_id: &'a str,
    prev_hash: &'a str,
}

impl JournalEntry {
    pub fn compute_hash(&self) -> String {
        let content = serde_json::to_vec(&Hashed {
            seq: self.seq,
            at: &self.at,
            user_id: &self.user_id,
            action: &self.action,
            target: &self.target,
            request_id: &self.request_id,
            prev_hash: &self.prev_hash,
        })
        .expect("journal entries serialize");
        hex::encode(Sha256::digest(content))
    }
}

/// The chain's last entry: its number and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: u64,
    pub hash: String,
    /// When that entry was written (what an anchor of it records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
}

/// The tenant's head record, if the journal has one.
pub async fn head<S: RecordStore + ?Sized>(
    storage: &S,
    tenant: &TenantId,
) -> Result<Option<Head>, AppError> {
    let Some(record) = storage.record(tenant, RecordKind::Journal, HEAD_ID).await? else {
        return Ok(None);
    };
    let head = record
        .decode()
        .map_err(|e| AppError::Internal(format!("journal head does not map: {e}")))?;
    Ok(Some(head))
}

pub(super) fn entry_id(seq: u64) -> String {
    format!("{seq:012}")
}

/// Transmission ids one system entry lists at most.
pub const ANSWERS_PER_ENTRY: usize = 100;

/// What designa did by itself to some answers of one tenant (`transmit`,
/// `acknowledged`…): one entry per `ANSWERS_PER_ENTRY` transmission ids,
/// target `answers:<id>,<id>…`, under the system actor. Few entries, so
/// that a batch of answers is journaled in a few writes.
pub async fn record_answers<S: RecordStore + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    at: DateTime<Utc>,
    action: &str,
    transmissions: &[String],
    request_id: &str,
) -> Result<(), AppError> {
    for ids in transmissions.chunks(ANSWERS_PER_ENTRY) {
        let target = format!("answers:{}", ids.join(","));
        append(storage, tenant, at, SYSTEM, action, target, request_id).await?;
    }
    Ok(())
}

/// After a lost race, a random pause that grows with the attempts: writers
/// that keep meeting at the head then spread out instead of one starving.
async fn give_way(attempt: usize) {
    let spread_ms = 1u128 << attempt.min(6);
    let pause = uuid::Uuid::new_v4().as_u128() % spread_ms;
    tokio::time::sleep(std::time::Duration::from_millis(pause as u64)).await;
}

/// Records one entry of the caller's doing. A use case whose journal
/// entry cannot be written fails.
pub async fn record_with<S: RecordStore + ?Sized, C: Clock>(
    storage: &S,
    clock: &C,
    caller: &Caller,
    action: &str,
    target: String,
) -> Result<(), AppError> {
    append(
        storage,
        caller.tenant_id(),
        clock.now(),
        &caller.user.user_id,
        action,
        target,
        &caller.request_id,
    )
    .await
    .map(|_| ())
}

/// Appends an entry at the end of the tenant's chain; returns it.
pub async fn append<S: RecordStore + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    at: DateTime<Utc>,
    user_id: &str,
    action: &str,
    target: String,
    request_id: &str,
) -> Result<JournalEntry, AppError> {
    let expires_at = Some(epoch_after(at, JOURNAL_DAYS));
    for attempt in 0..MAX_APPEND_ATTEMPTS {
        if attempt > 0 {
            give_way(attempt).await;
        }
        let head_record = storage.record(tenant, RecordKind::Journal, HEAD_ID).await?;
        let head: Head = head_record
            .as_ref()
            .and_then(|r| r.decode().ok())
            .unwrap_or(Head {
                seq: 0,
                hash: GENESIS.into(),
                at: None,
            });
        // The head may lag behind entries already written: walk to the end.
        let (mut seq, mut prev_hash) = (head.seq, head.hash);
        while let Some(next) = storage
            .record(tenant, RecordKind::Journal, &entry_id(seq + 1))
            .await?
        {
            let next = decode_entry(&next)?;
            seq = next.seq;
            prev_hash = next.hash;
        }
        let mut entry = JournalEntry {
            entry_id: entry_id(seq + 1),
            seq: seq + 1,
            at,
            user_id: user_id.into(),
            action: action.into(),
            target: target.clone(),
            request_id: request_id.into(),
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry.compute_hash();
        let mut record = Record::new(&entry.entry_id, 1, &entry);
        record.expires_at = expires_at;
        let head = Head {
            seq: entry.seq,
            hash: entry.hash.clone(),
            at: Some(entry.at),
        };
        let version = head_record.as_ref().map(|r| r.version);
        let mut head = Record::new(HEAD_ID, version.map_or(1, |v| v + 1), &head);
        head.expires_at = expires_at;
        if !storage
            .put_record(tenant, RecordKind::Journal, &record, None)
            .await?
        {
            continue; // another writer took this number
        }
        // Then the head. If another writer moved it first, theirs stands: the
        // head lags at most by the appends in flight, and `verify` allows it.
        storage
            .put_record(tenant, RecordKind::Journal, &head, version)
            .await?;
        return Ok(entry);
    }
    Err(AppError::Internal(
        "the journal is too busy: no sequence number could be taken".into(),
    ))
}

/// Every entry of the tenant, oldest first.
pub async fn entries<S: RecordStore + ?Sized>(
    storage: &S,
    tenant: &TenantId,
) -> Result<Vec<JournalEntry>, AppError> {
    storage
        .records(tenant, RecordKind::Journal)
        .await?
        .iter()
        .filter(|r| r.id != HEAD_ID)
        .map(decode_entry)
        .collect()
}

/// A page of entries, newest first: at most `limit` older than the entry
/// `before` (from the newest when `None`), and the id the next page reads
/// before. One query, however long the journal.
pub async fn page<S: RecordStore + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    before: Option<&str>,
    limit: usize,
) -> Result<(Vec<JournalEntry>, Option<String>), AppError> {
    // The head's id sorts after every entry's: "before the head" is all.
    let before = before.unwrap_or(HEAD_ID);
    let records = storage
        .records_before(tenant, RecordKind::Journal, before, limit + 1)
        .await?;
    let mut entries = records
        .iter()
        .map(decode_entry)
        .collect::<Result<Vec<_>, _>>()?;
    let more = entries.len() > limit;
    entries.truncate(limit);
    let next = more
        .then(|| entries.last().map(|e| e.entry_id.clone()))
        .flatten();
    Ok((entries, next))
}

/// How much earlier than its time an entry may sit in the chain: an entry
/// carries the time its writer read the clock, and writers in flight
/// together append a little out of that order.
const OUT_OF_ORDER: chrono::Duration = chrono::Duration::minutes(15);
/// Entry ids read at once when walking the chain forward.
const WALK_WINDOW: u64 = 500;

/// The system entries that recorded `actions` (`transmit`, `acknowledged`)
/// of the answer `transmission`, one per action in that order, looked for
/// from `since` on; `None` for an action no entry records (expired after a
/// year, or never written). A binary search finds where `since` falls in
/// the chain, so the cost is that of the entries written after it.
pub async fn answer_entries<S: RecordStore + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    transmission: &str,
    actions: &[&str],
    since: DateTime<Utc>,
) -> Result<Vec<Option<JournalEntry>>, AppError> {
    let mut found = vec![None; actions.len()];
    let Some(head) = head(storage, tenant).await? else {
        return Ok(found);
    };
    let mut seq = first_seq_from(storage, tenant, since - OUT_OF_ORDER, head.seq).await?;
    while seq <= head.seq && found.iter().any(Option::is_none) {
        for entry in window(storage, tenant, seq).await? {
            let names_it = entry.user_id == SYSTEM && names_answer(&entry.target, transmission);
            let position = actions.iter().position(|a| *a == entry.action);
            if let (true, Some(i)) = (names_it, position) {
                found[i].get_or_insert(entry);
            }
        }
        seq += WALK_WINDOW;
    }
    Ok(found)
}

/// Whether a system entry's target (`answers:<id>,<id>…`) names `transmission`.
fn names_answer(target: &str, transmission: &str) -> bool {
    target
        .strip_prefix("answers:")
        .is_some_and(|ids| ids.split(',').any(|id| id == transmission))
}

/// The lowest sequence number from which entries are at `at` or later
/// (`last + 1` when none is), by binary search on the entries' times.
async fn first_seq_from<S: RecordStore + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    at: DateTime<Utc>,
    last: u64,
) -> Result<u64, AppError> {
    let (mut low, mut high) = (1, last + 1);
    while low < high {
        let middle = low + (high - low) / 2;
        // The newest entry at or before `middle`: expired ones are gone.
        let newest = storage
            .records_before(tenant, RecordKind::Journal, &entry_id(middle + 1), 1)
            .await?;
        let before = match newest.first() {
            Some(record) => decode_entry(record)?.at < at,
            None => true,
        };
        if before {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    Ok(low)
}

/// Entries `from` to `from + WALK_WINDOW - 1` that exist, oldest first.
async fn window<S: RecordStore + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    from: u64,
) -> Result<Vec<JournalEntry>, AppError> {
    let before = entry_id(from + WALK_WINDOW);
    let records = storage
        .records_before(tenant, RecordKind::Journal, &before, WALK_WINDOW as usize)
        .await?;
    let mut entries = records
        .iter()
        .map(decode_entry)
        .filter(|e| e.as_ref().map_or(true, |e| e.seq >= from))
        .collect::<Result<Vec<_>, _>>()?;
    entries.reverse();
    Ok(entries)
}

fn decode_entry(record: &Record) -> Result<JournalEntry, AppError> {
    record
        .decode()
        .map_err(|e| AppError::Internal(format!("journal entry {} does not map: {e}", record.id)))
}

/// Whether `id` is an entry's id (what a page's `before` must be).
pub fn is_entry_id(id: &str) -> bool {
    id.len() == entry_id(0).len() && id.bytes().all(|b| b.is_ascii_digit())
}

pub use super::journal_check::{expired_before, verify, Anchor, ChainProblem, Evidence};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::MemoryStorage;
    use chrono::TimeZone;

    fn minute(n: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap() + chrono::Duration::minutes(n)
    }

    /// `count` entries of a user, one a minute from `from`.
    async fn reads(storage: &MemoryStorage, tenant: &TenantId, from: i64, count: i64) {
        for i in 0..count {
            let target = format!("driver:d-{i}");
            append(storage, tenant, minute(from + i), "u1", "read", target, "r")
                .await
                .unwrap();
        }
    }

    #[tokio::test]
    async fn an_answers_entries_are_found_among_many_and_after_the_oldest_expired() {
        let (storage, tenant) = (MemoryStorage::default(), TenantId("t1".into()));
        reads(&storage, &tenant, 0, 700).await;
        let ids = ["N1-1".to_string(), "N2-1".to_string()];
        // Written a little out of order: its time is before the last entry's.
        record_answers(&storage, &tenant, minute(690), "transmit", &ids, "b-1")
            .await
            .unwrap();
        reads(&storage, &tenant, 701, 900).await;
        let acked = ["N2-1".to_string()];
        record_answers(
            &storage,
            &tenant,
            minute(1_700),
            "acknowledged",
            &acked,
            "f",
        )
        .await
        .unwrap();
        reads(&storage, &tenant, 1_701, 10).await;
        // The oldest entries left after a year.
        for seq in 1..=300 {
            storage
                .delete_record(&tenant, RecordKind::Journal, &entry_id(seq))
                .await
                .unwrap();
        }
        let actions = ["transmit", "acknowledged"];
        let found = answer_entries(&storage, &tenant, "N2-1", &actions, minute(690))
            .await
            .unwrap();
        let seqs: Vec<Option<u64>> = found.iter().map(|e| e.as_ref().map(|e| e.seq)).collect();
        assert_eq!(seqs, [Some(701), Some(1_602)]);
        let unacknowledged = answer_entries(&storage, &tenant, "N1-1", &actions, minute(690))
            .await
            .unwrap();
        assert!(unacknowledged[0].is_some() && unacknowledged[1].is_none());
        // Looked for from well after it was written: not found.
        let later = answer_entries(&storage, &tenant, "N2-1", &actions, minute(1_000))
            .await
            .unwrap();
        assert!(later[0].is_none() && later[1].is_some());
        // "N2-10" is not "N2-1".
        let none = answer_entries(&storage, &tenant, "N2-10", &actions, minute(0))
            .await
            .unwrap();
        assert!(none.iter().all(Option::is_none));
    }
}
