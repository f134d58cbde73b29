//! Excel imports: vehicles, drivers, assignments, and the fleet refresh
//! (upload the full current fleet, see the diff, then apply it).
//!
//! Small workbooks come inline (`POST /imports?kind=…`); large ones through
//! a presigned S3 upload (`POST /uploads`), processed by the import worker
//! with the same `Importer`. Either way an import record tells the status,
//! the progress and every refused cell (row, column, reason). Nothing is
//! applied from a workbook with errors unless `partial=true` was asked.

use crate::extract::{Id, ImportIdPath, Json, Query};
use crate::http::{
    ApiError, ApiRequest, ApiResponse, ApiResult, ErrorBody, ReadErrors, Unauthorized, Workbook,
    WriteErrors, XLSX,
};
use crate::http::{ReasonCode, Resource};
use crate::router::handlers;
use crate::router::Routes;
use crate::vehicles::VehicleView;
use crate::ApiStorage;
use crate::AppState;
use crate::{json_body, Api, MAX_INLINE_BODY};
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use designa::app::caller::Caller;
use designa::app::imports::{
    import_expiry, load_diff, new_record, upload_key, DiffCounts, ImportKind, ImportRecord,
    ImportStatus, Importer, ReportedError, UPLOAD_URL_SECONDS,
};
use designa::app::records::{load, load_all, save};
use designa::domain::address::REQUIRED;
use designa::excel::fleet::FleetRow;
use designa::excel::limits;
use designa::ports::{BlobStore, Clock, Storage};
use designa::store::RecordKind;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// An import as the API shows it: its status, progress and every refused
/// cell.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ImportRecord)]
pub struct ImportView {
    pub import_id: String,
    pub kind: ImportKind,
    pub status: ImportStatus,
    /// Apply the valid rows even when others are refused.
    pub partial: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Valid rows to apply, then how many are applied so far.
    pub rows_total: usize,
    pub rows_done: usize,
    pub errors: Vec<ReportedError>,
    pub errors_total: usize,
    pub message: Option<String>,
    /// A fleet refresh's counts.
    pub diff: Option<DiffCounts>,
    /// Where the uploaded workbook is (uploads only).
    pub upload_key: Option<String>,
    /// The fleet refresh's diff, while it awaits its apply: the JSON the
    /// refresh wrote beside the import, shown as it was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<FleetChanges>)]
    pub changes: Option<serde_json::Value>,
}

impl From<&ImportRecord> for ImportView {
    fn from(r: &ImportRecord) -> Self {
        ImportView {
            import_id: r.import_id.clone(),
            kind: r.kind,
            status: r.status,
            partial: r.partial,
            created_by: r.created_by.clone(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            rows_total: r.rows_total,
            rows_done: r.rows_done,
            errors: r.errors.clone(),
            errors_total: r.errors_total,
            message: r.message.clone(),
            diff: r.diff,
            upload_key: r.upload_key.clone(),
            changes: None,
        }
    }
}

/// What applying a fleet refresh would do (the schema of the diff that
/// `designa::fleet::FleetDiff` serializes).
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)] // only its schema is used: the diff is read back as JSON
pub struct FleetChanges {
    pub added: Vec<FleetRow>,
    pub changed: Vec<FleetChange>,
    /// In the fleet today, absent from the upload: they would get an exit date.
    pub leaving: Vec<VehicleView>,
}

/// A vehicle on both sides whose fields differ.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct FleetChange {
    pub current: VehicleView,
    pub uploaded: FleetRow,
    /// Names of the matrix columns that differ.
    pub fields: Vec<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportList {
    pub imports: Vec<ImportView>,
}

/// A refused workbook's report, or an invalid request.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used
pub enum ImportRefused {
    Report(ImportView),
    Invalid(ErrorBody),
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    #[param(required = true, value_type = ImportKind)]
    pub kind: Option<String>,
    /// Apply the valid rows even when others are refused (false by default).
    #[param(value_type = Option<bool>)]
    pub partial: Option<String>,
}

fn flag(value: Option<&str>, name: &str) -> Result<bool, ApiError> {
    match value {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(ApiError::field(
            name,
            ReasonCode::UnknownValue,
            format!("« {other} » n'est ni true ni false."),
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

/// Import a workbook of up to 5 MiB (row-level report; nothing applied
/// with errors unless partial=true).
#[utoipa::path(post, path = "/imports", tag = "Imports", params(ImportQuery),
    request_body(content((Workbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Workbook = "application/octet-stream"))),
    responses(
        (status = 200, description = "Applied, or a fleet refresh's diff awaiting its apply", body = ImportView),
        (status = 401, description = "No valid token, or no active user behind it", body = Unauthorized),
        (status = 403, description = "The caller's roles do not allow this", body = ErrorBody),
        (status = 404, description = "Not found, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Conflict with the current state", body = ErrorBody),
        (status = 413, description = "Body over 5 MiB: use POST /uploads", body = ErrorBody),
        (status = 415, description = "Not an .xlsx workbook content type", body = ErrorBody),
        (status = 422, description = "Rejected: the record lists every refused cell; or an invalid request",
            body = ImportRefused),
        (status = 500, description = "Internal error (logged with the request id)", body = ErrorBody)))]
pub async fn import_inline(
    State(app): State<AppState>,
    caller: Caller,
    Query(query): Query<ImportQuery>,
    request: ApiRequest,
) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    let kind = ImportKind::parse(
        query
            .kind
            .as_deref()
            .ok_or_else(|| ApiError::field("kind", ReasonCode::Required, REQUIRED))?,
    )?;
    let partial = flag(query.partial.as_deref(), "partial")?;
    caller.scope(kind.action())?;
    let content_type = request.content_type.as_deref().unwrap_or("");
    if !content_type.starts_with(XLSX) && !content_type.starts_with("application/octet-stream") {
        return Err(ApiError::UnsupportedMedia(format!(
            "« {content_type} » : envoyez le classeur .xlsx en {XLSX}"
        )));
    }
    if request.body.len() > MAX_INLINE_BODY {
        return Err(ApiError::TooLarge(MAX_INLINE_BODY));
    }
    within_inline_rows(&request.body)?;
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

/// Rows an inline import applies within API Gateway's 29 seconds, with room.
pub const MAX_INLINE_ROWS: usize = 10_000;

/// A bigger workbook goes through the upload, read in the background. A
/// workbook that is a bomb is left to the import, which refuses it at its
/// limit and says so in the record.
fn within_inline_rows(body: &[u8]) -> Result<(), ApiError> {
    let Ok(size) = limits::inspect(body, limits::WORKBOOK) else {
        return Ok(());
    };
    if size.rows <= MAX_INLINE_ROWS + 1 {
        return Ok(());
    }
    let reason = format!(
        "Un import direct lit {MAX_INLINE_ROWS} lignes au plus, ce classeur en a {} : déposez-le par POST /uploads, il sera lu en arrière-plan.",
        size.rows - 1
    );
    Err(ApiError::field("body", ReasonCode::OutOfRange, reason))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "vehicles", "partial": false}))]
