//! The access journal: every write, and every read of a driver's personal
//! data, records who, what, when and the request id. Entries expire after
//! a year (the table's TTL).

use crate::caller::Caller;
use crate::http::{ApiError, ApiRequest, ApiResponse, ApiResult};
use crate::records::{load_all, new_id, save};
use crate::Api;
use chrono::{DateTime, Utc};
use designa::ports::{Clock, Storage};
use designa::store::{epoch_after, RecordKind, JOURNAL_DAYS};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub entry_id: String,
    pub at: DateTime<Utc>,
    pub user_id: String,
    /// `read`, `create`, `update`, `delete`, `export`, `import`, `invite`…
    pub action: String,
    /// What was touched, e.g. `driver:5f2c…` or `drivers:list`.
    pub target: String,
    pub request_id: String,
}

/// Records one entry. A request whose journal entry cannot be written fails.
pub async fn record<S: Storage, B, I, M, C: Clock>(
    api: &Api<S, B, I, M, C>,
    caller: &Caller,
    action: &str,
    target: String,
) -> Result<(), ApiError> {
    record_with(&api.storage, &api.clock, caller, action, target).await
}

/// `record`, for code that runs outside a request (the import worker).
pub async fn record_with<S: Storage, C: Clock>(
    storage: &S,
    clock: &C,
    caller: &Caller,
    action: &str,
    target: String,
) -> Result<(), ApiError> {
    let at = clock.now();
    // Ids sort by time, so the journal reads in order.
    let entry_id = format!("{:013}-{}", at.timestamp_millis(), new_id());
    let entry = JournalEntry {
        entry_id: entry_id.clone(),
        at,
        user_id: caller.user.user_id.clone(),
        action: action.into(),
        target,
        request_id: caller.request_id.clone(),
    };
    save(
        storage,
        caller.tenant_id(),
        RecordKind::Journal,
        &entry_id,
        &entry,
        None,
        Some(epoch_after(at, JOURNAL_DAYS)),
    )
    .await?;
    Ok(())
}

/// `GET /journal`: tenant admins only, newest first, `limit` (≤ 500) and
/// `before` (an entry id) to page back.
pub async fn list<S: Storage, B, I, M, C: Clock>(
    api: &Api<S, B, I, M, C>,
    request: &ApiRequest,
    caller: &Caller,
) -> ApiResult {
    caller.require_tenant_admin()?;
    let limit = crate::notices::limit(request, 100, 500)?;
    let before = request.query_value("before");
    let mut entries: Vec<JournalEntry> =
        load_all(&api.storage, caller.tenant_id(), RecordKind::Journal).await?;
    entries.reverse();
    let entries: Vec<JournalEntry> = entries
        .into_iter()
        .filter(|e| before.is_none_or(|b| e.entry_id.as_str() < b))
        .take(limit)
        .collect();
    let next = (entries.len() == limit)
        .then(|| entries.last().map(|e| e.entry_id.clone()))
        .flatten();
    Ok(ApiResponse::json(
        200,
        &json!({ "entries": entries, "next_before": next }),
    ))
}
