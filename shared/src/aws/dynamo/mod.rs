//! DynamoDB adapters: the low-level calls (batches with retries,
//! conditional transactions) here; one file per item family of `Storage`
//! (files, notices, fleet, tenants, records), and `AnswerStore` in
//! `answers.rs`.

mod answers;
mod files;
mod fleet;
mod notices;
mod records;
mod tenants;

use crate::domain::{place_holding, HoldingConflict, TenantId};
use crate::ports::{PortError, MAX_BATCH_GET, MAX_BATCH_WRITE};
use crate::store::Vehicle;
use crate::table::{keys, NoticeItem, PlateHoldingsItem, VehicleItem};
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::error::TransactionCanceledException;
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, KeysAndAttributes, Put, PutRequest, TransactWriteItem, WriteRequest,
};
use aws_sdk_dynamodb::Client;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;
use std::time::Duration;

type Item = HashMap<String, AttributeValue>;

const TRANSACT: &str = "dynamodb:TransactWriteItems";

/// Attempts for a batch whose items DynamoDB left unprocessed (throttling).
const BATCH_ATTEMPTS: u32 = 8;

#[derive(Clone, Debug)]
pub struct DynamoStorage {
    pub(super) client: Client,
    pub(super) table: String,
}

pub(super) fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub(super) fn to_item<T: Serialize>(op: &'static str, value: &T) -> Result<Item, PortError> {
    serde_dynamo::to_item(value).map_err(|e| PortError::new(op, format!("item mapping: {e}")))
}

/// DynamoDB deletes expired items late (up to days): never return one.
pub(super) fn live_notice(item: &NoticeItem) -> bool {
    item.expires_at > Utc::now().timestamp()
}

pub(super) fn key(pk: String, sk: &str) -> Item {
    HashMap::from([("pk".to_string(), s(pk)), ("sk".to_string(), s(sk))])
}

async fn backoff(attempt: u32) {
    tokio::time::sleep(Duration::from_millis(25u64 << attempt.min(6))).await;
}

