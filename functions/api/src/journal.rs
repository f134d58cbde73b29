//! The access journal's routes (tenant admins): the entries, newest first;
//! whether the chain is intact; the whole journal as CSV. The chain itself
//! lives in `designa::app::journal`.

use crate::http::{ApiError, ApiRequest, ApiResponse, ApiResult};
use crate::router::Routes;
use crate::Api;
use crate::AppState;
use axum::extract::State;
use designa::app::caller::Caller;
use designa::app::journal::{entries, record_with, verify, JournalEntry};
use serde_json::json;

/// Records one entry. A request whose journal entry cannot be written fails.
pub async fn record(
    api: &Api,
    caller: &Caller,
    action: &str,
    target: String,
) -> Result<(), ApiError> {
    Ok(record_with(&api.storage, &api.clock, caller, action, target).await?)
}

/// `GET /journal`: tenant admins only, newest first, `limit` (≤ 500) and
/// `before` (an entry id) to page back.
pub async fn list(State(app): State<AppState>, caller: Caller, request: ApiRequest) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    caller.require_tenant_admin()?;
    let limit = crate::notices::limit(request, 100, 500)?;
    let before = request.query_value("before");
    let mut entries = entries(&api.storage, caller.tenant_id()).await?;
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

/// `GET /journal/verify`: tenant admins; is the chain intact?
pub async fn check(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.require_tenant_admin()?;
    let entries = entries(&api.storage, caller.tenant_id()).await?;
    let problems = verify(&entries);
    Ok(ApiResponse::json(
        200,
        &json!({
            "intact": problems.is_empty(),
            "entries": entries.len(),
            "first_seq": entries.first().map(|e| e.seq),
            "last_seq": entries.last().map(|e| e.seq),
            "last_hash": entries.last().map(|e| e.hash.clone()),
            "problems": problems,
        }),
    ))
}

/// `GET /journal/export`: tenant admins; the whole journal as CSV (UTF-8
/// with BOM, `;`), hashes included so an auditor can check the chain.
pub async fn export(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.require_tenant_admin()?;
    let entries = entries(&api.storage, caller.tenant_id()).await?;
    let cell = |v: &str| {
        // Quoted, doubled quotes; a leading formula character is neutralised.
        let v = if v.starts_with(['=', '+', '-', '@']) {
            format!("'{v}")
        } else {
            v.to_string()
        };
        format!("\"{}\"", v.replace('"', "\"\""))
    };
    let mut csv = String::from("\u{feff}seq;at;user_id;action;target;request_id;prev_hash;hash\n");
    for e in &entries {
        let at = e.at.to_rfc3339();
        let seq = e.seq.to_string();
        let row = [
            seq.as_str(),
            at.as_str(),
            &e.user_id,
            &e.action,
            &e.target,
            &e.request_id,
            &e.prev_hash,
            &e.hash,
        ]
        .map(cell)
        .join(";");
        csv.push_str(&row);
        csv.push('\n');
    }
    crate::journal::record(api, caller, "export", "journal".into()).await?;
    Ok(ApiResponse {
        status: 200,
        content_type: "text/csv; charset=utf-8",
        headers: vec![(
            "content-disposition",
            "attachment; filename=\"journal.csv\"".into(),
        )],
        body: csv.into_bytes(),
    })
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .get("/journal", list)
        .get("/journal/verify", check)
        .get("/journal/export", export)
}
