//! Writing a vehicle. Who holds a plate is decided by the store, under the
//! one condition that guards the plate's holdings (`domain::place_holding`);
//! this says a refusal in French, and keeps a claim on a plate that another
//! customer holds in the operators' list of conflicts, since it is either a
//! typing mistake, a hand-over the first holder has not declared, or an
//! attempt to capture another customer's notices.

use super::error::AppError;
use crate::domain::routing::DEFAULT_SMART_EXIT_GRACE_DAYS;
use crate::domain::time::{end_of_paris_day, paris_date};
use crate::domain::{HoldingConflict, TenantId};
use crate::notifications::PLATFORM;
use crate::ports::{Clock, Storage};
use crate::store::{epoch_after, Record, RecordKind, Vehicle};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tracing::warn;

/// How long operators see a conflict.
pub const CONFLICT_DAYS: u64 = 90;

/// Why a vehicle was not written.
#[derive(Debug, Clone, PartialEq)]
pub enum PlateRefusal {
    /// Another vehicle of the fleet holds the plate over part of the period
    /// (`None` if it went meanwhile).
    InFleet(Option<Box<Vehicle>>),
    /// Another customer holds it: never said which.
    Elsewhere,
}

impl PlateRefusal {
    /// For the fleet manager; names no other customer.
    pub fn message(&self, vehicle: &Vehicle) -> String {
        let plate = vehicle.plate.display();
        match self {
            PlateRefusal::InFleet(_) => {
                format!("L'immatriculation {plate} est déjà dans la flotte sur cette période.")
            }
            PlateRefusal::Elsewhere => format!(
                "L'immatriculation {plate} est déjà gérée par un autre client de designa sur cette période. \
                 Vérifiez la saisie ; si le véhicule vous a été cédé, son ancien gestionnaire doit d'abord \
                 indiquer sa date de sortie (votre date d'entrée doit la suivre). Le support designa est prévenu."
            ),
        }
    }
}

/// A claim on a plate another tenant holds, as operators list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlateConflict {
    pub plate: String,
    pub country: String,
    /// The tenant that tried to declare the plate.
    pub claimant: TenantId,
    /// The tenant whose holding refused it.
    pub holder: TenantId,
    pub claimed_from: NaiveDate,
    pub claimed_until: Option<NaiveDate>,
    /// The first attempt of the day (one record per plate, claimant and day).
    pub at: DateTime<Utc>,
}

/// Writes the vehicle and its holding, or says why not.
pub async fn put_vehicle<S: Storage>(
    storage: &S,
    clock: &impl Clock,
    vehicle: &Vehicle,
) -> Result<Result<(), PlateRefusal>, AppError> {
    let now = clock.now();
    match storage.put_vehicle(vehicle, now).await? {
        Ok(()) => Ok(Ok(())),
        Err(HoldingConflict::SameTenant { vehicle_id }) => {
            let holder = storage.vehicle(&vehicle.tenant_id, &vehicle_id).await?;
            Ok(Err(PlateRefusal::InFleet(holder.map(Box::new))))
        }
        Err(HoldingConflict::OtherTenant { tenant_id }) => {
            record_conflict(storage, vehicle, tenant_id, now).await?;
            Ok(Err(PlateRefusal::Elsewhere))
        }
    }
}

async fn record_conflict<S: Storage>(
    storage: &S,
    vehicle: &Vehicle,
    holder: TenantId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let conflict = PlateConflict {
        plate: vehicle.plate.display(),
        country: vehicle.plate.country.clone(),
        claimant: vehicle.tenant_id.clone(),
        holder,
        claimed_from: vehicle.entry_on,
        claimed_until: vehicle.exit_on,
        at: now,
    };
    warn!(
        tenant_id = %conflict.claimant.0,
        holder_tenant_id = %conflict.holder.0,
        "a plate held by another tenant was refused"
    );
    let id = format!(
        "{}#{}#{}",
        now.format("%Y-%m-%d"),
        vehicle.plate.key(),
        conflict.claimant.0
    );
    let mut record = Record::new(id, 1, &conflict);
    record.expires_at = Some(epoch_after(now, CONFLICT_DAYS));
    let platform = TenantId(PLATFORM.into());
    // Absent only: a second attempt the same day is the same conflict.
    storage
        .put_record(&platform, RecordKind::PlateConflict, &record, None)
        .await?;
    Ok(())
}

/// Takes a vehicle out of the fleet today (Paris). One that never entered
/// (entry ahead) goes at once. Otherwise it leaves today, or on its earlier
/// exit date: the next daily declaration says so (`SORTIE`), its holding
/// keeps routing older offences through the tenant's smart-exit grace, and
/// only then the table's TTL deletes it (the purge its holding).
pub async fn remove_vehicle<S: Storage>(
    storage: &S,
    clock: &impl Clock,
    vehicle: &Vehicle,
) -> Result<(), AppError> {
    let now = clock.now();
    let today = paris_date(now);
    if vehicle.entry_on > today {
        storage.delete_vehicle(vehicle).await?;
        return Ok(());
    }
    let grace = match storage.tenant(&vehicle.tenant_id).await? {
        Some(tenant) => tenant.settings.smart_exit_grace_days,
        None => DEFAULT_SMART_EXIT_GRACE_DAYS,
    };
    let exit = vehicle.exit_on.map_or(today, |exit| exit.min(today));
    let removed = Vehicle {
        exit_on: Some(exit),
        removed_on: Some(today),
        ..vehicle.clone()
    };
    let last_routed_day = exit
        .checked_add_days(Days::new(grace.into()))
        .unwrap_or(NaiveDate::MAX);
    let forget_at = end_of_paris_day(last_routed_day);
    storage.remove_vehicle(&removed, now, forget_at).await?;
    Ok(())
}

/// The conflicts of the last `CONFLICT_DAYS`, newest first.
pub async fn plate_conflicts<S: Storage>(storage: &S) -> Result<Vec<PlateConflict>, AppError> {
    let platform = TenantId(PLATFORM.into());
    let mut conflicts = storage
        .records(&platform, RecordKind::PlateConflict)
        .await?
        .iter()
        .map(Record::decode::<PlateConflict>)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| AppError::Internal(format!("a plate conflict does not map: {e}")))?;
    conflicts.sort_by_key(|c| std::cmp::Reverse(c.at));
    Ok(conflicts)
}
