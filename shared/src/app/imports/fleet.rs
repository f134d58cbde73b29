//! A fleet matrix import: each row adds a vehicle, or updates the one that
//! already holds the plate over that period; a row whose plate another
//! customer holds is reported, the others applied.

use super::{plate_refused, report, ImportRecord, ImportStatus, Importer, PROGRESS_EVERY};
use crate::app::caller::Caller;
use crate::app::error::AppError;
use crate::app::records::new_id;
use crate::app::vehicles::put_vehicle;
use crate::domain::EntityId;
use crate::excel::fleet::FleetRow;
use crate::ports::{BlobStore, Clock, Storage};
use crate::store::Vehicle;

impl<S: Storage, B: BlobStore, C: Clock> Importer<'_, S, B, C> {
    pub(super) async fn apply_vehicles(
        &self,
        caller: &Caller,
        record: &mut ImportRecord,
        mut version: u64,
        rows: &[FleetRow],
        entity_of: &impl Fn(&str) -> Option<EntityId>,
    ) -> Result<u64, AppError> {
        let existing = self.storage.vehicles(caller.tenant_id()).await?;
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
                    removed_on: None,
                }
            })
            .collect();
        // Distinct plates touch distinct holdings: writes run side by side.
        let rows_and_vehicles: Vec<(usize, Vehicle)> =
            rows.iter().map(|r| r.row).zip(vehicles).collect();
        let total = rows_and_vehicles.len();
        for (chunk, batch) in rows_and_vehicles.chunks(PROGRESS_EVERY).enumerate() {
            for wave in batch.chunks(self.settings.write_concurrency.max(1)) {
                let writes = wave
                    .iter()
                    .map(|(_, vehicle)| put_vehicle(self.storage, self.clock, vehicle));
                let outcomes = futures::future::try_join_all(writes).await?;
                for ((row, vehicle), outcome) in wave.iter().zip(outcomes) {
                    if let Err(refusal) = outcome {
                        report(record, plate_refused(*row, &refusal, vehicle));
                    }
                }
            }
            let done = (chunk * PROGRESS_EVERY + batch.len()).min(total);
            version = self.progress(caller, record, version, done).await?;
        }
        record.status = ImportStatus::Done;
        Ok(version)
    }
}
