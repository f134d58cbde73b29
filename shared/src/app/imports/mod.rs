//! Excel imports as use cases, shared by the API (inline workbooks, the
//! fleet-refresh apply) and the import worker (uploaded workbooks): the
//! import record, then one file per kind for what its rows do (`fleet`,
//! `refresh`, `drivers`, `planning`).

mod drivers;
mod fleet;
mod planning;
mod refresh;

pub use refresh::load_diff;

use super::caller::{for_user, Caller};
use super::entities::{all as all_entities, resolver, Entity};
use super::error::AppError;
use super::journal::record_with;
use super::records::{load, new_id, save};
use crate::app::assignments::StoredAssignment;
use crate::app::vehicles::PlateRefusal;
use crate::domain::access::Action;
use crate::domain::ReasonCode;
use crate::domain::TenantId;
use crate::excel::{drivers::read_drivers, fleet::read_fleet};
use crate::excel::{RowError, WorkbookError};
use crate::ports::{read_blob, BlobStore, Clock, Storage};
use crate::store::RecordKind;
use crate::store::Vehicle;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Errors kept in the import record (the rest are counted).
const MAX_REPORTED_ERRORS: usize = 1000;
/// Rows applied between two progress updates.
const PROGRESS_EVERY: usize = 250;
/// A processing import whose worker went silent this long is taken over.
const PROCESSING_LEASE_MINUTES: i64 = 10;
/// How long a presigned upload URL works.
pub const UPLOAD_URL_SECONDS: u64 = 900;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Vehicles,
    Drivers,
    Assignments,
    FleetRefresh,
}

impl ImportKind {
    pub fn parse(value: &str) -> Result<ImportKind, AppError> {
        serde_json::from_value(json!(value)).map_err(|_| {
            AppError::field(
                "kind",
                ReasonCode::UnknownValue,
                format!("« {value} » n'est pas un type d'import (vehicles, drivers, assignments, fleet_refresh)."),
            )
        })
    }

