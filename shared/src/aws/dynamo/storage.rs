//! `Storage` on the table: files, routing, fleet, tenants and users,
//! notices, records.

use super::*;
use crate::domain::tenant::{Tenant, User};
use crate::domain::{Holding, PlateKey, TenantId};
use crate::ports::{PortError, Storage};
use crate::store::{
    epoch_after, Declaration, DeclarationMode, FileClaim, FileOutcome, FileStatus, Record,
    RecordKind, StoredNotice, UnroutedNotice, Vehicle, FILE_RECORD_DAYS,
};
use crate::table::{
    keys, DeclarationItem, FileItem, NoticeItem, PlateHoldingsItem, RecordItem, TenantItem,
    UnroutedItem, UserItem, VehicleItem,
};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::{AttributeValue, Put};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

#[async_trait]
impl Storage for DynamoStorage {
    async fn claim_file(
        &self,
        file_key: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<FileClaim, PortError> {
        let item = FileItem {
            pk: keys::file(file_key),
            sk: keys::FILE_SK.into(),
            item_type: "FILE".into(),
            status: FileStatus::Processing,
            lease_until: Some(lease_until.timestamp()),
            outcome: None,
            expires_at: epoch_after(now, FILE_RECORD_DAYS),
        };
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item("dynamodb:PutItem", &item)?))
            // Free, or processing under a lease that has run out (a crashed invocation).
            .condition_expression(
                "attribute_not_exists(pk) OR (#status = :processing AND lease_until < :now)",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":processing", s("PROCESSING"))
            .expression_attribute_values(":now", AttributeValue::N(now.timestamp().to_string()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(FileClaim::Acquired),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                let Some(current) = self
                    .get_as::<FileItem>(keys::file(file_key), keys::FILE_SK)
                    .await?
                else {
                    // Deleted in between (TTL): let the redelivery claim it.
                    return Ok(FileClaim::Busy { lease_until: now });
                };
                Ok(match (current.status, current.outcome) {
                    (FileStatus::Processing, _) | (_, None) => FileClaim::Busy {
                        lease_until: DateTime::from_timestamp(current.lease_until.unwrap_or(0), 0)
                            .unwrap_or(now),
                    },
                    (_, Some(outcome)) => FileClaim::AlreadyFinished(outcome),
                })
            }
            Err(e) => Err(PortError::new("dynamodb:PutItem", DisplayErrorContext(e))),
        }
    }

    async fn finish_file(&self, file_key: &str, outcome: &FileOutcome) -> Result<(), PortError> {
        let item = FileItem {
            pk: keys::file(file_key),
            sk: keys::FILE_SK.into(),
            item_type: "FILE".into(),
            status: outcome.status,
            lease_until: None,
            outcome: Some(outcome.clone()),
            expires_at: epoch_after(outcome.finished_at, FILE_RECORD_DAYS),
        };
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item("dynamodb:PutItem", &item)?))
            .send()
            .await
            .map_err(|e| PortError::new("dynamodb:PutItem", DisplayErrorContext(e)))?;
        Ok(())
    }

    async fn holdings(
        &self,
        plates: &[PlateKey],
    ) -> Result<HashMap<PlateKey, Vec<Holding>>, PortError> {
        let request = plates
            .iter()
            .map(|p| key(keys::plate(p), keys::HOLDINGS_SK))
            .collect();
        let mut out = HashMap::new();
        for item in self.batch_get(request, None).await? {
            let item: PlateHoldingsItem = serde_dynamo::from_item(item).map_err(|e| {
                PortError::new("dynamodb:BatchGetItem", format!("item mapping: {e}"))
            })?;
            let plate = item
                .pk
                .strip_prefix("PLATE#")
                .unwrap_or(&item.pk)
                .to_string();
            out.insert(PlateKey(plate), item.holdings);
        }
        Ok(out)
    }

    async fn existing_notices(
        &self,
        numbers: &[String],
    ) -> Result<HashMap<String, String>, PortError> {
        let request = numbers
            .iter()
            .map(|n| key(keys::notice(n), keys::NOTICE_SK))
            .collect();
        let mut out = HashMap::new();
        for item in self.batch_get(request, Some("pk, source_file")).await? {
            let (Some(AttributeValue::S(pk)), Some(AttributeValue::S(source))) =
                (item.get("pk"), item.get("source_file"))
            else {
                continue;
            };
            out.insert(pk.trim_start_matches("NOTICE#").to_string(), source.clone());
        }
        Ok(out)
    }

    async fn put_notices(&self, notices: &[StoredNotice]) -> Result<(), PortError> {
        let items = notices
            .iter()
            .map(|n| to_item("dynamodb:BatchWriteItem", &NoticeItem::from(n)))
            .collect::<Result<_, _>>()?;
        self.batch_put(items).await
    }

    async fn put_unrouted(&self, records: &[UnroutedNotice]) -> Result<(), PortError> {
        let items = records
            .iter()
            .map(|u| to_item("dynamodb:BatchWriteItem", &UnroutedItem::from(u)))
            .collect::<Result<_, _>>()?;
        self.batch_put(items).await
    }

    async fn put_vehicle(&self, vehicle: &Vehicle, at: DateTime<Utc>) -> Result<(), PortError> {
        self.change_vehicle(vehicle, Some(at)).await
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

    async fn create_tenant(&self, tenant: &Tenant) -> Result<bool, PortError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(
                "dynamodb:PutItem",
                &TenantItem::from(tenant),
            )?))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(PortError::new("dynamodb:PutItem", DisplayErrorContext(e))),
        }
    }

    async fn tenant(&self, tenant_id: &TenantId) -> Result<Option<Tenant>, PortError> {
        Ok(self
            .get_as::<TenantItem>(keys::tenant(tenant_id), keys::TENANT_SK)
            .await?
            .map(|i| i.data))
    }

    async fn put_tenant(&self, tenant: &Tenant) -> Result<(), PortError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(
                "dynamodb:PutItem",
                &TenantItem::from(tenant),
            )?))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await
            .map_err(|e| PortError::new("dynamodb:PutItem", DisplayErrorContext(e)))?;
        Ok(())
    }

    async fn put_user(&self, user: &User) -> Result<(), PortError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item("dynamodb:PutItem", &UserItem::from(user))?))
            .send()
            .await
            .map_err(|e| PortError::new("dynamodb:PutItem", DisplayErrorContext(e)))?;
        Ok(())
    }

    async fn user(&self, tenant_id: &TenantId, user_id: &str) -> Result<Option<User>, PortError> {
        Ok(self
            .get_as::<UserItem>(keys::tenant(tenant_id), &keys::user(user_id))
            .await?
            .map(|i| i.data))
    }

    async fn tenant_notices(&self, tenant_id: &str) -> Result<Vec<StoredNotice>, PortError> {
        let pages = self
            .client
            .query()
            .table_name(&self.table)
            .index_name("gsi1")
            .key_condition_expression("gsi1pk = :pk AND begins_with(gsi1sk, :notice)")
            .expression_attribute_values(":pk", s(keys::tenant_notices(&tenant_id.into())))
            .expression_attribute_values(":notice", s("NOTICE#"))
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await;
        let mut notices = pages
            .into_iter()
            .map(|item| {
                let item =
                    item.map_err(|e| PortError::new("dynamodb:Query", DisplayErrorContext(e)))?;
                serde_dynamo::from_item::<_, NoticeItem>(item)
                    .map_err(|e| PortError::new("dynamodb:Query", format!("item mapping: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(live_notice)
            .map(|i| i.data)
            .collect::<Vec<_>>();
        notices.sort_by(StoredNotice::by_deadline);
        Ok(notices)
    }

    async fn notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        Ok(self
            .get_as::<NoticeItem>(keys::notice(number), keys::NOTICE_SK)
            .await?
            .filter(live_notice)
            .map(|i| i.data))
    }

    async fn users(&self, tenant_id: &TenantId) -> Result<Vec<User>, PortError> {
        let items: Vec<UserItem> = self.query_prefix(keys::tenant(tenant_id), "USER#").await?;
        Ok(items.into_iter().map(|i| i.data).collect())
    }

    async fn delete_user(&self, tenant_id: &TenantId, user_id: &str) -> Result<(), PortError> {
        self.delete_item(keys::tenant(tenant_id), &keys::user(user_id))
            .await
    }

    async fn vehicles(&self, tenant_id: &TenantId) -> Result<Vec<Vehicle>, PortError> {
        let items: Vec<VehicleItem> = self
            .query_prefix(keys::tenant(tenant_id), "VEHICLE#")
            .await?;
        Ok(items.into_iter().map(|i| i.data).collect())
    }

    async fn vehicle(
        &self,
        tenant_id: &TenantId,
        vehicle_id: &str,
    ) -> Result<Option<Vehicle>, PortError> {
        Ok(self
            .get_as::<VehicleItem>(keys::tenant(tenant_id), &keys::vehicle(vehicle_id))
            .await?
            .map(|i| i.data))
    }

    async fn delete_vehicle(&self, vehicle: &Vehicle) -> Result<(), PortError> {
        self.change_vehicle(vehicle, None).await
    }

    async fn record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<Record>, PortError> {
        Ok(self
            .get_as::<RecordItem>(keys::tenant(tenant_id), &keys::record(kind, id))
            .await?
            .map(|i| i.record)
            .filter(|r| !r.is_expired(Utc::now().timestamp())))
    }

    async fn records(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
    ) -> Result<Vec<Record>, PortError> {
        let items: Vec<RecordItem> = self
            .query_prefix(keys::tenant(tenant_id), &format!("{}#", kind.prefix()))
            .await?;
        let now = Utc::now().timestamp();
        Ok(items
            .into_iter()
            .map(|i| i.record)
            .filter(|r| !r.is_expired(now))
            .collect())
    }

    async fn put_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        record: &Record,
        expected: Option<u64>,
    ) -> Result<bool, PortError> {
        let item = to_item(
            "dynamodb:PutItem",
            &RecordItem::new(tenant_id, kind, record),
        )?;
        let mut request = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item));
        request = match expected {
            None => request.condition_expression("attribute_not_exists(pk)"),
            Some(version) => request
                .condition_expression("version = :v")
                .expression_attribute_values(":v", AttributeValue::N(version.to_string())),
        };
        match request.send().await {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(PortError::new("dynamodb:PutItem", DisplayErrorContext(e))),
        }
    }

    async fn delete_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<(), PortError> {
        self.delete_item(keys::tenant(tenant_id), &keys::record(kind, id))
            .await
    }
}
