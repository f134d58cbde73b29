//! A fleet refresh: the workbook is the whole fleet as it is now. Reading it
//! keeps the difference with the stored fleet (added, changed, leaving)
//! beside the import; a second step applies it, once.

use super::{plate_refused, report, DiffCounts, ImportKind, ImportRecord, ImportStatus, Importer};
use crate::app::caller::Caller;
use crate::app::entities::{all as all_entities, resolver};
use crate::app::error::{AppError, Resource};
use crate::app::layout::import_diff_key;
use crate::app::records::new_id;
use crate::app::vehicles::put_vehicle;
use crate::domain::access::Action;
use crate::domain::time::paris_date;
use crate::domain::{EntityId, TenantId};
use crate::excel::fleet::FleetRow;
use crate::fleet::diff_fleet;
use crate::ports::{read_blob, BlobStore, Clock, Storage};
use crate::store::Vehicle;
use chrono::NaiveDate;
use serde::Deserialize;

/// A stored diff read back for its apply (`FleetDiff` as JSON).
#[derive(Deserialize)]
struct StoredDiff {
    added: Vec<StoredRow>,
    changed: Vec<StoredChange>,
    leaving: Vec<Vehicle>,
}

#[derive(Deserialize)]
struct StoredRow {
    /// Its row in the uploaded workbook (0 in diffs stored before it was read).
    #[serde(default)]
    row: usize,
    plate: crate::domain::Plate,
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

impl<S: Storage, B: BlobStore, C: Clock> Importer<'_, S, B, C> {
    /// Keeps the diff beside the import, which then awaits its apply.
    pub(super) async fn prepare_refresh(
        &self,
        caller: &Caller,
        record: &mut ImportRecord,
        version: u64,
        rows: &[FleetRow],
        entity_of: &impl Fn(&str) -> Option<EntityId>,
    ) -> Result<u64, AppError> {
        let action = record.kind.action();
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
        let diff = diff_fleet(&current, rows, paris_date(self.clock.now()), entity_of);
        self.blobs
            .put(
                &self.settings.bucket,
                &import_diff_key(caller.tenant_id(), &record.import_id),
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
        Ok(version)
    }

    /// Applies a refresh's diff (at `version`, awaiting its apply); leaving
    /// vehicles exit on `exit_on`, today (Paris) by default. Applying an
    /// applied refresh again changes nothing.
    pub async fn apply_refresh(
        &self,
        caller: &Caller,
        mut record: ImportRecord,
        version: u64,
        exit_on: Option<NaiveDate>,
    ) -> Result<ImportRecord, AppError> {
        if record.kind != ImportKind::FleetRefresh {
            return Err(AppError::Conflict {
                message: "Seule une mise à jour de la flotte s'applique en deux temps.".into(),
                current: serde_json::to_value(&record).expect("records serialize"),
            });
        }
        match record.status {
            ImportStatus::Applied => return Ok(record),
            ImportStatus::AwaitingApply => {}
            _ => {
                return Err(AppError::Conflict {
                    message: "Cet import n'a pas de différence en attente d'application.".into(),
                    current: serde_json::to_value(&record).expect("records serialize"),
                })
            }
        }
        let now = self.clock.now();
        let exit_on = exit_on.unwrap_or_else(|| paris_date(now));
        let diff = load_diff(
            self.blobs,
            self.settings,
            caller.tenant_id(),
            &record.import_id,
        )
        .await?;
        let diff: StoredDiff = serde_json::from_value(diff)
            .map_err(|e| AppError::Internal(format!("stored diff: {e}")))?;
        // The transition is the claim: a second apply meanwhile gets a conflict.
        record.status = ImportStatus::Processing;
        record.updated_at = now;
        let version = self.write(caller, &record, version).await?;
        record.rows_done = self.apply_diff(caller, &mut record, &diff, exit_on).await?;
        record.status = ImportStatus::Applied;
        self.finish(caller, record, version, "apply").await
    }

    /// Writes every vehicle the diff touches; returns how many, and reports
    /// those whose plate another vehicle took meanwhile.
    async fn apply_diff(
        &self,
        caller: &Caller,
        record: &mut ImportRecord,
        diff: &StoredDiff,
        exit_on: NaiveDate,
    ) -> Result<usize, AppError> {
        let entities = all_entities(self.storage, caller.tenant_id()).await?;
        let entity_of = resolver(&entities);
        let resolve = |typed: &str| -> Result<EntityId, AppError> {
            let id = entity_of(typed).ok_or(AppError::NotFound(Resource::Entity))?;
            caller.require(Action::WriteFleet, &id, Resource::Entity)?;
            Ok(id)
        };
        let mut applied = 0;
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
                removed_on: None,
            };
            applied += self.apply_row(record, row.row, &vehicle).await?;
        }
        for change in &diff.changed {
            let mut vehicle = change.current.clone();
            caller.require(Action::WriteFleet, &vehicle.entity_id, Resource::Vehicle)?;
            vehicle.entity_id = resolve(&change.uploaded.entity)?;
            vehicle.make = change.uploaded.make.to_uppercase();
            vehicle.model = change.uploaded.model.to_uppercase();
            vehicle.entry_on = change.uploaded.entry_on;
            vehicle.exit_on = change.uploaded.exit_on;
            applied += self
                .apply_row(record, change.uploaded.row, &vehicle)
                .await?;
        }
        for leaving in &diff.leaving {
            let mut vehicle = leaving.clone();
            caller.require(Action::WriteFleet, &vehicle.entity_id, Resource::Vehicle)?;
            vehicle.exit_on = Some(exit_on.max(vehicle.entry_on));
            // Not in the upload: no row to name (and an earlier exit frees the plate).
            applied += self.apply_row(record, 0, &vehicle).await?;
        }
        Ok(applied)
    }

    /// 1 if written; 0, reported against `row`, if its plate was refused.
    async fn apply_row(
        &self,
        record: &mut ImportRecord,
        row: usize,
        vehicle: &Vehicle,
    ) -> Result<usize, AppError> {
        match put_vehicle(self.storage, self.clock, vehicle).await? {
            Ok(()) => Ok(1),
            Err(refusal) => {
                report(record, plate_refused(row, &refusal, vehicle));
                Ok(0)
            }
        }
    }
}

/// The diff kept beside a refresh import, as JSON.
pub async fn load_diff<B: BlobStore>(
    blobs: &B,
    settings: &super::ImportSettings,
    tenant: &TenantId,
    import_id: &str,
) -> Result<serde_json::Value, AppError> {
    let key = import_diff_key(tenant, import_id);
    let bytes = read_blob(blobs, &settings.bucket, &key)
        .await?
        .ok_or_else(|| AppError::Internal(format!("the diff {key} is missing")))?;
    serde_json::from_slice(&bytes).map_err(|e| AppError::Internal(format!("{key}: {e}")))
}
