//! A drivers workbook import: the same person imported twice (same entity,
//! names and postcode) is updated, not duplicated.

use super::{ImportRecord, ImportStatus, Importer};
use crate::app::caller::Caller;
use crate::app::error::AppError;
use crate::app::records::{load, load_all, new_id, save};
use crate::domain::driver::Driver;
use crate::domain::EntityId;
use crate::excel::drivers::DriverRow;
use crate::ports::{BlobStore, Clock, Storage};
use crate::store::RecordKind;

impl<S: Storage, B: BlobStore, C: Clock> Importer<'_, S, B, C> {
    pub(super) async fn apply_drivers(
        &self,
        caller: &Caller,
        record: &mut ImportRecord,
        mut version: u64,
        rows: &[DriverRow],
        entity_of: &impl Fn(&str) -> Option<EntityId>,
    ) -> Result<u64, AppError> {
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
                objected: false,
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
            version = self.progress(caller, record, version, i + 1).await?;
        }
        record.status = ImportStatus::Done;
        Ok(version)
    }
}
