//! Document records on the table, written with a version condition.

use super::*;
use crate::domain::TenantId;
use crate::ports::{PortError, RecordStore};
use crate::store::{Record, RecordKind};
use crate::table::{keys, RecordItem};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::Utc;

#[async_trait]
impl RecordStore for DynamoStorage {
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

    /// One Query, newest first, resumed below `before` as its start key.
    async fn records_before(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        before: &str,
        limit: usize,
    ) -> Result<Vec<Record>, PortError> {
        let pk = keys::tenant(tenant_id);
        let upper = keys::record(kind, before);
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
            .expression_attribute_values(":pk", s(&pk))
            .expression_attribute_values(":from", s(format!("{}#", kind.prefix())))
            .expression_attribute_values(":to", s(&upper))
            .exclusive_start_key("pk", s(pk))
            .exclusive_start_key("sk", s(upper))
            .scan_index_forward(false)
            .consistent_read(true)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|e| PortError::new("dynamodb:Query", DisplayErrorContext(e)))?;
        let now = Utc::now().timestamp();
        out.items()
            .iter()
            .map(|item| {
                serde_dynamo::from_item::<_, RecordItem>(item.clone())
                    .map_err(|e| PortError::new("dynamodb:Query", format!("item mapping: {e}")))
            })
            .filter_map(|item| match item {
                Ok(i) if i.record.is_expired(now) => None,
                other => Some(other.map(|i| i.record)),
            })
            .collect()
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
            // An item past its expiry is absent to every read: DynamoDB
            // deletes it only later, and a new record may take its place.
            None => request
                .condition_expression("attribute_not_exists(pk) OR expires_at <= :now")
                .expression_attribute_values(
                    ":now",
                    AttributeValue::N(Utc::now().timestamp().to_string()),
                ),
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
