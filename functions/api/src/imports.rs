//! Excel imports: vehicles, drivers, assignments, and the fleet refresh
//! (upload the full current fleet, see the diff, then apply it).
//!
//! Small workbooks come inline (`POST /imports?kind=…`); large ones through
//! a presigned S3 upload (`POST /uploads`), processed by the import worker
//! with the same `Importer`. Either way an import record tells the status,
//! the progress and every refused cell (row, column, reason). Nothing is
//! applied from a workbook with errors unless `partial=true` was asked.

use crate::assignments::{check_against, StoredAssignment};
use crate::caller::Caller;
use crate::entities::{all as all_entities, resolver, Entity};
use crate::http::{ApiError, ApiRequest, ApiResponse, ApiResult, XLSX};
use crate::records::{load, load_all, new_id, save};
use crate::{json_body, Api, Config, MAX_INLINE_BODY};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use designa::domain::access::Action;
use designa::domain::assignment::Assignment;
use designa::domain::driver::Driver;
use designa::domain::time::paris_date;
use designa::domain::{EntityId, TenantId};
use designa::excel::{assignments::read_assignments, drivers::read_drivers, fleet::read_fleet};
use designa::excel::{RowError, WorkbookError};
use designa::fleet::diff_fleet;
use designa::ports::{read_blob, BlobStore, Clock, Storage};
use designa::store::{RecordKind, Vehicle};
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
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Vehicles,
    Drivers,
    Assignments,
    FleetRefresh,
}

impl ImportKind {
    fn parse(value: &str) -> Result<ImportKind, ApiError> {
        serde_json::from_value(json!(value)).map_err(|_| {
            ApiError::field(
                "kind",
                format!("'{value}' is not an import kind (vehicles, drivers, assignments, fleet_refresh)"),
            )
        })
    }

