//! DynamoDB adapter of `AnswerStore`: conditional notice writes, the sparse
//! work index (`gsi3`), and the outbound batch items.

use super::{key, s, to_item, DynamoStorage};
use crate::ports::{AnswerStore, PortError, WorkList};
use crate::store::{epoch_after, BatchPhase, OutboundBatch, StoredNotice, BATCH_RECORD_DAYS};
use crate::table::{keys, BatchItem, NoticeItem};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::AttributeValue;

/// `true` when the write happened, `false` when its condition failed.
macro_rules! conditional {
    ($result:expr, $op:literal) => {
        match $result {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(PortError::new($op, DisplayErrorContext(e))),
        }
    };
}

#[async_trait]
impl AnswerStore for DynamoStorage {
    async fn load_notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        Ok(self
            .get_as::<NoticeItem>(keys::notice(number), keys::NOTICE_SK)
            .await?
            .filter(super::live_notice)
            .map(|i| i.data))
    }

    async fn put_notice_if(&self, notice: &StoredNotice, expected: u64) -> Result<bool, PortError> {
        let item = to_item("dynamodb:PutItem", &NoticeItem::from(notice))?;
        // Notices written before versions existed carry none: version 0.
        let condition = if expected == 0 {
            "attribute_exists(pk) AND (attribute_not_exists(version) OR version = :v)"
        } else {
            "attribute_exists(pk) AND version = :v"
        };
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition)
            .expression_attribute_values(":v", AttributeValue::N(expected.to_string()))
            .send()
            .await;
        conditional!(result, "dynamodb:PutItem")
    }

    async fn work_list(
        &self,
        list: WorkList,
        before: &str,
        limit: usize,
    ) -> Result<Vec<String>, PortError> {
        let partitions = keys::work_partitions(work_list_key(list));
        let reads = partitions
            .iter()
            .map(|partition| self.work_partition(partition, before, limit));
        let sort_keys = futures::future::try_join_all(reads).await?;
        Ok(keys::earliest_numbers(sort_keys.concat(), limit))
    }

    async fn open_batch(&self) -> Result<Option<OutboundBatch>, PortError> {
        Ok(self
            .get_as::<BatchItem>(keys::OUTBOUND.into(), keys::OPEN_BATCH_SK)
            .await?
            .map(|i| i.data))
    }

    async fn put_open_batch(
        &self,
        batch: &OutboundBatch,
        expected: Option<BatchPhase>,
    ) -> Result<bool, PortError> {
        let item = to_item(
            "dynamodb:PutItem",
            &BatchItem {
                pk: keys::OUTBOUND.into(),
                sk: keys::OPEN_BATCH_SK.into(),
                item_type: "OUTBOUND_BATCH".into(),
                expires_at: None,
                data: batch.clone(),
            },
        )?;
        let request = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item));
        let request = match expected {
            None => request.condition_expression("attribute_not_exists(pk)"),
            Some(phase) => request
                .condition_expression("batch_id = :id AND phase = :phase")
                .expression_attribute_values(":id", s(&batch.batch_id))
                .expression_attribute_values(
                    ":phase",
                    serde_dynamo::to_attribute_value(phase).map_err(|e| {
                        PortError::new("dynamodb:PutItem", format!("item mapping: {e}"))
                    })?,
                ),
        };
        conditional!(request.send().await, "dynamodb:PutItem")
    }

    async fn close_batch(&self, batch: &OutboundBatch) -> Result<(), PortError> {
        let item = to_item(
            "dynamodb:PutItem",
            &BatchItem {
                pk: keys::OUTBOUND.into(),
                sk: keys::batch(&batch.batch_id),
                item_type: "OUTBOUND_BATCH".into(),
                expires_at: Some(epoch_after(batch.created_at, BATCH_RECORD_DAYS)),
                data: batch.clone(),
            },
        )?;
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| PortError::new("dynamodb:PutItem", DisplayErrorContext(e)))?;
        // Only this batch's opening is removed; a newer one is left alone.
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::OUTBOUND.into(), keys::OPEN_BATCH_SK)))
            .condition_expression("batch_id = :id")
            .expression_attribute_values(":id", s(&batch.batch_id))
            .send()
            .await;
        conditional!(result, "dynamodb:DeleteItem").map(|_| ())
    }

    async fn closed_batch(&self, batch_id: &str) -> Result<Option<OutboundBatch>, PortError> {
        Ok(self
            .get_as::<BatchItem>(keys::OUTBOUND.into(), &keys::batch(batch_id))
            .await?
            .map(|i| i.data))
    }
}

fn work_list_key(list: WorkList) -> &'static str {
    match list {
        WorkList::Outbox => keys::OUTBOX,
        WorkList::Deadlines => keys::DEADLINES,
    }
}

impl DynamoStorage {
    /// The earliest `limit` sort keys of one work-index partition before
    /// `before`: one Query, more only past 1 MB of keys.
    async fn work_partition(
        &self,
        partition: &str,
        before: &str,
        limit: usize,
    ) -> Result<Vec<String>, PortError> {
        let mut sort_keys = Vec::new();
        let mut start = None;
        while sort_keys.len() < limit {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .index_name("gsi3")
                .key_condition_expression("gsi3pk = :pk AND gsi3sk < :before")
                .expression_attribute_values(":pk", s(partition))
                .expression_attribute_values(":before", s(before))
                .projection_expression("gsi3sk")
                .limit(i32::try_from(limit - sort_keys.len()).unwrap_or(i32::MAX))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| PortError::new("dynamodb:Query", DisplayErrorContext(e)))?;
            for item in out.items.unwrap_or_default() {
                if let Some(AttributeValue::S(sk)) = item.get("gsi3sk") {
                    sort_keys.push(sk.clone());
                }
            }
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        Ok(sort_keys)
    }
}
