//! Exports: the last 12 months of notices (the whole tenant as the caller
//! sees it, or one entity; optionally one status or one plate) as an .xlsx
//! workbook or a CSV file, written by the export worker.
//!
//! `POST /exports` records a job (`queued`) and sends it to the export queue;
//! the worker (`functions/export-worker`) takes it to `running`, updates its
//! progress, writes `exports/<tenant>/<export id>.<xlsx|csv>` (kept 7 days)
//! and e-mails the requester a download link. `GET /exports/{id}` gives a
//! fresh presigned link (1 hour) while the file exists: links signed by a
//! Lambda role stop working with its session, so none is stored.

use crate::extract::{ExportIdPath, Id, Json};
use crate::http::{ApiError, ApiResponse, ApiResult, ReadErrors, WriteErrors};
use crate::http::{ReasonCode, Resource};
use crate::router::handlers;
use crate::router::Routes;
use crate::Api;
use crate::AppState;
use axum::extract::State;
use chrono::{DateTime, Months, Utc};
use designa::app::caller::Caller;
use designa::app::entities::require_entity;
use designa::app::exports::{
    load_job, save_job, ExportFilters, ExportJob, ExportMessage, ExportStatus,
    DOWNLOAD_URL_SECONDS, EXPORT_MONTHS,
};
use designa::app::records::{load_all, new_id};
use designa::domain::access::{Action, Scope};
use designa::domain::{EntityId, NoticeStatus, TenantId};
use designa::excel::export::ExportFormat;
use designa::ports::{BlobStore, Clock, QueueMessage};
use designa::store::RecordKind;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::ToSchema;

/// Longest plate filter (normalized).
const MAX_PLATE: usize = 20;

/// The job as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ExportJob)]
pub struct ExportView {
    pub export_id: String,
    pub status: ExportStatus,
    pub format: ExportFormat,
    pub filters: ExportFilters,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Notices received after this instant (12 months before the request)…
    pub period_from: DateTime<Utc>,
    /// …and up to the request.
    pub period_to: DateTime<Utc>,
    pub rows_total: usize,
    pub rows_done: usize,
    /// Percent of rows written.
    #[schema(maximum = 100)]
    pub progress: u8,
    /// Bytes.
    pub file_size: Option<u64>,
    pub finished_at: Option<DateTime<Utc>>,
    /// When the file is deleted (7 days after it was written).
    pub expires_at: Option<DateTime<Utc>>,
    /// A fresh link (`DOWNLOAD_URL_SECONDS`) while the file exists and the
    /// caller may still export what it holds.
    pub download_url: Option<String>,
    /// Why the job failed.
    pub message: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportList {
    pub exports: Vec<ExportView>,
}

async fn view(api: &Api, caller: &Caller, job: &ExportJob) -> Result<ExportView, ApiError> {
    let now = api.clock.now();
    let download_url = match (&job.file_key, job.expires_at) {
        (Some(key), Some(expires_at))
            if job.status == ExportStatus::Done
                && now < expires_at
                && job.downloadable_by(caller) =>
        {
            Some(
                api.blobs
                    .presign_get(
                        &api.config.imports.bucket,
                        key,
                        &job.download_name(),
                        Duration::from_secs(DOWNLOAD_URL_SECONDS),
                    )
                    .await?,
            )
        }
        _ => None,
    };
    Ok(ExportView {
        export_id: job.export_id.clone(),
        status: job.status,
        format: job.format,
        filters: job.filters.clone(),
        created_by: job.created_by.clone(),
        created_at: job.created_at,
        updated_at: job.updated_at,
        period_from: job.period_from,
        period_to: job.created_at,
        rows_total: job.rows_total,
        rows_done: job.rows_done,
        progress: job.progress(),
        file_size: job.file_size,
        finished_at: job.finished_at,
        expires_at: job.expires_at,
        download_url,
        message: job.message.clone(),
    })
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({"format": "xlsx"}),
    json!({"entity_id": "5f2c0e4b9a8d4c1e8f3a2b1c0d9e8f7a", "format": "csv", "status": "ACKNOWLEDGED"})))]
pub struct ExportInput {
    /// One entity; all the caller may export by default.
    #[serde(default)]
    #[schema(max_length = 200)]
    entity_id: Option<String>,
    /// xlsx by default; csv: `;`-separated, UTF-8 with BOM (opens in Excel).
    #[serde(default)]
    format: Option<ExportFormat>,
    #[serde(default)]
    status: Option<NoticeStatus>,
    /// One plate, as typed (spaces and dashes ignored).
    #[serde(default)]
    #[schema(max_length = 30)]
    plate: Option<String>,
}

