//! Idempotency keys: a client that sends the same `Idempotency-Key` with
//! the same request within 24 hours gets the first response back, and the
//! work is done once. The key is scoped to the caller (one user or API
//! client of one tenant); the request is known by a fingerprint of its
//! method, path and body, so the same key with another request is refused.
//!
//! One record per key: claimed by a conditional create (of two concurrent
//! first uses, one works, the other is told the key is in use), then
//! finished with the response, which `privacy::sealing` seals under the
//! tenant's replay key of the day (a response may name a driver: erasing
//! anyone of the tenant erases those keys, see `erase_person`). A claim whose
//! holder crashed lapses after `CLAIM_LEASE_SECONDS` and can be taken over.

use super::error::AppError;
use crate::domain::subject::Subject;
use crate::domain::TenantId;
use crate::ports::Storage;
use crate::privacy::sealing::SubjectKeys;
use crate::store::{Record, RecordKind};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How long a key is remembered.
pub const KEY_HOURS: i64 = 24;
/// How long a request may hold its key before another may take it over:
/// past the API's 30-second timeout.
pub const CLAIM_LEASE_SECONDS: i64 = 60;
/// The longest key accepted (Stripe's and the IETF draft's practice).
pub const MAX_KEY_LENGTH: usize = 255;
/// The largest response body kept for replays (a record stays under
/// DynamoDB's 400 KB once sealed and encoded); larger ones are replayed
/// without their body (`body_kept: false`).
pub const MAX_KEPT_BODY: usize = 256 * 1024;

/// A response as it was first given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptResponse {
    pub status: u16,
    /// The headers a client needs again (content type, location, file name).
    pub headers: Vec<(String, String)>,
    /// Base64 in the record; sealed there by `privacy::sealing`.
    #[serde(with = "base64_body")]
    pub body: Vec<u8>,
    /// `false` when the body was over `MAX_KEPT_BODY`, or its replay key
    /// was erased with a person's data: only the status is replayed.
    pub body_kept: bool,
}

/// The stored record of one key (`RecordKind::Idempotency`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyRecord {
    pub fingerprint: String,
    /// The day its response is sealed under (`Subject::replay`).
    pub created_on: NaiveDate,
    /// While the first request runs: when its claim lapses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_until: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<KeptResponse>,
}

/// Whose key and which request.
#[derive(Debug, Clone)]
pub struct KeyedRequest {
    pub tenant: TenantId,
    /// The user's or API client's id: keys of two callers never meet.
    pub principal: String,
    pub key: String,
    pub fingerprint: String,
}

impl KeyedRequest {
    /// The record's id: the caller, then a hash of the key (any bytes a
    /// client chose stay out of the table's keys).
    fn record_id(&self) -> String {
        format!(
            "{}#{}",
            self.principal,
            hex::encode(Sha256::digest(&self.key))
        )
    }
}

/// The fingerprint of a request: its method, path and query, and body.
pub fn fingerprint(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    for part in [
        method.as_bytes(),
        b"\n",
        path_and_query.as_bytes(),
        b"\n",
        body,
    ] {
        hash.update(part);
    }
    hex::encode(hash.finalize())
}

