//! The access journal's routes (tenant admins): the entries, newest first;
//! whether the chain is intact; the whole journal as CSV. The chain itself
//! lives in `designa::app::journal`.

use crate::extract::Query;
use crate::http::{ApiError, ApiResponse, ApiResult, ReadErrors, ReasonCode};
use crate::router::handlers;
use crate::router::Routes;
use crate::Api;
use crate::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use designa::app::caller::Caller;
use designa::app::journal::{
    entries, expired_before, head, is_entry_id, page, record_with, verify, Evidence, JournalEntry,
};
use designa::app::journal_anchors::anchors_to_check;
use designa::excel::csv::CsvSheet;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A journal entry as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = JournalEntry)]
pub struct EntryView {
    pub entry_id: String,
    /// Position in the tenant's hash chain.
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
    /// SHA-256 of the entry's content and `prev_hash`.
    pub hash: String,
}

impl From<JournalEntry> for EntryView {
    fn from(e: JournalEntry) -> Self {
        EntryView {
            entry_id: e.entry_id,
            seq: e.seq,
            at: e.at,
            user_id: e.user_id,
            action: e.action,
            target: e.target,
            request_id: e.request_id,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

/// A page of entries; `next_before` reads the older ones.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalPage {
    pub entries: Vec<EntryView>,
    pub next_before: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// Page size, 100 by default.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Entries older than this entry id (`next_before` of the previous page).
    pub before: Option<String>,
}

/// Whether the chain is intact.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChainCheck {
    pub intact: bool,
    /// How many entries were checked.
    pub entries: usize,
    pub first_seq: Option<u64>,
    pub last_seq: Option<u64>,
    pub last_hash: Option<String>,
    /// The last entry the head record names (written with every entry).
    pub head_seq: Option<u64>,
    /// Copies of the head kept under S3 Object Lock that the chain was
    /// checked against (the oldest of the last year and the newest).
    pub anchors_checked: usize,
    /// Entries 1 to this one left after a year (the TTL), not a break.
    pub expired_up_to: Option<u64>,
    pub problems: Vec<Problem>,
}

/// A break in the chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    pub seq: u64,
    pub problem: String,
}

/// Records one entry. A request whose journal entry cannot be written fails.
pub async fn record(
    api: &Api,
    caller: &Caller,
    action: &str,
    target: String,
) -> Result<(), ApiError> {
    Ok(record_with(&api.storage, &api.clock, caller, action, target).await?)
}

/// The access journal, newest first (tenant admins).
#[utoipa::path(get, path = "/journal", tag = "Journal", params(JournalQuery),
    responses((status = 200, description = "A page of entries", body = JournalPage), ReadErrors))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Query(query): Query<JournalQuery>,
) -> ApiResult {
    let api = &*app;
    caller.require_tenant_admin()?;
    let limit = crate::notices::limit(query.limit.as_deref(), 100, 500)?;
    let before = query.before.as_deref();
    if before.is_some_and(|b| !is_entry_id(b)) {
        let reason = "Ce repère ne vient pas du journal : reprenez depuis la première page.";
        return Err(ApiError::field("before", ReasonCode::Malformed, reason));
    }
    let (entries, next_before) = page(&api.storage, caller.tenant_id(), before, limit).await?;
    let entries = entries.into_iter().map(EntryView::from).collect();
    let page = JournalPage {
        entries,
        next_before,
    };
    Ok(ApiResponse::json(200, &page))
}

/// Whether the journal's hash chain is intact (tenant admins).
#[utoipa::path(get, path = "/journal/verify", tag = "Journal",
    responses((status = 200, description = "The check", body = ChainCheck), ReadErrors))]
pub async fn check(State(api): State<AppState>, caller: Caller) -> ApiResult {
    caller.require_tenant_admin()?;
    let tenant = caller.tenant_id();
    let now = api.clock.now();
    let entries = entries(&api.storage, tenant).await?;
    let head = head(&api.storage, tenant).await?;
    let bucket = &api.config.journal_anchors;
    let anchors = anchors_to_check(&*api.blobs, bucket, tenant, now).await?;
    let evidence = Evidence {
        head: head.as_ref(),
        anchors: &anchors,
        now,
    };
    let found = verify(&entries, &evidence);
    let check = ChainCheck {
        intact: found.is_empty(),
        entries: entries.len(),
        first_seq: entries.first().map(|e| e.seq),
        last_seq: entries.last().map(|e| e.seq),
        last_hash: entries.last().map(|e| e.hash.clone()),
        head_seq: head.map(|h| h.seq),
        anchors_checked: anchors.len(),
        expired_up_to: expired_before(&entries, &found),
        problems: found
            .into_iter()
            .map(|p| Problem {
                seq: p.seq,
                problem: p.problem,
            })
            .collect(),
    };
    Ok(ApiResponse::json(200, &check))
}

const JOURNAL_COLUMNS: [&str; 8] = [
    "seq",
    "at",
    "user_id",
    "action",
    "target",
    "request_id",
    "prev_hash",
    "hash",
];

/// The whole journal as CSV (tenant admins): UTF-8 with BOM, `;`, hashes
/// included so an auditor can check the chain.
#[utoipa::path(get, path = "/journal/export", tag = "Journal",
    responses((status = 200, description = "CSV", content_type = "text/csv", body = String), ReadErrors))]
pub async fn export(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.require_tenant_admin()?;
    let entries = entries(&api.storage, caller.tenant_id()).await?;
    let mut csv = CsvSheet::new(JOURNAL_COLUMNS);
    for e in &entries {
        let (seq, at) = (e.seq.to_string(), e.at.to_rfc3339());
        csv.row([
            seq.as_str(),
            at.as_str(),
            &e.user_id,
            &e.action,
            &e.target,
            &e.request_id,
            &e.prev_hash,
            &e.hash,
        ]);
    }
    crate::journal::record(api, caller, "export", "journal".into()).await?;
    Ok(ApiResponse {
        status: 200,
        content_type: "text/csv; charset=utf-8",
        headers: vec![(
            "content-disposition",
            "attachment; filename=\"journal.csv\"".into(),
        )],
        body: csv.finish(),
    })
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(list))
        .routes(handlers!(check))
        .routes(handlers!(export))
}
