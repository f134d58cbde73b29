//! Notices, unrouted notices and plate holdings on the table, read and written
//! in batches.

use super::*;
use crate::domain::{Holding, NoticeStatus, PlateKey};
use crate::ports::{NoticeStore, PortError};
use crate::store::{StoredNotice, UnroutedNotice};
use crate::table::{keys, NoticeItem, PlateHoldingsItem, UnroutedItem};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::NaiveDate;
use std::collections::HashMap;

#[async_trait]
impl NoticeStore for DynamoStorage {
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

    async fn tenant_notices(&self, tenant_id: &str) -> Result<Vec<StoredNotice>, PortError> {
        let (from, to) = keys::ALL_NOTICES;
        let mut notices = self.tenant_notices_between(tenant_id, from, to).await?;
        notices.sort_by(StoredNotice::by_deadline);
        Ok(notices)
    }

    /// One query per status, each from `first_day` on its deadline key.
    async fn tenant_notices_due_from(
        &self,
        tenant_id: &str,
        first_day: NaiveDate,
    ) -> Result<Vec<StoredNotice>, PortError> {
        let mut notices = Vec::new();
        for status in NoticeStatus::ALL {
            let (from, to) = keys::notices_due_from(status, first_day);
            notices.extend(self.tenant_notices_between(tenant_id, &from, &to).await?);
        }
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
}

impl DynamoStorage {
    /// A tenant's live notices whose `gsi1sk` is between `from` and `to`.
    async fn tenant_notices_between(
        &self,
        tenant_id: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<StoredNotice>, PortError> {
        let pages = self
            .client
            .query()
            .table_name(&self.table)
            .index_name("gsi1")
            .key_condition_expression("gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to")
            .expression_attribute_values(":pk", s(keys::tenant_notices(&tenant_id.into())))
            .expression_attribute_values(":from", s(from))
            .expression_attribute_values(":to", s(to))
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
                serde_dynamo::from_item::<_, NoticeItem>(item)
                    .map_err(|e| PortError::new("dynamodb:Query", format!("item mapping: {e}")))
            })
            .filter(|item| item.as_ref().map_or(true, live_notice))
            .map(|item| item.map(|i| i.data))
            .collect()
    }
}