    pub fn action(self) -> Action {
        match self {
            ImportKind::Vehicles | ImportKind::FleetRefresh => Action::WriteFleet,
            ImportKind::Drivers => Action::WriteDrivers,
            ImportKind::Assignments => Action::WriteAssignments,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Waiting for the presigned upload.
    AwaitingUpload,
    Processing,
    /// The workbook has errors and no partial apply was asked: nothing applied.
    Rejected,
    /// Applied (the valid rows, with `partial`).
    Done,
    /// A fleet refresh's diff is ready; `POST /imports/{id}/apply` applies it.
    AwaitingApply,
    /// A fleet refresh was applied.
    Applied,
    /// The file could not be read as a workbook (see `message`).
    Failed,
}

/// A refused cell, as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportedError {
    pub row: usize,
    pub column: String,
    /// Reports stored before codes existed read as `invalid`.
    #[serde(default)]
    pub code: ReasonCode,
    pub reason: String,
}

impl From<&RowError> for ReportedError {
    fn from(e: &RowError) -> Self {
        ReportedError {
            row: e.row,
            column: e.column.to_string(),
            code: e.code,
            reason: e.reason.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiffCounts {
    pub added: usize,
    pub changed: usize,
    pub leaving: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRecord {
    pub import_id: String,
    pub kind: ImportKind,
    pub status: ImportStatus,
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
    pub diff: Option<DiffCounts>,
    /// Where the uploaded workbook is (uploads only).
    pub upload_key: Option<String>,
}

/// Adds a refusal met while applying to the report (the first
/// `MAX_REPORTED_ERRORS` are kept, all are counted).
fn report(record: &mut ImportRecord, error: ReportedError) {
    if record.errors.len() < MAX_REPORTED_ERRORS {
        record.errors.push(error);
    }
    record.errors_total += 1;
}

/// A row whose plate another vehicle holds over its period.
fn plate_refused(row: usize, refusal: &PlateRefusal, vehicle: &Vehicle) -> ReportedError {
    ReportedError {
        row,
        column: crate::excel::fleet::PLATE.into(),
        code: ReasonCode::PlateHeld,
        reason: refusal.message(vehicle),
    }
}

/// An import record, with its row report, is kept 30 days after it was
/// started, as its uploaded workbook is (S3 lifecycle); the purge then
/// deletes the workbook and the diff with it.
pub const IMPORT_RECORD_DAYS: u64 = 30;

pub fn import_expiry(record: &ImportRecord) -> Option<i64> {
    Some(crate::store::epoch_after(
        record.created_at,
        IMPORT_RECORD_DAYS,
    ))
}

/// What imports need to know of the deployment.
#[derive(Debug, Clone)]
pub struct ImportSettings {
    /// The exchange bucket (uploads, diffs).
    pub bucket: String,
    /// Where uploaded workbooks land (S3 notification → import worker).
    pub imports_prefix: String,
    /// Table writes in flight at once while applying an import. The local
    /// emulator (moto) is not safe with concurrent transactions: 1 there.
    pub write_concurrency: usize,
}

/// Table writes in flight at once by default (DynamoDB takes many more).
pub const DEFAULT_WRITE_CONCURRENCY: usize = 16;

/// The upload key of an import: `<prefix><tenant>/<import id>.xlsx`.
pub fn upload_key(settings: &ImportSettings, tenant: &TenantId, import_id: &str) -> String {
    format!("{}{tenant}/{import_id}.xlsx", settings.imports_prefix)
}

/// The tenant and import id an uploaded key belongs to.
pub fn parse_upload_key(settings: &ImportSettings, key: &str) -> Option<(TenantId, String)> {
    let rest = key.strip_prefix(&settings.imports_prefix)?;
    let (tenant, file) = rest.split_once('/')?;
    let import_id = file.strip_suffix(".xlsx")?;
    (crate::domain::tenant::is_valid_tenant_id(tenant)
        && !import_id.is_empty()
        && import_id.bytes().all(|b| b.is_ascii_alphanumeric()))
    .then(|| (TenantId(tenant.into()), import_id.into()))
}

/// A new import of `kind`, started by the caller now.
pub fn new_record(
    caller: &Caller,
    kind: ImportKind,
    partial: bool,
    now: DateTime<Utc>,
) -> ImportRecord {
    ImportRecord {
        import_id: new_id(),
        kind,
        status: ImportStatus::Processing,
        partial,
        created_by: caller.user.user_id.clone(),
        created_at: now,
        updated_at: now,
        rows_total: 0,
        rows_done: 0,
        errors: Vec::new(),
        errors_total: 0,
        message: None,
        diff: None,
        upload_key: None,
    }
}

/// The rows a workbook yielded, by kind.
enum Rows {
    Fleet(Vec<crate::excel::fleet::FleetRow>),
    Drivers(Vec<crate::excel::drivers::DriverRow>),
    Planning(Vec<StoredAssignment>),
}

/// Runs imports with the ports it needs; shared by the API and the worker.
pub struct Importer<'a, S, B, C> {
    pub storage: &'a S,
    pub blobs: &'a B,
    pub clock: &'a C,
    pub settings: &'a ImportSettings,
}

impl<'a, S: Storage, B: BlobStore, C: Clock> Importer<'a, S, B, C> {
    async fn write(
        &self,
        caller: &Caller,
        record: &ImportRecord,
        version: u64,
    ) -> Result<u64, AppError> {
        save(
            self.storage,
            caller.tenant_id(),
            RecordKind::Import,
            &record.import_id,
            record,
            Some(version),
            import_expiry(record),
        )
        .await
    }

    /// Reads, checks and (unless rejected) applies a workbook; the record
    /// (at `version`, status `Processing`) is updated as it goes.
    pub async fn process(
        &self,
        caller: &Caller,
        mut record: ImportRecord,
        mut version: u64,
        bytes: &[u8],
    ) -> Result<ImportRecord, AppError> {
        let entities = all_entities(self.storage, caller.tenant_id()).await?;
        let action = record.kind.action();
        let writable: Vec<Entity> = entities
            .iter()
            .filter(|e| {
                caller
                    .principal
                    .can(action, caller.tenant_id(), &e.entity_id)
            })
            .cloned()
            .collect();
        let entity_of = resolver(&writable);
        let entity_ok = |typed: &str| entity_of(typed).is_some();
        let outcome = match record.kind {
            ImportKind::Vehicles | ImportKind::FleetRefresh => {
                read_fleet(bytes, entity_ok).map(|i| (Rows::Fleet(i.rows), i.errors))
            }
            ImportKind::Drivers => {
                read_drivers(bytes, entity_ok).map(|i| (Rows::Drivers(i.rows), i.errors))
            }
            ImportKind::Assignments => self.read_planning(caller, bytes).await?,
        };
        let (rows, errors) = match outcome {
            Ok(read) => read,
            Err(e) => return self.fail(caller, record, version, e).await,
        };
        record.errors_total = errors.len();
        record.errors = errors
            .iter()
            .take(MAX_REPORTED_ERRORS)
            .map(ReportedError::from)
            .collect();
        record.rows_total = match &rows {
            Rows::Fleet(r) => r.len(),
            Rows::Drivers(r) => r.len(),
            Rows::Planning(r) => r.len(),
        };
        if !errors.is_empty() && !record.partial {
            record.status = ImportStatus::Rejected;
            record.message = Some(format!(
                "{} cellule(s) refusée(s) : rien n'a été appliqué (corrigez-les, ou importez à nouveau en n'appliquant que les lignes valides).",
                errors.len()
            ));
            record.updated_at = self.clock.now();
            self.write(caller, &record, version).await?;
            return Ok(record);
        }
        version = match rows {
            Rows::Fleet(rows) if record.kind == ImportKind::FleetRefresh => {
                self.prepare_refresh(caller, &mut record, version, &rows, &entity_of)
                    .await?
            }
            Rows::Fleet(rows) => {
                self.apply_vehicles(caller, &mut record, version, &rows, &entity_of)
                    .await?
            }
            Rows::Drivers(rows) => {
                self.apply_drivers(caller, &mut record, version, &rows, &entity_of)
                    .await?
            }
            Rows::Planning(rows) => {
                self.apply_planning(caller, &mut record, version, &rows)
                    .await?
            }
        };
        record.rows_done = record.rows_total;
        self.finish(caller, record, version, "import").await
    }

    /// Writes the record as it ends and journals `action` on the import.
    async fn finish(
        &self,
        caller: &Caller,
        mut record: ImportRecord,
        version: u64,
        action: &str,
    ) -> Result<ImportRecord, AppError> {
        record.updated_at = self.clock.now();
        self.write(caller, &record, version).await?;
        let target = format!("import:{}", record.import_id);
        record_with(self.storage, self.clock, caller, action, target).await?;
        Ok(record)
    }

    async fn progress(
        &self,
        caller: &Caller,
        record: &mut ImportRecord,
        version: u64,
        done: usize,
    ) -> Result<u64, AppError> {
        if !done.is_multiple_of(PROGRESS_EVERY) || done == record.rows_total {
            return Ok(version);
        }
        record.rows_done = done;
        record.updated_at = self.clock.now();
        self.write(caller, record, version).await
    }

    async fn fail(
        &self,
        caller: &Caller,
        mut record: ImportRecord,
        version: u64,
        error: WorkbookError,
    ) -> Result<ImportRecord, AppError> {
        record.status = ImportStatus::Failed;
        record.message = Some(error.to_string());
        record.updated_at = self.clock.now();
        self.write(caller, &record, version).await?;
        Ok(record)
    }
}

/// The worker's entry: processes an uploaded workbook once. Returns `None`
/// when there is nothing to do (unknown key, or already processed).
pub async fn process_upload<S: Storage, B: BlobStore, C: Clock>(
    importer: &Importer<'_, S, B, C>,
    key: &str,
    request_id: &str,
) -> Result<Option<ImportRecord>, AppError> {
    let Some((tenant, import_id)) = parse_upload_key(importer.settings, key) else {
        return Ok(None);
    };
    let Some((mut record, version)) =
        load::<_, ImportRecord>(importer.storage, &tenant, RecordKind::Import, &import_id).await?
    else {
        return Ok(None);
    };
    let now = importer.clock.now();
    let stale = record.status == ImportStatus::Processing
        && now - record.updated_at > Duration::minutes(PROCESSING_LEASE_MINUTES);
    if record.status == ImportStatus::Processing && !stale {
        // Another delivery is at work (or crashed lately): come back after its lease.
        return Err(AppError::Conflict {
            message: format!(
                "L'import {import_id} est en cours de traitement ; réessayez plus tard."
            ),
            current: serde_json::Value::Null,
        });
    }
    if record.status != ImportStatus::AwaitingUpload && !stale {
        return Ok(None);
    }
    let today = crate::domain::time::paris_date(importer.clock.now());
    let caller = for_user(
        importer.storage,
        &tenant,
        &record.created_by,
        request_id,
        today,
    )
    .await;
    let caller = match caller {
        Ok(caller) => caller,
        // The requester left or lost the tenant: the import fails for good,
        // saying why; anything else (the store) is tried again.
        Err(AppError::Forbidden(reason)) => {
            record.status = ImportStatus::Failed;
            record.message = Some(reason);
            record.updated_at = now;
            save(
                importer.storage,
                &tenant,
                RecordKind::Import,
                &import_id,
                &record,
                Some(version),
                import_expiry(&record),
            )
            .await?;
            return Ok(Some(record));
        }
        Err(e) => return Err(e),
    };
    // Taking the record to Processing is the claim: a concurrent delivery loses here.
    record.status = ImportStatus::Processing;
    record.updated_at = now;
    let version = save(
        importer.storage,
        &tenant,
        RecordKind::Import,
        &import_id,
        &record,
        Some(version),
        import_expiry(&record),
    )
    .await?;
    let Some(bytes) = read_blob(importer.blobs, &importer.settings.bucket, key).await? else {
        return Err(AppError::Internal(format!(
            "{key} vanished before it was read"
        )));
    };
    importer
        .process(&caller, record, version, &bytes)
        .await
        .map(Some)
}
