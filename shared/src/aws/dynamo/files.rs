//! Inbound files' leases on the table: a conditional put takes a lease only
//! when the file is not done and no live lease is held.

use super::*;
use crate::ports::{FileStore, PortError};
use crate::store::{epoch_after, FileClaim, FileOutcome, FileStatus, FILE_RECORD_DAYS};
use crate::table::{keys, FileItem};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use chrono::{DateTime, Utc};

#[async_trait]
impl FileStore for DynamoStorage {
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
            // The item replaced, if any, tells a takeover from a first claim.
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match result {
            Ok(out) => Ok(FileClaim::Acquired {
                taken_over: out.attributes().is_some_and(|old| !old.is_empty()),
            }),
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
}