pub struct UploadInput {
    kind: ImportKind,
    #[serde(default)]
    partial: bool,
}

/// The import awaiting its workbook, and where to PUT it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Upload)]
pub struct UploadView {
    pub import: ImportView,
    pub upload: UploadTarget,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UploadTarget {
    /// A presigned URL.
    pub url: String,
    /// Always `PUT`.
    pub method: &'static str,
    pub content_type: &'static str,
    /// Seconds the URL stays valid.
    pub expires_in: u64,
}

/// A presigned URL to PUT a large workbook to; the import worker processes
/// it when it lands.
#[utoipa::path(post, path = "/uploads", tag = "Imports",
    responses((status = 201, description = "Awaiting the upload", body = UploadView), WriteErrors))]
pub async fn start_upload(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<UploadInput>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
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
    let upload = UploadView {
        import: ImportView::from(&record),
        upload: UploadTarget {
            url,
            method: "PUT",
            content_type: XLSX,
            expires_in: UPLOAD_URL_SECONDS,
        },
    };
    Ok(ApiResponse::json(201, &upload))
}

async fn visible_import<S: Storage>(
    storage: &S,
    caller: &Caller,
    import_id: &str,
) -> Result<(ImportRecord, u64), ApiError> {
    let (record, version): (ImportRecord, u64) =
        load(storage, caller.tenant_id(), RecordKind::Import, import_id)
            .await?
            .ok_or(ApiError::NotFound(Resource::Import))?;
    // Imports are their author's (and the tenant admins').
    if record.created_by != caller.user.user_id && !caller.principal.is_tenant_admin() {
        return Err(ApiError::NotFound(Resource::Import));
    }
    Ok((record, version))
}

/// The record, with the fleet-refresh diff while it awaits its apply.
async fn view(api: &Api, caller: &Caller, record: &ImportRecord) -> Result<ImportView, ApiError> {
    let mut view = ImportView::from(record);
    if record.status == ImportStatus::AwaitingApply {
        let diff = load_diff(
            &api.blobs,
            &api.config.imports,
            caller.tenant_id(),
            &record.import_id,
        )
        .await?;
        view.changes = Some(diff);
    }
    Ok(view)
}

/// One import: status, progress, refused cells (and a refresh's diff).
#[utoipa::path(get, path = "/imports/{importId}", tag = "Imports", params(ImportIdPath),
    responses((status = 200, description = "The import", body = ImportView), ReadErrors))]
pub async fn get(Id(import_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let import_id = import_id.as_str();
    let (record, _) = visible_import(&api.storage, caller, import_id).await?;
    Ok(ApiResponse::json(200, &view(api, caller, &record).await?))
}

/// The caller's imports (all of them for tenant admins), newest first.
#[utoipa::path(get, path = "/imports", tag = "Imports",
    responses((status = 200, description = "The imports", body = ImportList), ReadErrors))]
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
    let imports = imports.iter().map(ImportView::from).collect();
    Ok(ApiResponse::json(200, &ImportList { imports }))
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyInput {
    /// Exit date given to leaving vehicles; today (Paris) by default.
    #[serde(default)]
    exit_on: Option<NaiveDate>,
}

/// Apply a fleet refresh's diff, once.
///
/// The body is read once the import is found.
#[utoipa::path(post, path = "/imports/{importId}/apply", tag = "Imports", params(ImportIdPath),
    request_body = Option<ApplyInput>,
    responses((status = 200, description = "Applied", body = ImportView), WriteErrors))]
pub async fn apply(
    Id(import_id): Id,
    State(app): State<AppState>,
    caller: Caller,
    request: ApiRequest,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let (record, version) = visible_import(&api.storage, caller, &import_id).await?;
    let input: ApplyInput = if request.body.is_empty() {
        ApplyInput::default()
    } else {
        json_body(&request)?
    };
    let record = api
        .importer()
        .apply_refresh(caller, record, version, input.exit_on)
        .await?;
    Ok(ApiResponse::json(200, &ImportView::from(&record)))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(import_inline, list))
        .routes(handlers!(start_upload))
        .routes(handlers!(get))
        .routes(handlers!(apply))
}
