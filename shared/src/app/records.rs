//! Typed access to the tenant's document records, with optimistic versions:
//! an update names the version it read, so two concurrent edits never both win.

use super::error::AppError;
use crate::domain::TenantId;
use crate::ports::Storage;
use crate::store::{Record, RecordKind};
use serde::de::DeserializeOwned;
use serde::Serialize;

fn decode<T: DeserializeOwned>(kind: RecordKind, record: &Record) -> Result<T, AppError> {
    record.decode().map_err(|e| {
        AppError::Internal(format!(
            "stored {} {} does not map: {e}",
            kind.prefix(),
            record.id
        ))
    })
}

pub async fn load<S: Storage, T: DeserializeOwned>(
    storage: &S,
    tenant: &TenantId,
    kind: RecordKind,
    id: &str,
) -> Result<Option<(T, u64)>, AppError> {
    match storage.record(tenant, kind, id).await? {
        Some(record) => Ok(Some((decode(kind, &record)?, record.version))),
        None => Ok(None),
    }
}

pub async fn load_all<S: Storage, T: DeserializeOwned>(
    storage: &S,
    tenant: &TenantId,
    kind: RecordKind,
) -> Result<Vec<T>, AppError> {
    storage
        .records(tenant, kind)
        .await?
        .iter()
        .map(|r| decode(kind, r))
        .collect()
}

/// Writes `value` as the next version after `read` (`None`: a new record);
/// 409 with the current state when someone else wrote in between.
pub async fn save<S: Storage, T: Serialize>(
    storage: &S,
    tenant: &TenantId,
    kind: RecordKind,
    id: &str,
    value: &T,
    read: Option<u64>,
    expires_at: Option<i64>,
) -> Result<u64, AppError> {
    let version = read.map_or(1, |v| v + 1);
    let mut record = Record::new(id, version, value);
    record.expires_at = expires_at;
    if storage.put_record(tenant, kind, &record, read).await? {
        return Ok(version);
    }
    let current = storage
        .record(tenant, kind, id)
        .await?
        .map(|r| r.data)
        .unwrap_or(serde_json::Value::Null);
    Err(AppError::Conflict {
        message: "Quelqu'un d'autre l'a modifié entre-temps : rechargez la page et recommencez."
            .into(),
        current,
    })
}

/// A new record id: short, unguessable, URL-safe.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