/// Is this a key a client may send? Visible ASCII, 1 to 255 characters.
pub fn valid_key(key: &str) -> bool {
    (1..=MAX_KEY_LENGTH).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// What to do with a keyed request.
#[derive(Debug)]
pub enum Begun {
    /// First use (or a lapsed claim): do the work, then `finish` or `release`.
    Claimed { version: u64 },
    /// Done before: answer this again.
    Replay(KeptResponse),
    /// The first request with this key is still running.
    InUse,
    /// The key was used for another request.
    Mismatch,
}

/// Claims the key for this request, or says why not.
pub async fn begin<S: Storage + ?Sized>(
    storage: &S,
    request: &KeyedRequest,
    now: DateTime<Utc>,
) -> Result<Begun, AppError> {
    let id = request.record_id();
    let claim = KeyRecord {
        fingerprint: request.fingerprint.clone(),
        created_on: now.date_naive(),
        claimed_until: Some(now + Duration::seconds(CLAIM_LEASE_SECONDS)),
        response: None,
    };
    loop {
        let current = storage
            .record(&request.tenant, RecordKind::Idempotency, &id)
            .await?;
        let (read, version) = match &current {
            None => (None, 1),
            Some(record) => match judge(decode(record)?, request, now) {
                Some(verdict) => return Ok(verdict),
                None => (Some(record.version), record.version + 1),
            },
        };
        let record = key_record(&id, version, &claim, now);
        if storage
            .put_record(&request.tenant, RecordKind::Idempotency, &record, read)
            .await?
        {
            return Ok(Begun::Claimed { version });
        }
        // Another request claimed or finished it meanwhile: judge again.
    }
}

/// The verdict on a key already recorded; `None` when its claim lapsed.
fn judge(record: KeyRecord, request: &KeyedRequest, now: DateTime<Utc>) -> Option<Begun> {
    if record.fingerprint != request.fingerprint {
        return Some(Begun::Mismatch);
    }
    match (record.response, record.claimed_until) {
        (Some(response), _) => Some(Begun::Replay(response)),
        (None, Some(until)) if until > now => Some(Begun::InUse),
        (None, _) => None,
    }
}

/// Keeps the response of a claimed request for its replays.
pub async fn finish<S: Storage + ?Sized>(
    storage: &S,
    request: &KeyedRequest,
    claimed: u64,
    mut response: KeptResponse,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if response.body.len() > MAX_KEPT_BODY {
        response.body = Vec::new();
        response.body_kept = false;
    }
    let done = KeyRecord {
        fingerprint: request.fingerprint.clone(),
        created_on: now.date_naive(),
        claimed_until: None,
        response: Some(response),
    };
    let id = request.record_id();
    let record = key_record(&id, claimed + 1, &done, now);
    // Lost only if the claim lapsed and another request took it over: that
    // one's response stands.
    storage
        .put_record(
            &request.tenant,
            RecordKind::Idempotency,
            &record,
            Some(claimed),
        )
        .await?;
    Ok(())
}

/// Lets the key go after a failure worth retrying (a 5xx): the client's
/// retry with the same key does the work.
pub async fn release<S: Storage + ?Sized>(
    storage: &S,
    request: &KeyedRequest,
) -> Result<(), AppError> {
    storage
        .delete_record(
            &request.tenant,
            RecordKind::Idempotency,
            &request.record_id(),
        )
        .await?;
    Ok(())
}

/// Erases a person's data key, then the tenant's replays (`erase_replays`).
pub async fn erase_person<S: SubjectKeys + ?Sized>(
    storage: &S,
    person: &Subject,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    storage.erase_subject_key(person).await?;
    erase_replays(storage, &person.tenant_id, now).await
}

/// Erases the tenant's replay keys that may still open a kept response
/// (today's and yesterday's: older responses have expired), so no replay
/// shows an erased person's data; replays then give the first status
/// without its body.
pub async fn erase_replays<S: SubjectKeys + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let today = now.date_naive();
    for day in [today, today - Duration::days(1)] {
        storage
            .erase_subject_key(&Subject::replay(tenant, day))
            .await?;
    }
    Ok(())
}

fn key_record(id: &str, version: u64, value: &KeyRecord, now: DateTime<Utc>) -> Record {
    let mut record = Record::new(id, version, value);
    record.expires_at = Some((now + Duration::hours(KEY_HOURS)).timestamp());
    record
}

fn decode(record: &Record) -> Result<KeyRecord, AppError> {
    record.decode().map_err(|e| {
        AppError::Internal(format!(
            "stored idempotency key {} does not map: {e}",
            record.id
        ))
    })
}

/// A body as base64 text: JSON would spell bytes as a list of numbers.
mod base64_body {
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(body: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&BASE64.encode(body))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        BASE64.decode(text).map_err(serde::de::Error::custom)
    }
}