    fn action(self) -> Action {
        match self {
            ImportKind::Vehicles | ImportKind::FleetRefresh => Action::WriteFleet,
            ImportKind::Drivers => Action::WriteDrivers,
            ImportKind::Assignments => Action::WriteAssignments,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct ReportedError {
    pub row: usize,
    pub column: String,
    pub reason: String,
}

impl From<&RowError> for ReportedError {
    fn from(e: &RowError) -> Self {
        ReportedError {
            row: e.row,
            column: e.column.to_string(),
            reason: e.reason.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// An import record, with its row report, is kept 30 days after it was
/// started, as its uploaded workbook is (S3 lifecycle); the purge then
/// deletes the workbook and the diff with it.
pub const IMPORT_RECORD_DAYS: u64 = 30;

fn import_expiry(record: &ImportRecord) -> Option<i64> {
    Some(designa::store::epoch_after(
        record.created_at,
        IMPORT_RECORD_DAYS,
    ))
}

/// The fleet-refresh diff kept beside the import (it can exceed an item's size).
fn diff_key(tenant: &TenantId, import_id: &str) -> String {
    format!("import-results/{tenant}/{import_id}.json")
}

/// The upload key of an import: `<prefix><tenant>/<import id>.xlsx`.
pub fn upload_key(config: &Config, tenant: &TenantId, import_id: &str) -> String {
    format!("{}{tenant}/{import_id}.xlsx", config.imports_prefix)
}

/// The tenant and import id an uploaded key belongs to.
pub fn parse_upload_key(config: &Config, key: &str) -> Option<(TenantId, String)> {
    let rest = key.strip_prefix(&config.imports_prefix)?;
    let (tenant, file) = rest.split_once('/')?;
    let import_id = file.strip_suffix(".xlsx")?;
    (designa::domain::tenant::is_valid_tenant_id(tenant)
        && !import_id.is_empty()
        && import_id.bytes().all(|b| b.is_ascii_alphanumeric()))
    .then(|| (TenantId(tenant.into()), import_id.into()))
}

/// Runs imports with the ports it needs; shared by the API and the worker.
pub struct Importer<'a, S, B, C> {
    pub storage: &'a S,
    pub blobs: &'a B,
    pub clock: &'a C,
    pub config: &'a Config,
}

impl<'a, S: Storage, B: BlobStore, C: Clock> Importer<'a, S, B, C> {
    async fn write(
        &self,
        caller: &Caller,
        record: &ImportRecord,
        version: u64,
    ) -> Result<u64, ApiError> {
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
    ) -> Result<ImportRecord, ApiError> {
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
                "{} refused cells; nothing was applied (fix them, or import again with partial=true)",
                errors.len()
            ));
            record.updated_at = self.clock.now();
            self.write(caller, &record, version).await?;
            return Ok(record);
        }
        match rows {
            Rows::Fleet(rows) if record.kind == ImportKind::FleetRefresh => {
                let current: Vec<Vehicle> = self
                    .storage
                    .vehicles(caller.tenant_id())
                    .await?
                    .into_iter()
                    .filter(|v| {
                        caller
                            .principal
                            .can(action, caller.tenant_id(), &v.entity_id)
                    })
                    .collect();
                let diff = diff_fleet(&current, &rows, paris_date(self.clock.now()), &entity_of);
                self.blobs
                    .put(
                        &self.config.bucket,
                        &diff_key(caller.tenant_id(), &record.import_id),
                        serde_json::to_vec(&diff).expect("diffs serialize"),
                        "application/json",
                    )
                    .await?;
                record.diff = Some(DiffCounts {
                    added: diff.added.len(),
                    changed: diff.changed.len(),
                    leaving: diff.leaving.len(),
                });
                record.status = ImportStatus::AwaitingApply;
            }
            Rows::Fleet(rows) => {
                let existing = self.storage.vehicles(caller.tenant_id()).await?;
                let now = self.clock.now();
                let vehicles: Vec<Vehicle> = rows
                    .iter()
                    .map(|row| {
                        let current = existing.iter().find(|v| {
                            v.plate.key() == row.plate.key()
                                && v.exit_on.is_none_or(|exit| exit >= row.entry_on)
                        });
                        Vehicle {
                            tenant_id: caller.tenant_id().clone(),
                            entity_id: entity_of(&row.entity).expect("checked while reading"),
                            vehicle_id: current.map_or_else(new_id, |v| v.vehicle_id.clone()),
                            plate: row.plate.clone(),
                            make: row.make.to_uppercase(),
                            model: row.model.to_uppercase(),
                            entry_on: row.entry_on,
                            exit_on: row.exit_on,
                            pool: current.is_some_and(|v| v.pool),
                        }
                    })
                    .collect();
                // Distinct plates touch distinct holdings: writes run side by side.
                for (chunk, batch) in vehicles.chunks(PROGRESS_EVERY).enumerate() {
                    for wave in batch.chunks(self.config.write_concurrency.max(1)) {
                        let writes: Vec<_> = wave
                            .iter()
                            .map(|vehicle| self.storage.put_vehicle(vehicle, now))
                            .collect();
                        futures::future::try_join_all(writes).await?;
                    }
                    let done = (chunk * PROGRESS_EVERY + batch.len()).min(vehicles.len());
                    version = self.progress(caller, &mut record, version, done).await?;
                }
                record.status = ImportStatus::Done;
            }
            Rows::Drivers(rows) => {
                let existing: Vec<Driver> =
                    load_all(self.storage, caller.tenant_id(), RecordKind::Driver).await?;
                for (i, row) in rows.iter().enumerate() {
                    let entity_id = entity_of(&row.entity).expect("checked while reading");
                    let same = |d: &&Driver| {
                        d.entity_id == entity_id
                            && d.last_name.to_lowercase() == row.last_name.to_lowercase()
                            && d.first_name.to_lowercase() == row.first_name.to_lowercase()
                            && d.address.postcode == row.address.postcode
                    };
                    // The same person imported twice is updated, not duplicated.
                    let (driver_id, read) = match existing.iter().find(same) {
                        Some(d) => {
                            let current: Option<(Driver, u64)> = load(
                                self.storage,
                                caller.tenant_id(),
                                RecordKind::Driver,
                                &d.driver_id,
                            )
                            .await?;
                            (d.driver_id.clone(), current.map(|(_, v)| v))
                        }
                        None => (new_id(), None),
                    };
                    let driver = Driver {
                        tenant_id: caller.tenant_id().clone(),
                        entity_id,
                        driver_id: driver_id.clone(),
                        last_name: row.last_name.clone(),
                        first_name: row.first_name.clone(),
                        address: row.address.clone(),
                        personal_email: row.personal_email.clone(),
                        professional_email: row.professional_email.clone(),
                        restricted: false,
                    };
                    save(
                        self.storage,
                        caller.tenant_id(),
                        RecordKind::Driver,
                        &driver_id,
                        &driver,
                        read,
                        None,
                    )
                    .await?;
                    version = self.progress(caller, &mut record, version, i + 1).await?;
                }
                record.status = ImportStatus::Done;
            }
            Rows::Planning(rows) => {
                for (i, stored) in rows.iter().enumerate() {
                    let id = &stored.assignment.assignment_id;
                    let exists = self
                        .storage
                        .record(caller.tenant_id(), RecordKind::Assignment, id)
                        .await?
                        .is_some();
                    if !exists {
                        save(
                            self.storage,
                            caller.tenant_id(),
                            RecordKind::Assignment,
                            id,
                            stored,
                            None,
                            None,
                        )
                        .await?;
                    }
                    version = self.progress(caller, &mut record, version, i + 1).await?;
                }
                record.status = ImportStatus::Done;
            }
        }
        record.rows_done = record.rows_total;
        record.updated_at = self.clock.now();
        self.write(caller, &record, version).await?;
        crate::journal::record_with(
            self.storage,
            self.clock,
            caller,
            "import",
            format!("import:{}", record.import_id),
        )
        .await?;
        Ok(record)
    }

    async fn progress(
        &self,
        caller: &Caller,
        record: &mut ImportRecord,
        version: u64,
        done: usize,
    ) -> Result<u64, ApiError> {
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
    ) -> Result<ImportRecord, ApiError> {
        record.status = ImportStatus::Failed;
        record.message = Some(error.to_string());
        record.updated_at = self.clock.now();
        self.write(caller, &record, version).await?;
        Ok(record)
    }

    /// Reads a planning workbook and checks each row against the vehicle's
    /// assignments (stored and earlier rows), so nothing half-applies.
    async fn read_planning(
        &self,
        caller: &Caller,
        bytes: &[u8],
    ) -> Result<Result<(Rows, Vec<RowError>), WorkbookError>, ApiError> {
        let vehicles: Vec<Vehicle> = self
            .storage
            .vehicles(caller.tenant_id())
            .await?
            .into_iter()
            .filter(|v| {
                caller
                    .principal
                    .can(Action::WriteAssignments, caller.tenant_id(), &v.entity_id)
            })
            .collect();
        let drivers: Vec<Driver> = load_all(self.storage, caller.tenant_id(), RecordKind::Driver)
            .await?
            .into_iter()
            .filter(|d: &Driver| {
                caller
                    .principal
                    .can(Action::ReadDrivers, caller.tenant_id(), &d.entity_id)
            })
            .collect();
        let mut existing: Vec<StoredAssignment> =
            load_all(self.storage, caller.tenant_id(), RecordKind::Assignment).await?;
        let vehicle_of = |plate: &designa::domain::Plate| {
            vehicles
                .iter()
                .filter(|v| v.plate.key() == plate.key())
                .max_by_key(|v| v.entry_on)
                .map(|v| v.vehicle_id.clone())
                .ok_or_else(|| format!("{} is not one of your vehicles", plate.display()))
        };
        let driver_of = |last: &str, first: &str, email: &str| {
            let named: Vec<&Driver> = drivers
                .iter()
                .filter(|d| {
                    d.last_name.to_lowercase() == last.to_lowercase()
                        && d.first_name.to_lowercase() == first.to_lowercase()
                })
                .collect();
            let email = email.trim().to_lowercase();
            let chosen: Vec<&&Driver> = named
                .iter()
                .filter(|d| {
                    email.is_empty()
                        || [&d.personal_email, &d.professional_email]
                            .iter()
                            .any(|e| e.as_deref().map(str::to_lowercase) == Some(email.clone()))
                })
                .collect();
            match chosen.as_slice() {
                [one] => Ok(one.driver_id.clone()),
                [] => Err(format!("no driver {first} {last} in your drivers")),
                _ => Err(format!(
                    "several drivers are named {first} {last}: add their e-mail"
                )),
            }
        };
        let read = match read_assignments(bytes, vehicle_of, driver_of) {
            Ok(read) => read,
            Err(e) => return Ok(Err(e)),
        };
        let mut errors = read.errors;
        let mut rows = Vec::new();
        for row in read.rows {
            let vehicle = vehicles
                .iter()
                .find(|v| v.vehicle_id == row.vehicle_id)
                .expect("resolved above");
            // Re-importing the same planning finds the same ids: idempotent.
            let assignment = Assignment {
                assignment_id: planning_id(&row.vehicle_id, &row.driver_id, row.from),
                vehicle_id: row.vehicle_id.clone(),
                driver_id: row.driver_id.clone(),
                from: row.from,
                until: row.until,
            };
            if existing
                .iter()
                .any(|a| a.assignment.assignment_id == assignment.assignment_id)
            {
                continue;
            }
            match check_against(&assignment, vehicle, &existing) {
                Ok(()) => {
                    let stored = StoredAssignment {
                        assignment,
                        entity_id: vehicle.entity_id.clone(),
                    };
                    existing.push(stored.clone());
                    rows.push(stored);
                }
                Err(e) => errors.push(RowError {
                    row: row.row,
                    column: designa::excel::assignments::FROM,
                    reason: e.to_string(),
                }),
            }
        }
        errors.sort_by_key(|e| e.row);
        Ok(Ok((Rows::Planning(rows), errors)))
    }
}

/// A planning row's id: the same vehicle, driver and start give the same id.
fn planning_id(vehicle_id: &str, driver_id: &str, from: DateTime<Utc>) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{vehicle_id}|{driver_id}|{}", from.timestamp()));
    hex::encode(&digest[..16])
}

/// A stored diff read back for its apply (`FleetDiff` as JSON).
#[derive(Deserialize)]
struct StoredDiff {
    added: Vec<StoredRow>,
    changed: Vec<StoredChange>,
    leaving: Vec<Vehicle>,
}

#[derive(Deserialize)]
struct StoredRow {
    plate: designa::domain::Plate,
    make: String,
    model: String,
    entity: String,
    entry_on: NaiveDate,
    exit_on: Option<NaiveDate>,
}

#[derive(Deserialize)]
struct StoredChange {
    current: Vehicle,
    uploaded: StoredRow,
}

enum Rows {
    Fleet(Vec<designa::excel::fleet::FleetRow>),
    Drivers(Vec<designa::excel::drivers::DriverRow>),
    Planning(Vec<StoredAssignment>),
}

fn new_record(
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

impl<S: Storage, B: BlobStore, I, M, C: Clock> Api<S, B, I, M, C> {
    pub fn importer(&self) -> Importer<'_, S, B, C> {
        Importer {
            storage: &self.storage,
            blobs: &self.blobs,
            clock: &self.clock,
            config: &self.config,
        }
    }
}

/// `POST /imports?kind=…&partial=…` with the workbook as the body.
pub async fn import_inline<S: Storage, B: BlobStore, I, M, C: Clock>(
    api: &Api<S, B, I, M, C>,
    request: &ApiRequest,
    caller: &Caller,
) -> ApiResult {
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
pub async fn start_upload<S: Storage, B: BlobStore, I, M, C: Clock>(
    api: &Api<S, B, I, M, C>,
    request: &ApiRequest,
    caller: &Caller,
) -> ApiResult {
    let input: UploadInput = json_body(request)?;
    caller.scope(input.kind.action())?;
    let mut record = new_record(caller, input.kind, input.partial, api.clock.now());
    record.status = ImportStatus::AwaitingUpload;
    let key = upload_key(&api.config, caller.tenant_id(), &record.import_id);
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
            &api.config.bucket,
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

/// The worker's entry: processes an uploaded workbook once. Returns `None`
/// when there is nothing to do (unknown key, or already processed).
pub async fn process_upload<S: Storage, B: BlobStore, C: Clock>(
    importer: &Importer<'_, S, B, C>,
    key: &str,
    request_id: &str,
) -> Result<Option<ImportRecord>, ApiError> {
    let Some((tenant, import_id)) = parse_upload_key(importer.config, key) else {
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
        return Err(ApiError::Conflict {
            message: format!("import {import_id} is being processed; retry after its lease"),
            current: serde_json::Value::Null,
        });
    }
    if record.status != ImportStatus::AwaitingUpload && !stale {
        return Ok(None);
    }
    let caller =
        crate::caller::for_user(importer.storage, &tenant, &record.created_by, request_id).await;
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => {
            record.status = ImportStatus::Failed;
            record.message = Some(e.to_string());
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
    let Some(bytes) = read_blob(importer.blobs, &importer.config.bucket, key).await? else {
        return Err(ApiError::Internal(format!(
            "{key} vanished before it was read"
        )));
    };
    importer
        .process(&caller, record, version, &bytes)
        .await
        .map(Some)
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
async fn view<S: Storage, B: BlobStore, I, M, C>(
    api: &Api<S, B, I, M, C>,
    caller: &Caller,
    record: &ImportRecord,
) -> Result<serde_json::Value, ApiError> {
    let mut value = serde_json::to_value(record).expect("records serialize");
    if record.status == ImportStatus::AwaitingApply {
        let diff = load_diff(api, caller, &record.import_id).await?;
        value["changes"] = serde_json::to_value(diff).expect("diffs serialize");
    }
    Ok(value)
}

async fn load_diff<S: Storage, B: BlobStore, I, M, C>(
    api: &Api<S, B, I, M, C>,
    caller: &Caller,
    import_id: &str,
) -> Result<serde_json::Value, ApiError> {
    let key = diff_key(caller.tenant_id(), import_id);
    let bytes = read_blob(&api.blobs, &api.config.bucket, &key)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("the diff {key} is missing")))?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::Internal(format!("{key}: {e}")))
}

pub async fn get<S: Storage, B: BlobStore, I, M, C: Clock>(
    api: &Api<S, B, I, M, C>,
    caller: &Caller,
    import_id: &str,
) -> ApiResult {
    let (record, _) = visible_import(&api.storage, caller, import_id).await?;
    Ok(ApiResponse::json(200, &view(api, caller, &record).await?))
}

pub async fn list<S: Storage, B, I, M, C>(api: &Api<S, B, I, M, C>, caller: &Caller) -> ApiResult {
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
pub async fn apply<S: Storage, B: BlobStore, I, M, C: Clock>(
    api: &Api<S, B, I, M, C>,
    request: &ApiRequest,
    caller: &Caller,
    import_id: &str,
) -> ApiResult {
    let (mut record, version) = visible_import(&api.storage, caller, import_id).await?;
    if record.kind != ImportKind::FleetRefresh {
        return Err(ApiError::Conflict {
            message: "only a fleet refresh is applied in a second step".into(),
            current: serde_json::to_value(&record).expect("records serialize"),
        });
    }
    match record.status {
        ImportStatus::Applied => return Ok(ApiResponse::json(200, &record)),
        ImportStatus::AwaitingApply => {}
        _ => {
            return Err(ApiError::Conflict {
                message: "this import has no diff waiting to be applied".into(),
                current: serde_json::to_value(&record).expect("records serialize"),
            })
        }
    }
    let input: ApplyInput = if request.body.is_empty() {
        ApplyInput::default()
    } else {
        json_body(request)?
    };
    let now = api.clock.now();
    let exit_on = input.exit_on.unwrap_or_else(|| paris_date(now));
    let diff: StoredDiff = serde_json::from_value(load_diff(api, caller, import_id).await?)
        .map_err(|e| ApiError::Internal(format!("stored diff: {e}")))?;
    // The transition is the claim: a second apply meanwhile gets a conflict.
    record.status = ImportStatus::Processing;
    record.updated_at = now;
    let version = save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Import,
        import_id,
        &record,
        Some(version),
        import_expiry(&record),
    )
    .await?;
    let entities = all_entities(&api.storage, caller.tenant_id()).await?;
    let entity_of = resolver(&entities);
    let mut applied = 0;
    let resolve = |typed: &str| -> Result<EntityId, ApiError> {
        let id = entity_of(typed).ok_or_else(|| ApiError::NotFound("entity".into()))?;
        caller.require(Action::WriteFleet, &id, "entity")?;
        Ok(id)
    };
    for row in &diff.added {
        let vehicle = Vehicle {
            tenant_id: caller.tenant_id().clone(),
            entity_id: resolve(&row.entity)?,
            vehicle_id: new_id(),
            plate: row.plate.clone(),
            make: row.make.to_uppercase(),
            model: row.model.to_uppercase(),
            entry_on: row.entry_on,
            exit_on: row.exit_on,
            pool: false,
        };
        api.storage.put_vehicle(&vehicle, now).await?;
        applied += 1;
    }
    for change in &diff.changed {
        let mut vehicle = change.current.clone();
        caller.require(Action::WriteFleet, &vehicle.entity_id, "vehicle")?;
        vehicle.entity_id = resolve(&change.uploaded.entity)?;
        vehicle.make = change.uploaded.make.to_uppercase();
        vehicle.model = change.uploaded.model.to_uppercase();
        vehicle.entry_on = change.uploaded.entry_on;
        vehicle.exit_on = change.uploaded.exit_on;
        api.storage.put_vehicle(&vehicle, now).await?;
        applied += 1;
    }
    for leaving in &diff.leaving {
        let mut vehicle = leaving.clone();
        caller.require(Action::WriteFleet, &vehicle.entity_id, "vehicle")?;
        vehicle.exit_on = Some(exit_on.max(vehicle.entry_on));
        api.storage.put_vehicle(&vehicle, now).await?;
        applied += 1;
    }
    record.status = ImportStatus::Applied;
    record.rows_done = applied;
    record.updated_at = api.clock.now();
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Import,
        import_id,
        &record,
        Some(version),
        import_expiry(&record),
    )
    .await?;
    crate::journal::record(api, caller, "apply", format!("import:{import_id}")).await?;
    Ok(ApiResponse::json(200, &record))
}