/// Export the last 12 months of notices: the job is queued (202), the file
/// written by the export worker, the requester e-mailed a link.
#[utoipa::path(post, path = "/exports", tag = "Exports",
    responses((status = 202, description = "Queued", body = ExportView), WriteErrors))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    input: Option<Json<ExportInput>>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let input = input.map(|Json(input)| input).unwrap_or_default();
    let job = new_job(api, caller, input).await?;
    let tenant = caller.tenant_id();
    let version = save_job(&api.storage, tenant, &job, None).await?;
    crate::journal::record(api, caller, "create", format!("export:{}", job.export_id)).await?;
    if let Err(e) = queue(api, tenant, &job).await {
        // No worker will ever see it: say so rather than leave it queued.
        let mut failed = job.clone();
        failed.status = ExportStatus::Failed;
        failed.message =
            Some("L'export n'a pas pu être mis en file : demandez-le à nouveau.".into());
        failed.updated_at = api.clock.now();
        save_job(&api.storage, tenant, &failed, Some(version)).await?;
        return Err(e);
    }
    tracing::info!(export_id = %job.export_id, format = ?job.format, "export queued");
    Ok(ApiResponse::json(202, &view(api, caller, &job).await?))
}

/// The job the input asks for, its filters checked against the caller's
/// scope.
async fn new_job(api: &Api, caller: &Caller, input: ExportInput) -> Result<ExportJob, ApiError> {
    let mut scope = caller.scope(Action::ExportNotices)?;
    let entity_id = match input.entity_id {
        Some(id) if id.len() > crate::extract::MAX_PARAMETER_LENGTH => {
            return Err(ApiError::field(
                "entity_id",
                ReasonCode::UnknownEntity,
                "Ce n'est pas un identifiant d'entité.",
            ))
        }
        Some(id) => {
            let id = EntityId(id);
            require_entity(&api.storage, caller, Action::ExportNotices, &id).await?;
            scope = Scope::Entities([id.clone()].into());
            Some(id)
        }
        None => None,
    };
    let plate = match input.plate {
        None => None,
        Some(raw) => {
            let plate = designa::domain::plate::normalize(&raw);
            if plate.is_empty()
                || plate.len() > MAX_PLATE
                || !plate.chars().all(|c| c.is_ascii_alphanumeric())
            {
                return Err(ApiError::field(
                    "plate",
                    ReasonCode::InvalidPlate,
                    format!("« {raw} » n'est pas une immatriculation."),
                ));
            }
            Some(plate)
        }
    };
    let now = api.clock.now();
    Ok(ExportJob {
        export_id: new_id(),
        status: ExportStatus::Queued,
        format: input.format.unwrap_or_default(),
        filters: ExportFilters {
            entity_id,
            status: input.status,
            plate,
        },
        scope,
        created_by: caller.user.user_id.clone(),
        created_at: now,
        updated_at: now,
        period_from: now
            .checked_sub_months(Months::new(EXPORT_MONTHS))
            .unwrap_or(now),
        rows_total: 0,
        rows_done: 0,
        file_key: None,
        file_size: None,
        finished_at: None,
        expires_at: None,
        emailed: false,
        message: None,
    })
}

/// Sends the job to the export worker's queue.
async fn queue(api: &Api, tenant: &TenantId, job: &ExportJob) -> Result<(), ApiError> {
    let message = ExportMessage {
        tenant_id: tenant.clone(),
        export_id: job.export_id.clone(),
    };
    let body = serde_json::to_string(&message).expect("messages serialize");
    let messages = [QueueMessage {
        id: job.export_id.clone(),
        body,
    }];
    api.export_queue
        .queue
        .send(&api.export_queue.url, &messages)
        .await?;
    Ok(())
}

/// Exports are their requester's (and the tenant admins').
fn visible(caller: &Caller, job: &ExportJob) -> bool {
    job.created_by == caller.user.user_id || caller.principal.is_tenant_admin()
}

/// The export jobs the caller may see, newest first.
#[utoipa::path(get, path = "/exports", tag = "Exports",
    responses((status = 200, description = "The jobs", body = ExportList), ReadErrors))]
pub async fn list(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let mut jobs: Vec<ExportJob> = load_all(&api.storage, caller.tenant_id(), RecordKind::Export)
        .await?
        .into_iter()
        .filter(|j| visible(caller, j))
        .collect();
    jobs.sort_by_key(|j| std::cmp::Reverse(j.created_at));
    let mut views = Vec::with_capacity(jobs.len());
    for job in &jobs {
        views.push(view(api, caller, job).await?);
    }
    Ok(ApiResponse::json(200, &ExportList { exports: views }))
}

/// One job: status, progress, and a fresh download link when done.
#[utoipa::path(get, path = "/exports/{exportId}", tag = "Exports", params(ExportIdPath),
    responses((status = 200, description = "The job", body = ExportView), ReadErrors))]
pub async fn get(Id(export_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let export_id = export_id.as_str();
    let (job, _) = load_job(&api.storage, caller.tenant_id(), export_id)
        .await?
        .filter(|(job, _)| visible(caller, job))
        .ok_or(ApiError::NotFound(Resource::Export))?;
    Ok(ApiResponse::json(200, &view(api, caller, &job).await?))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(create, list))
        .routes(handlers!(get))
}
