//! A planning workbook import: each row assigns a driver to a vehicle over a
//! period, checked against the vehicle's assignments (stored and earlier
//! rows) so nothing half-applies; re-importing the same planning finds the
//! same ids.

use super::{ImportRecord, ImportStatus, Importer, Rows};
use crate::app::assignments::{check_overlaps, StoredAssignment};
use crate::app::caller::Caller;
use crate::app::error::AppError;
use crate::app::records::{load_all, save};
use crate::domain::access::Action;
use crate::domain::assignment::Assignment;
use crate::domain::driver::Driver;
use crate::domain::ReasonCode;
use crate::excel::assignments::read_assignments;
use crate::excel::{RowError, WorkbookError};
use crate::ports::{BlobStore, Clock, Storage};
use crate::store::{RecordKind, Vehicle};
use chrono::{DateTime, Utc};

impl<S: Storage, B: BlobStore, C: Clock> Importer<'_, S, B, C> {
    /// Reads a planning workbook and checks each row against the vehicle's
    /// assignments (stored and earlier rows), so nothing half-applies.
    pub(super) async fn read_planning(
        &self,
        caller: &Caller,
        bytes: &[u8],
    ) -> Result<Result<(Rows, Vec<RowError>), WorkbookError>, AppError> {
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
        let vehicle_of = |plate: &crate::domain::Plate| {
            vehicles
                .iter()
                .filter(|v| v.plate.key() == plate.key())
                .max_by_key(|v| v.entry_on)
                .map(|v| v.vehicle_id.clone())
                .ok_or_else(|| {
                    let reason = format!("{} n'est pas l'un de vos véhicules.", plate.display());
                    (ReasonCode::UnknownVehicle, reason)
                })
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
                [] => Err((
                    ReasonCode::UnknownDriver,
                    format!("Aucun de vos conducteurs ne s'appelle {first} {last}."),
                )),
                _ => Err((
                    ReasonCode::AmbiguousDriver,
                    format!(
                        "Plusieurs conducteurs s'appellent {first} {last} : indiquez leur adresse e-mail."
                    ),
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
            match check_overlaps(&assignment, vehicle, &existing) {
                Ok(()) => {
                    let stored = StoredAssignment {
                        assignment,
                        entity_id: vehicle.entity_id.clone(),
                    };
                    existing.push(stored.clone());
                    rows.push(stored);
                }
                Err(e) => errors.push(RowError::new(
                    row.row,
                    crate::excel::assignments::FROM,
                    e.code(),
                    e.to_string(),
                )),
            }
        }
        errors.sort_by_key(|e| e.row);
        Ok(Ok((Rows::Planning(rows), errors)))
    }

    pub(super) async fn apply_planning(
        &self,
        caller: &Caller,
        record: &mut ImportRecord,
        mut version: u64,
        rows: &[StoredAssignment],
    ) -> Result<u64, AppError> {
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
            version = self.progress(caller, record, version, i + 1).await?;
        }
        record.status = ImportStatus::Done;
        Ok(version)
    }
}

/// A planning row's id: the same vehicle, driver and start give the same id.
fn planning_id(vehicle_id: &str, driver_id: &str, from: DateTime<Utc>) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{vehicle_id}|{driver_id}|{}", from.timestamp()));
    hex::encode(&digest[..16])
}
