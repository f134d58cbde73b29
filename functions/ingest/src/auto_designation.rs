//! Automatic designation (tenant opt-in): a new notice whose vehicle had
//! exactly one driver assigned at the offence time is stored with that
//! designation prepared, pending in its grace window like any answer, so a
//! fleet manager can still change or withdraw it. Otherwise the assigned
//! drivers stay suggestions (API notice detail).

use super::*;
use designa::answering::{submit, Submission};
use designa::domain::answer::AUTOMATIC;
use designa::domain::assignment::{automatic_designation, Assignment};
use designa::domain::driver::Driver;
use designa::domain::TenantId;
use designa::store::RecordKind;

impl<B: BlobStore, S: Storage + AnswerStore, Q: Queue, C: Clock, M: Mailer> Ingest<B, S, Q, C, M> {
    /// Prepares the designations of `notices` for tenants that asked for it;
    /// returns how many were prepared.
    pub(crate) async fn designate_automatically(
        &self,
        notices: &mut [StoredNotice],
        now: DateTime<Utc>,
    ) -> Result<usize, IngestError> {
        let tenants: HashSet<TenantId> = notices.iter().map(|n| n.tenant_id.clone()).collect();
        let mut prepared = 0;
        for tenant_id in tenants {
            let Some(tenant) = self.storage.tenant(&tenant_id).await? else {
                continue;
            };
            if !tenant.settings.auto_designation {
                continue;
            }
            let assignments: Vec<Assignment> = decode_all(
                self.storage
                    .records(&tenant_id, RecordKind::Assignment)
                    .await?,
            );
            let drivers: HashMap<String, Driver> =
                decode_all::<Driver>(self.storage.records(&tenant_id, RecordKind::Driver).await?)
                    .into_iter()
                    .map(|d| (d.driver_id.clone(), d))
                    .collect();
            for notice in notices.iter_mut().filter(|n| n.tenant_id == tenant_id) {
                let at = notice.notice.offence_at_utc();
                let Some(driver) = automatic_designation(&assignments, &notice.vehicle_id, at)
                    .and_then(|id| drivers.get(id))
                    // A driver whose processing is restricted, or who
                    // objected to it, stays a suggestion.
                    .filter(|d| !d.restricted && !d.objected)
                else {
                    continue;
                };
                let submission = Submission {
                    body: AnswerBody::Designation(driver.designated()),
                    driver_id: Some(driver.driver_id.clone()),
                    by: AUTOMATIC.into(),
                    notify_driver: None,
                };
                if submit(notice, submission, &tenant.settings, now).is_ok() {
                    prepared += 1;
                }
            }
            info!(tenant_id = %tenant_id, prepared, "automatic designations prepared");
        }
        Ok(prepared)
    }
}

/// Decodes records, skipping (and logging) any that no longer map.
fn decode_all<T: serde::de::DeserializeOwned>(records: Vec<designa::store::Record>) -> Vec<T> {
    records
        .into_iter()
        .filter_map(|r| match r.decode() {
            Ok(v) => Some(v),
            Err(e) => {
                error!(record_id = %r.id, error = %e, "stored record does not map; skipped");
                None
            }
        })
        .collect()
}
