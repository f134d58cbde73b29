//! Excel imports: vehicles, drivers, assignments, and the fleet refresh
//! (upload the full current fleet, see the diff, then apply it).
//!
//! Small workbooks come inline (`POST /imports?kind=…`); large ones through
//! a presigned S3 upload (`POST /uploads`), processed by the import worker
//! with the same `Importer`. Either way an import record tells the status,
//! the progress and every refused cell (row, column, reason). Nothing is
//! applied from a workbook with errors unless `partial=true` was asked.

use crate::extract::Id;
use crate::http::{ApiError, ApiRequest, ApiResponse, ApiResult, XLSX};
use crate::router::Routes;
use crate::ApiStorage;
use crate::AppState;
use crate::{json_body, Api, MAX_INLINE_BODY};
use axum::extract::State;
use chrono::NaiveDate;
use designa::app::caller::Caller;
use designa::app::imports::{
    import_expiry, load_diff, new_record, upload_key, ImportKind, ImportRecord, ImportStatus,
    Importer, UPLOAD_URL_SECONDS,
};
use designa::app::records::{load, load_all, save};
use designa::ports::{BlobStore, Clock, Storage};
use designa::store::RecordKind;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

fn flag(request: &ApiRequest, name: &str) -> Result<bool, ApiError> {
    match request.query_value(name) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(ApiError::field(
            name,
            format!("'{other}' is neither true nor false"),
        )),
    }
}

impl Api {
    pub fn importer(
        &self,
    ) -> Importer<'_, Arc<dyn ApiStorage>, Arc<dyn BlobStore>, Arc<dyn Clock>> {
        Importer {
            storage: &self.storage,
            blobs: &self.blobs,
            clock: &self.clock,
            settings: &self.config.imports,
        }
    }
}

/// `POST /imports?kind=…&partial=…` with the workbook as the body.
pub async fn import_inline(
    State(app): State<AppState>,
    caller: Caller,
    request: ApiRequest,
) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    let kind = ImportKind::parse(
        request
            .query_value("kind")
            .ok_or_else(|| ApiError::field("kind", "is required"))?,
    )?;
    let partial = flag(request, "partial")?;
    caller.scope(kind.action())?;
    let content_type = request.content_type.as_deref().unwrap_or("");
    if !content_type.starts_with(XLSX) && !content_type.starts_with("application/octet-stream") {
        return Err(ApiError::UnsupportedMedia(format!(
            "'{content_type}': send the .xlsx workbook as {XLSX}"
        )));
    }
    if request.body.len() > MAX_INLINE_BODY {
        return Err(ApiError::TooLarge(MAX_INLINE_BODY));
    }
    let record = new_record(caller, kind, partial, api.clock.now());
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Import,
        &record.import_id,
        &record,
        None,
        import_expiry(&record),
    )
    .await?;
    let record = api
        .importer()
        .process(caller, record, 1, &request.body)
        .await?;
    let status = match record.status {
        ImportStatus::Rejected | ImportStatus::Failed => 422,
        _ => 200,
    };
    Ok(ApiResponse::json(
        status,
        &view(api, caller, &record).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UploadInput {
    kind: ImportKind,
    #[serde(default)]
    partial: bool,
}

/// `POST /uploads`: a presigned URL to PUT a large workbook to; the worker
/// processes it when it lands.
pub async fn start_upload(
    State(app): State<AppState>,
    caller: Caller,
    request: ApiRequest,
) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    let input: UploadInput = json_body(request)?;
    caller.scope(input.kind.action())?;
    let mut record = new_record(caller, input.kind, input.partial, api.clock.now());
    record.status = ImportStatus::AwaitingUpload;
    let key = upload_key(&api.config.imports, caller.tenant_id(), &record.import_id);
    record.upload_key = Some(key.clone());
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Import,
        &record.import_id,
        &record,
        None,
        import_expiry(&record),
    )
    .await?;
    let url = api
        .blobs
        .presign_put(
            &api.config.imports.bucket,
            &key,
            XLSX,
            std::time::Duration::from_secs(UPLOAD_URL_SECONDS),
        )
        .await?;
    Ok(ApiResponse::json(
        201,
        &json!({
            "import": record,
            "upload": { "url": url, "method": "PUT", "content_type": XLSX, "expires_in": UPLOAD_URL_SECONDS },
        }),
    ))
}

async fn visible_import<S: Storage>(
    storage: &S,
    caller: &Caller,
    import_id: &str,
) -> Result<(ImportRecord, u64), ApiError> {
    let (record, version): (ImportRecord, u64) =
        load(storage, caller.tenant_id(), RecordKind::Import, import_id)
            .await?
            .ok_or_else(|| ApiError::NotFound("import".into()))?;
    // Imports are their author's (and the tenant admins').
    if record.created_by != caller.user.user_id && !caller.principal.is_tenant_admin() {
        return Err(ApiError::NotFound("import".into()));
    }
    Ok((record, version))
}

/// The record, with the fleet-refresh diff while it awaits its apply.
async fn view(
    api: &Api,
    caller: &Caller,
    record: &ImportRecord,
) -> Result<serde_json::Value, ApiError> {
    let mut value = serde_json::to_value(record).expect("records serialize");
    if record.status == ImportStatus::AwaitingApply {
        let diff = load_diff(
            &api.blobs,
            &api.config.imports,
            caller.tenant_id(),
            &record.import_id,
        )
        .await?;
        value["changes"] = serde_json::to_value(diff).expect("diffs serialize");
    }
    Ok(value)
}

pub async fn get(Id(import_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let import_id = import_id.as_str();
    let (record, _) = visible_import(&api.storage, caller, import_id).await?;
    Ok(ApiResponse::json(200, &view(api, caller, &record).await?))
}

pub async fn list(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let mut imports: Vec<ImportRecord> =
        load_all(&api.storage, caller.tenant_id(), RecordKind::Import)
            .await?
            .into_iter()
            .filter(|r: &ImportRecord| {
                r.created_by == caller.user.user_id || caller.principal.is_tenant_admin()
            })
            .collect();
    imports.sort_by_key(|r| std::cmp::Reverse(r.created_at));
    Ok(ApiResponse::json(200, &json!({ "imports": imports })))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ApplyInput {
    /// Exit date given to leaving vehicles; today (Paris) by default.
    #[serde(default)]
    exit_on: Option<NaiveDate>,
}

/// `POST /imports/{id}/apply`: applies a fleet refresh's diff, once.
pub async fn apply(
    Id(import_id): Id,
    State(app): State<AppState>,
    caller: Caller,
    request: ApiRequest,
) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    let import_id = import_id.as_str();
    let (record, version) = visible_import(&api.storage, caller, import_id).await?;
    let input: ApplyInput = if request.body.is_empty() {
        ApplyInput::default()
    } else {
        json_body(request)?
    };
    let record = api
        .importer()
        .apply_refresh(caller, record, version, input.exit_on)
        .await?;
    Ok(ApiResponse::json(200, &record))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .post("/imports", import_inline)
        .get("/imports", list)
        .post("/uploads", start_upload)
        .get("/imports/{importId}", get)
        .post("/imports/{importId}/apply", apply)
}
