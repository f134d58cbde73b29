//! The journal's anchors: a copy of each tenant's head, at least once a day
//! while its journal changes, in a bucket under S3 Object Lock (compliance
//! mode, kept longer than the journal): no one, not even the account's
//! root, can change or delete an anchor before its retention ends. The
//! local emulator's bucket is only versioned (moto does not enforce the
//! lock); the tests say so.
//!
//! One object per tenant and day, `journal-anchors/<tenant>/<day>.json`,
//! written by the first change of the head that day (the table's stream);
//! `verify` reads the oldest of the last year and the newest.

use super::error::AppError;
use super::journal::Head;
use super::journal_check::Anchor;
use crate::domain::time::paris_date;
use crate::domain::TenantId;
use crate::ports::BlobStore;
use crate::store::JOURNAL_DAYS;
use chrono::{DateTime, Days, NaiveDate, Utc};
use tokio::io::AsyncReadExt;

pub const ANCHORS_PREFIX: &str = "journal-anchors/";
/// An anchor is small: more is not one of ours.
const MAX_ANCHOR_BYTES: u64 = 4096;

fn tenant_prefix(tenant: &TenantId) -> String {
    format!("{ANCHORS_PREFIX}{tenant}/")
}

pub fn anchor_key(tenant: &TenantId, day: NaiveDate) -> String {
    format!("{}{day}.json", tenant_prefix(tenant))
}

/// Anchors the head unless its day already has an anchor: `true` when
/// written. The first head of the day stands (a replay changes nothing).
pub async fn anchor_head<B: BlobStore + ?Sized>(
    blobs: &B,
    bucket: &str,
    tenant: &TenantId,
    head: &Head,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let at = head.at.unwrap_or(now);
    let key = anchor_key(tenant, paris_date(at));
    if blobs.open(bucket, &key).await?.is_some() {
        return Ok(false);
    }
    let anchor = Anchor {
        seq: head.seq,
        hash: head.hash.clone(),
        at,
    };
    let body = serde_json::to_vec(&anchor).expect("anchors serialize");
    blobs
        .put_checked(bucket, &key, body, "application/json")
        .await?;
    Ok(true)
}

/// What `verify` needs: the oldest anchor of the last year and the newest,
/// oldest first (two reads, and one listing, whatever the journal's age).
pub async fn anchors_to_check<B: BlobStore + ?Sized>(
    blobs: &B,
    bucket: &str,
    tenant: &TenantId,
    now: DateTime<Utc>,
) -> Result<Vec<Anchor>, AppError> {
    let year_ago = paris_date(now)
        .checked_sub_days(Days::new(JOURNAL_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let prefix = tenant_prefix(tenant);
    let days: Vec<(NaiveDate, String)> = blobs
        .list(bucket, &prefix)
        .await?
        .into_iter()
        .filter_map(|key| {
            let day = key
                .strip_prefix(&prefix)?
                .strip_suffix(".json")?
                .parse()
                .ok()?;
            Some((day, key))
        })
        .collect();
    let oldest = days.iter().position(|(day, _)| *day >= year_ago);
    let mut wanted: Vec<&String> = Vec::new();
    if let Some(i) = oldest {
        wanted.push(&days[i].1);
    }
    if let Some((_, newest)) = days.last().filter(|(_, k)| wanted.last() != Some(&k)) {
        wanted.push(newest);
    }
    let mut anchors = Vec::new();
    for key in wanted {
        let Some(bytes) = read_small(blobs, bucket, key).await? else {
            continue;
        };
        let anchor = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::Internal(format!("anchor {key} does not map: {e}")))?;
        anchors.push(anchor);
    }
    Ok(anchors)
}

/// An object of at most `MAX_ANCHOR_BYTES`, read whole.
async fn read_small<B: BlobStore + ?Sized>(
    blobs: &B,
    bucket: &str,
    key: &str,
) -> Result<Option<Vec<u8>>, AppError> {
    let Some(reader) = blobs.open(bucket, key).await? else {
        return Ok(None);
    };
    let mut body = Vec::new();
    reader
        .take(MAX_ANCHOR_BYTES)
        .read_to_end(&mut body)
        .await
        .map_err(|e| AppError::Internal(format!("anchor {key} could not be read: {e}")))?;
    Ok(Some(body))
}