impl DynamoStorage {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        DynamoStorage {
            client,
            table: table.into(),
        }
    }

    /// One BatchGetItem (plus retries of unprocessed keys).
    async fn batch_get(
        &self,
        keys: Vec<Item>,
        projection: Option<&str>,
    ) -> Result<Vec<Item>, PortError> {
        assert!(keys.len() <= MAX_BATCH_GET, "callers chunk batch reads");
        let mut found = Vec::new();
        let mut pending = keys;
        for attempt in 0..BATCH_ATTEMPTS {
            if pending.is_empty() {
                return Ok(found);
            }
            let request = KeysAndAttributes::builder()
                .set_keys(Some(std::mem::take(&mut pending)))
                .set_projection_expression(projection.map(str::to_string))
                .build()
                .map_err(|e| PortError::new("dynamodb:BatchGetItem", e))?;
            let out = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(|e| PortError::new("dynamodb:BatchGetItem", DisplayErrorContext(e)))?;
            if let Some(items) = out.responses.and_then(|mut r| r.remove(&self.table)) {
                found.extend(items);
            }
            if let Some(rest) = out.unprocessed_keys.and_then(|mut u| u.remove(&self.table)) {
                pending = rest.keys;
                backoff(attempt).await;
            }
        }
        if pending.is_empty() {
            Ok(found)
        } else {
            Err(PortError::new(
                "dynamodb:BatchGetItem",
                format!("{} keys still unprocessed after retries", pending.len()),
            ))
        }
    }

    /// One BatchWriteItem of puts (plus retries of unprocessed items).
    async fn batch_put(&self, items: Vec<Item>) -> Result<(), PortError> {
        assert!(items.len() <= MAX_BATCH_WRITE, "callers chunk batch writes");
        let mut pending: Vec<WriteRequest> = items
            .into_iter()
            .map(|item| {
                PutRequest::builder()
                    .set_item(Some(item))
                    .build()
                    .map(|put| WriteRequest::builder().put_request(put).build())
                    .map_err(|e| PortError::new("dynamodb:BatchWriteItem", e))
            })
            .collect::<Result<_, _>>()?;
        for attempt in 0..BATCH_ATTEMPTS {
            if pending.is_empty() {
                return Ok(());
            }
            let out = self
                .client
                .batch_write_item()
                .request_items(&self.table, std::mem::take(&mut pending))
                .send()
                .await
                .map_err(|e| PortError::new("dynamodb:BatchWriteItem", DisplayErrorContext(e)))?;
            if let Some(rest) = out
                .unprocessed_items
                .and_then(|mut u| u.remove(&self.table))
            {
                pending = rest;
                backoff(attempt).await;
            }
        }
        if pending.is_empty() {
            Ok(())
        } else {
            Err(PortError::new(
                "dynamodb:BatchWriteItem",
                format!("{} items still unprocessed after retries", pending.len()),
            ))
        }
    }

    async fn get(&self, pk: String, sk: &str) -> Result<Option<Item>, PortError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| PortError::new("dynamodb:GetItem", DisplayErrorContext(e)))?;
        Ok(out.item)
    }

    /// A consistent read of one item, mapped to `T`.
    pub(super) async fn get_as<T: serde::de::DeserializeOwned>(
        &self,
        pk: String,
        sk: &str,
    ) -> Result<Option<T>, PortError> {
        self.get(pk, sk)
            .await?
            .map(|item| {
                serde_dynamo::from_item(item)
                    .map_err(|e| PortError::new("dynamodb:GetItem", format!("item mapping: {e}")))
            })
            .transpose()
    }

    /// Every item of a partition whose sort key starts with `prefix`, mapped to `T`.
    async fn query_prefix<T: serde::de::DeserializeOwned>(
        &self,
        pk: String,
        prefix: &str,
    ) -> Result<Vec<T>, PortError> {
        let pages = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":prefix", s(prefix))
            .consistent_read(true)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await;
        pages
            .into_iter()
            .map(|item| {
                let item =
                    item.map_err(|e| PortError::new("dynamodb:Query", DisplayErrorContext(e)))?;
                serde_dynamo::from_item(item)
                    .map_err(|e| PortError::new("dynamodb:Query", format!("item mapping: {e}")))
            })
            .collect()
    }

    async fn delete_item(&self, pk: String, sk: &str) -> Result<(), PortError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .send()
            .await
            .map_err(|e| PortError::new("dynamodb:DeleteItem", DisplayErrorContext(e)))?;
        Ok(())
    }

    /// Writes puts in one transaction; `false` when a condition failed.
    async fn transact_puts(&self, puts: Vec<Put>) -> Result<bool, PortError> {
        self.transact(
            puts.into_iter()
                .map(|p| TransactWriteItem::builder().put(p).build())
                .collect(),
        )
        .await
    }

    /// One transaction; `false` when a condition failed. A transaction
    /// cancelled for another reason (a conflict with a concurrent write of
    /// the same item, throttling) is an error, contended for a conflict: its
    /// conditions were never judged, so "already there" would be a lie.
    async fn transact(&self, items: Vec<TransactWriteItem>) -> Result<bool, PortError> {
        let result = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        let operation = "dynamodb:TransactWriteItems";
        match result {
            Ok(_) => Ok(true),
            Err(e) => match e.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) => {
                    let codes = cancellation_codes(cancelled);
                    if codes.iter().any(|c| c == "ConditionalCheckFailed") {
                        Ok(false)
                    } else if codes.iter().any(|c| c == "TransactionConflict") {
                        Err(PortError::contended(operation, DisplayErrorContext(e)))
                    } else {
                        Err(PortError::new(operation, DisplayErrorContext(e)))
                    }
                }
                _ => Err(PortError::new(operation, DisplayErrorContext(e))),
            },
        }
    }
}

/// The reason codes of a cancelled transaction, one per item (`None` where
/// that item was not at fault).
fn cancellation_codes(cancelled: &TransactionCanceledException) -> Vec<String> {
    cancelled
        .cancellation_reasons()
        .iter()
        .filter_map(|reason| reason.code().map(str::to_string))
        .collect()
}

