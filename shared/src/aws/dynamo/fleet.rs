//! Vehicles and fleet declarations on the table; a vehicle and its plate
//! holding change in one transaction.

use super::*;
use crate::domain::{HoldingConflict, TenantId};
use crate::ports::{FleetStore, PortError};
use crate::store::{Declaration, DeclarationMode, Vehicle};
use crate::table::{keys, DeclarationItem, VehicleItem};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::{AttributeValue, Put};
use chrono::{DateTime, Utc};

#[async_trait]
impl FleetStore for DynamoStorage {
    async fn put_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
    ) -> Result<Result<(), HoldingConflict>, PortError> {
        let expires_at = None;
        self.change_vehicle(vehicle, VehicleChange::Put { at, expires_at })
            .await
    }

    async fn remove_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
        forget_at: DateTime<Utc>,
    ) -> Result<(), PortError> {
        let expires_at = Some(forget_at.timestamp());
        self.change_vehicle(vehicle, VehicleChange::Put { at, expires_at })
            .await?
            .map_err(|c| PortError::new("dynamodb:TransactWriteItems", format!("{c:?}")))
    }

    async fn vehicles_changed_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Vehicle, DateTime<Utc>)>, PortError> {
        // A daily batch over every fleet: a filtered scan, paginated.
        let since = since.map(|t| t.timestamp_millis());
        let mut request = self
            .client
            .scan()
            .table_name(&self.table)
            .filter_expression(if since.is_some() {
                "item_type = :vehicle AND updated_at > :since"
            } else {
                "item_type = :vehicle"
            })
            .expression_attribute_values(":vehicle", s("VEHICLE"));
        if let Some(since) = since {
            request =
                request.expression_attribute_values(":since", AttributeValue::N(since.to_string()));
        }
        let items = request
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await;
        items
            .into_iter()
            .map(|item| {
                let item =
                    item.map_err(|e| PortError::new("dynamodb:Scan", DisplayErrorContext(e)))?;
                let item: VehicleItem = serde_dynamo::from_item(item)
                    .map_err(|e| PortError::new("dynamodb:Scan", format!("item mapping: {e}")))?;
                let at = DateTime::from_timestamp_millis(item.updated_at).unwrap_or_default();
                Ok((item.data, at))
            })
            .collect()
    }

    async fn last_declaration(
        &self,
        mode: DeclarationMode,
    ) -> Result<Option<Declaration>, PortError> {
        Ok(self
            .get_as::<DeclarationItem>(keys::last_declaration(mode), keys::LAST_DECLARATION_SK)
            .await?
            .map(|i| i.data))
    }

    async fn record_declaration(&self, declaration: &Declaration) -> Result<bool, PortError> {
        let record = DeclarationItem {
            pk: keys::declaration(&declaration.file_id),
            sk: keys::DECLARATION_SK.into(),
            item_type: "DECLARATION".into(),
            data: declaration.clone(),
        };
        let last = DeclarationItem {
            pk: keys::last_declaration(declaration.mode),
            sk: keys::LAST_DECLARATION_SK.into(),
            ..record.clone()
        };
        let put_record = Put::builder()
            .table_name(&self.table)
            .set_item(Some(to_item("dynamodb:TransactWriteItems", &record)?))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(|e| PortError::new("dynamodb:TransactWriteItems", e))?;
        let put_last = Put::builder()
            .table_name(&self.table)
            .set_item(Some(to_item("dynamodb:TransactWriteItems", &last)?))
            .build()
            .map_err(|e| PortError::new("dynamodb:TransactWriteItems", e))?;
        self.transact_puts(vec![put_record, put_last]).await
    }

    async fn vehicles(&self, tenant_id: &TenantId) -> Result<Vec<Vehicle>, PortError> {
        let items: Vec<VehicleItem> = self
            .query_prefix(keys::tenant(tenant_id), "VEHICLE#")
            .await?;
        Ok(items
            .into_iter()
            .map(|i| i.data)
            .filter(|v| v.removed_on.is_none())
            .collect())
    }

    async fn vehicle(
        &self,
        tenant_id: &TenantId,
        vehicle_id: &str,
    ) -> Result<Option<Vehicle>, PortError> {
        Ok(self
            .get_as::<VehicleItem>(keys::tenant(tenant_id), &keys::vehicle(vehicle_id))
            .await?
            .map(|i| i.data)
            .filter(|v| v.removed_on.is_none()))
    }

    async fn delete_vehicle(&self, vehicle: &Vehicle) -> Result<(), PortError> {
        // A deletion only frees the plate: it never conflicts.
        let _freed = self.change_vehicle(vehicle, VehicleChange::Delete).await?;
        Ok(())
    }
}
