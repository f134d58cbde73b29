//! Vehicles and fleet declarations in memory; a vehicle and its plate holding
//! change together, as in the table's transaction.

use super::MemoryStorage;
use crate::domain::{place_holding, HoldingConflict, TenantId};
use crate::ports::{FleetStore, PortError};
use crate::store::{Declaration, DeclarationMode, Vehicle};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
impl FleetStore for MemoryStorage {
    async fn put_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
    ) -> Result<Result<(), HoldingConflict>, PortError> {
        self.request("put_vehicle").await?;
        let mut t = self.tables.lock().unwrap();
        let holdings = t.holdings.entry(vehicle.plate.key()).or_default();
        // Under the lock, as the table's transaction under its condition.
        let superseded = match place_holding(holdings, vehicle.holding()) {
            Ok(superseded) => superseded,
            Err(conflict) => return Ok(Err(conflict)),
        };
        for gone in superseded {
            t.vehicles.remove(&(gone.tenant_id.0, gone.vehicle_id));
        }
        t.vehicles.insert(
            (vehicle.tenant_id.0.clone(), vehicle.vehicle_id.clone()),
            (vehicle.clone(), at),
        );
        Ok(Ok(()))
    }

    async fn remove_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
        _forget_at: DateTime<Utc>,
    ) -> Result<(), PortError> {
        // The TTL is the purge tests' business (`delete_vehicle`).
        self.put_vehicle(vehicle, at)
            .await?
            .map_err(|c| PortError::new("remove_vehicle", format!("{c:?}")))
    }

    async fn vehicles_changed_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Vehicle, DateTime<Utc>)>, PortError> {
        self.request("vehicles_changed_since").await?;
        let t = self.tables.lock().unwrap();
        Ok(t.vehicles
            .values()
            .filter(|(_, at)| since.is_none_or(|s| *at > s))
            .cloned()
            .collect())
    }

    async fn last_declaration(
        &self,
        mode: DeclarationMode,
    ) -> Result<Option<Declaration>, PortError> {
        self.request("last_declaration").await?;
        Ok(self
            .tables
            .lock()
            .unwrap()
            .last_declarations
            .get(&mode)
            .cloned())
    }

    async fn record_declaration(&self, declaration: &Declaration) -> Result<bool, PortError> {
        self.request("record_declaration").await?;
        let mut t = self.tables.lock().unwrap();
        if t.declarations.contains_key(&declaration.file_id) {
            return Ok(false);
        }
        t.declarations
            .insert(declaration.file_id.clone(), declaration.clone());
        t.last_declarations
            .insert(declaration.mode, declaration.clone());
        Ok(true)
    }

    async fn vehicles(&self, tenant_id: &TenantId) -> Result<Vec<Vehicle>, PortError> {
        self.request("vehicles").await?;
        let t = self.tables.lock().unwrap();
        Ok(t.vehicles
            .iter()
            .filter(|((tenant, _), (v, _))| *tenant == tenant_id.0 && v.removed_on.is_none())
            .map(|(_, (v, _))| v.clone())
            .collect())
    }

    async fn vehicle(
        &self,
        tenant_id: &TenantId,
        vehicle_id: &str,
    ) -> Result<Option<Vehicle>, PortError> {
        self.request("vehicle").await?;
        let t = self.tables.lock().unwrap();
        Ok(t.vehicles
            .get(&(tenant_id.0.clone(), vehicle_id.to_string()))
            .map(|(v, _)| v.clone())
            .filter(|v| v.removed_on.is_none()))
    }

    async fn delete_vehicle(&self, vehicle: &Vehicle) -> Result<(), PortError> {
        self.request("delete_vehicle").await?;
        let mut t = self.tables.lock().unwrap();
        if let Some(holdings) = t.holdings.get_mut(&vehicle.plate.key()) {
            holdings.retain(|h| {
                !(h.tenant_id == vehicle.tenant_id && h.vehicle_id == vehicle.vehicle_id)
            });
        }
        t.vehicles
            .remove(&(vehicle.tenant_id.0.clone(), vehicle.vehicle_id.clone()));
        Ok(())
    }
}
