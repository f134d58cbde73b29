//! The access journal: every write, and every read of a driver's personal
//! data, records who, what, when and the request id. Entries expire after
//! a year (the table's TTL).
//!
//! The journal is a hash chain per tenant: entry `n` carries the SHA-256 of
//! its own content and of entry `n - 1`'s hash. Changing, removing or
//! inserting an entry breaks the chain where it happened, which
//! `GET /journal/verify` reports. Appends need no lock: each sequence number
//! is taken by a conditional write, so two writers can never both take it;
//! the loser re-reads and takes the next one.

use super::caller::Caller;
use super::error::AppError;
use crate::domain::TenantId;
use crate::ports::{Clock, Storage};
use crate::store::{epoch_after, Record, RecordKind, JOURNAL_DAYS};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of a tenant's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The record that remembers the chain's last entry (a hint: it may lag).
const HEAD_ID: &str = "~head";
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

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Head {
    seq: u64,
    hash: String,
}

fn entry_id(seq: u64) -> String {
    format!("{seq:012}")
}

/// Records one entry of the caller's doing. A use case whose journal
/// entry cannot be written fails.
pub async fn record_with<S: Storage, C: Clock>(
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
pub async fn append<S: Storage>(
    storage: &S,
    tenant: &TenantId,
    at: DateTime<Utc>,
    user_id: &str,
    action: &str,
    target: String,
    request_id: &str,
) -> Result<JournalEntry, AppError> {
    let expires_at = Some(epoch_after(at, JOURNAL_DAYS));
    for _ in 0..MAX_APPEND_ATTEMPTS {
        let head_record = storage.record(tenant, RecordKind::Journal, HEAD_ID).await?;
        let head: Head = head_record
            .as_ref()
            .and_then(|r| r.decode().ok())
            .unwrap_or(Head {
                seq: 0,
                hash: GENESIS.into(),
            });
        // The head may lag behind entries already written: walk to the end.
        let (mut seq, mut prev_hash) = (head.seq, head.hash);
        while let Some(next) = storage
            .record(tenant, RecordKind::Journal, &entry_id(seq + 1))
            .await?
        {
            let next: JournalEntry = next
                .decode()
                .map_err(|e| AppError::Internal(format!("journal entry does not map: {e}")))?;
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
        if !storage
            .put_record(tenant, RecordKind::Journal, &record, None)
            .await?
        {
            continue; // another writer took this number
        }
        // Move the head on; if another writer moved it first, theirs stands.
        let mut head = Record::new(
            HEAD_ID,
            head_record.as_ref().map_or(1, |r| r.version + 1),
            &Head {
                seq: entry.seq,
                hash: entry.hash.clone(),
            },
        );
        head.expires_at = expires_at;
        storage
            .put_record(
                tenant,
                RecordKind::Journal,
                &head,
                head_record.map(|r| r.version),
            )
            .await?;
        return Ok(entry);
    }
    Err(AppError::Internal(
        "the journal is too busy: no sequence number could be taken".into(),
    ))
}

/// Every entry of the tenant, oldest first.
pub async fn entries<S: Storage>(
    storage: &S,
    tenant: &TenantId,
) -> Result<Vec<JournalEntry>, AppError> {
    storage
        .records(tenant, RecordKind::Journal)
        .await?
        .iter()
        .filter(|r| r.id != HEAD_ID)
        .map(|r| {
            r.decode::<JournalEntry>().map_err(|e| {
                AppError::Internal(format!("journal entry {} does not map: {e}", r.id))
            })
        })
        .collect()
}

/// A page of entries, newest first: at most `limit` older than the entry
/// `before` (from the newest when `None`), and the id the next page reads
/// before. One query, however long the journal.
pub async fn page<S: Storage>(
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
        .map(|r| {
            r.decode::<JournalEntry>().map_err(|e| {
                AppError::Internal(format!("journal entry {} does not map: {e}", r.id))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let more = entries.len() > limit;
    entries.truncate(limit);
    let next = more
        .then(|| entries.last().map(|e| e.entry_id.clone()))
        .flatten();
    Ok((entries, next))
}

/// Whether `id` is an entry's id (what a page's `before` must be).
pub fn is_entry_id(id: &str) -> bool {
    id.len() == entry_id(0).len() && id.bytes().all(|b| b.is_ascii_digit())
}

/// A break in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainProblem {
    pub seq: u64,
    pub problem: String,
}

/// Checks every link: each entry's hash, and its `prev_hash` against the
/// entry before it. Entries before the oldest one kept were removed by the
/// one-year TTL, which is not a break.
pub fn verify(entries: &[JournalEntry]) -> Vec<ChainProblem> {
    let mut problems = Vec::new();
    let mut previous: Option<&JournalEntry> = None;
    for e in entries {
        if e.hash != e.compute_hash() {
            problems.push(ChainProblem {
                seq: e.seq,
                problem: "le contenu ne correspond plus à son empreinte (modifié)".into(),
            });
        }
        if e.entry_id != entry_id(e.seq) {
            problems.push(ChainProblem {
                seq: e.seq,
                problem: format!("rangée sous {} (déplacée)", e.entry_id),
            });
        }
        match previous {
            Some(p) if e.seq != p.seq + 1 => problems.push(ChainProblem {
                seq: e.seq,
                problem: format!("les entrées {} à {} manquent", p.seq + 1, e.seq - 1),
            }),
            Some(p) if e.prev_hash != p.hash => problems.push(ChainProblem {
                seq: e.seq,
                problem: format!("ne suit pas l'entrée {} (chaîne rompue)", p.seq),
            }),
            None if e.seq == 1 && e.prev_hash != GENESIS => problems.push(ChainProblem {
                seq: 1,
                problem: "la première entrée ne commence pas la chaîne".into(),
            }),
            _ => {}
        }
        previous = Some(e);
    }
    problems
}