/// What a vehicle write does to its item.
#[derive(Clone, Copy)]
pub(super) enum VehicleChange {
    /// Written as changed at `at`; the TTL takes it at `expires_at` if set.
    Put {
        at: DateTime<Utc>,
        expires_at: Option<i64>,
    },
    Delete,
}

impl DynamoStorage {
    /// Puts or deletes a vehicle together with its plate's holdings, in one
    /// transaction guarded by the holdings' version: the one place where a
    /// plate's holder is decided (`place_holding`).
    pub(super) async fn change_vehicle(
        &self,
        vehicle: &Vehicle,
        change: VehicleChange,
    ) -> Result<Result<(), HoldingConflict>, PortError> {
        let plate_pk = keys::plate(&vehicle.plate.key());
        for attempt in 0..BATCH_ATTEMPTS {
            let current: Option<PlateHoldingsItem> = self
                .get(plate_pk.clone(), keys::HOLDINGS_SK)
                .await?
                .map(serde_dynamo::from_item)
                .transpose()
                .map_err(|e| PortError::new("dynamodb:GetItem", format!("item mapping: {e}")))?;
            let (version, mut holdings) =
                current.map(|c| (c.version, c.holdings)).unwrap_or_default();
            let superseded = match change {
                VehicleChange::Put { .. } => {
                    match place_holding(&mut holdings, vehicle.holding()) {
                        Ok(superseded) => superseded,
                        Err(conflict) => return Ok(Err(conflict)),
                    }
                }
                VehicleChange::Delete => {
                    holdings.retain(|h| {
                        !(h.tenant_id == vehicle.tenant_id && h.vehicle_id == vehicle.vehicle_id)
                    });
                    Vec::new()
                }
            };
            let plate_item = PlateHoldingsItem {
                pk: plate_pk.clone(),
                sk: keys::HOLDINGS_SK.into(),
                item_type: "PLATE_HOLDINGS".into(),
                version: version + 1,
                holdings,
            };
            let mut items = vec![
                self.put_holdings_if(&plate_item, version)?,
                self.write_vehicle_item(vehicle, &change)?,
            ];
            for gone in &superseded {
                items.push(self.delete_vehicle_item(&gone.tenant_id, &gone.vehicle_id)?);
            }
            // A lost version or a conflicting concurrent write: read again.
            match self.transact(items).await {
                Ok(true) => return Ok(Ok(())),
                Ok(false) => {}
                Err(e) if e.is_contention() => {}
                Err(e) => return Err(e),
            }
            backoff(attempt).await;
        }
        Err(PortError::contended(
            TRANSACT,
            "the plate's holdings kept changing; giving up",
        ))
    }

    /// The plate's holdings, if still at `version`.
    fn put_holdings_if(
        &self,
        item: &PlateHoldingsItem,
        version: u64,
    ) -> Result<TransactWriteItem, PortError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(to_item(TRANSACT, item)?))
            .condition_expression("attribute_not_exists(pk) OR version = :v")
            .expression_attribute_values(":v", AttributeValue::N(version.to_string()))
            .build()
            .map_err(|e| PortError::new(TRANSACT, e))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    fn write_vehicle_item(
        &self,
        vehicle: &Vehicle,
        change: &VehicleChange,
    ) -> Result<TransactWriteItem, PortError> {
        let &VehicleChange::Put { at, expires_at } = change else {
            return self.delete_vehicle_item(&vehicle.tenant_id, &vehicle.vehicle_id);
        };
        let item = VehicleItem {
            expires_at,
            ..VehicleItem::new(vehicle, at)
        };
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(to_item(TRANSACT, &item)?))
            .build()
            .map_err(|e| PortError::new(TRANSACT, e))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    fn delete_vehicle_item(
        &self,
        tenant: &TenantId,
        vehicle_id: &str,
    ) -> Result<TransactWriteItem, PortError> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::tenant(tenant), &keys::vehicle(vehicle_id))))
            .build()
            .map_err(|e| PortError::new(TRANSACT, e))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }
}
