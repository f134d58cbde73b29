//! Export jobs as stored and shared by the API (which records and shows
//! them) and the export worker (which runs them): the job, its filters, its
//! queue message and where its file goes.

use super::caller::{in_scope, Caller};
use super::error::AppError;
use super::layout::EXPORTS_PREFIX;
use super::records::{load, save};
use crate::domain::access::{Action, Scope};
use crate::domain::{EntityId, NoticeStatus, TenantId};
use crate::excel::export::ExportFormat;
use crate::ports::Storage;
use crate::store::{epoch_after, RecordKind, StoredNotice};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How far back an export goes, by reception date.
pub const EXPORT_MONTHS: u32 = 12;
/// How long an export file is kept (template.yaml's `exports` lifecycle rule).
pub const FILE_DAYS: u64 = 7;
/// How long a job record is kept (the table's TTL).
pub const RECORD_DAYS: u64 = 30;
/// How long a download link from `GET /exports/{id}` works.
pub const DOWNLOAD_URL_SECONDS: u64 = 3600;
/// A running job whose worker went silent this long is taken over (longer
/// than the worker's 15-minute timeout, so a live worker is never overtaken).
pub const LEASE_MINUTES: i64 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    Queued,
    Running,
    Done,
    Failed,
}

/// What the requester narrowed the export to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportFilters {
    pub entity_id: Option<EntityId>,
    pub status: Option<NoticeStatus>,
    /// Normalized (`AB123CD`).
    pub plate: Option<String>,
}

/// An export job, as stored (`TENANT#t / EXPORT#id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportJob {
    pub export_id: String,
    pub status: ExportStatus,
    pub format: ExportFormat,
    pub filters: ExportFilters,
    /// The entities the requester could export when asking; the worker
    /// checks the requester's grants again when it runs.
    pub scope: Scope,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Notices received from this instant up to `created_at`.
    pub period_from: DateTime<Utc>,
    /// Notices to write, then how many are written so far.
    pub rows_total: usize,
    pub rows_done: usize,
    pub file_key: Option<String>,
    pub file_size: Option<u64>,
    pub finished_at: Option<DateTime<Utc>>,
    /// When the file is deleted (`FILE_DAYS` after it was written).
    pub expires_at: Option<DateTime<Utc>>,
    /// The requester was sent the link (a redelivery of a done job sends it
    /// if not; never twice once recorded).
    pub emailed: bool,
    /// Why the job failed.
    pub message: Option<String>,
}

impl ExportJob {
    /// What the browser saves the file as: `designa-avis-2026-12-03.xlsx`
    /// (the day asked, Paris time).
    pub fn download_name(&self) -> String {
        let day = crate::domain::time::paris_date(self.created_at);
        format!("designa-avis-{day}.{}", self.format.extension())
    }

    /// Percent of rows written.
    pub fn progress(&self) -> u8 {
        match (self.status, self.rows_total) {
            (ExportStatus::Done, _) => 100,
            (_, 0) => 0,
            (_, total) => (self.rows_done.min(total) * 100 / total) as u8,
        }
    }

    /// Does the notice belong in this export (period, scope, filters)?
    pub fn covers(&self, n: &StoredNotice) -> bool {
        n.received_at > self.period_from
            && n.received_at <= self.created_at
            && in_scope(&self.scope, &n.entity_id)
            && self
                .filters
                .entity_id
                .as_ref()
                .is_none_or(|e| *e == n.entity_id)
            && self.filters.status.is_none_or(|s| s == n.status)
            && self
                .filters
                .plate
                .as_ref()
                .is_none_or(|p| *p == n.notice.plate.normalized)
    }

    /// May the caller, with its grants as they are now, download the file?
    pub fn downloadable_by(&self, caller: &Caller) -> bool {
        match (
            caller.principal.scope_for(Action::ExportNotices),
            &self.scope,
        ) {
            (None, _) => false,
            (Some(Scope::AllEntities), _) => true,
            (Some(Scope::Entities(_)), Scope::AllEntities) => false,
            (Some(Scope::Entities(have)), Scope::Entities(wanted)) => wanted.is_subset(&have),
        }
    }
}

/// The message the export queue carries: which job to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportMessage {
    pub tenant_id: TenantId,
    pub export_id: String,
}

/// `exports/<tenant>/<export id>.<xlsx|csv>`
pub fn export_key(tenant: &TenantId, export_id: &str, format: ExportFormat) -> String {
    format!(
        "{EXPORTS_PREFIX}{tenant}/{export_id}.{}",
        format.extension()
    )
}

pub async fn load_job<S: Storage>(
    storage: &S,
    tenant: &TenantId,
    export_id: &str,
) -> Result<Option<(ExportJob, u64)>, AppError> {
    load(storage, tenant, RecordKind::Export, export_id).await
}

/// Writes the job as the version after `read` (`None`: a new job); 409 if
/// someone else wrote it meanwhile. The record expires `RECORD_DAYS` after
/// its creation.
pub async fn save_job<S: Storage>(
    storage: &S,
    tenant: &TenantId,
    job: &ExportJob,
    read: Option<u64>,
) -> Result<u64, AppError> {
    save(
        storage,
        tenant,
        RecordKind::Export,
        &job.export_id,
        job,
        read,
        Some(epoch_after(job.created_at, RECORD_DAYS)),
    )
    .await
}
