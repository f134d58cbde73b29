//! Notices, unrouted notices and plate holdings on the table, read and written
//! in batches.

use super::*;
use crate::domain::{Holding, PlateKey};
use crate::ports::{NoticeStore, PortError};
use crate::store::{StoredNotice, UnroutedNotice};
use crate::table::{keys, NoticeItem, PlateHoldingsItem, UnroutedItem};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::AttributeValue;
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
}
