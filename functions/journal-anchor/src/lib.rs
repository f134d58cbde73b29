//! The journal's anchors, from the table's stream: every write of a
//! tenant's journal head (`TENANT#<t>` / `JOURNAL#~head`, written with each
//! entry) may anchor it; the first of each day does (`app::journal_anchors`).
//! A replayed record finds its day anchored and changes nothing.

use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use aws_lambda_events::event::streams::DynamoDbEventResponse;
use designa::app::journal::Head;
use designa::app::journal_anchors::anchor_head;
use designa::domain::TenantId;
use designa::ports::{BlobStore, Clock};
use designa::table::RecordItem;
use tracing::{error, info};

/// The head's sort key: the one item this function reads in the stream.
pub const HEAD_SORT_KEY: &str = "JOURNAL#~head";

pub struct JournalAnchor<B, C> {
    pub blobs: B,
    pub clock: C,
    /// The bucket under Object Lock.
    pub bucket: String,
}

/// What a batch came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchReport {
    pub anchored: usize,
    pub day_already_anchored: usize,
    pub ignored: usize,
    /// The record that failed; it and those after it are delivered again.
    pub failed_at: Option<String>,
}

/// The tenant and head a stream record wrote, if it wrote a head.
pub fn head_written(record: &EventRecord) -> Result<Option<(TenantId, Head)>, String> {
    if !matches!(record.event_name.as_str(), "INSERT" | "MODIFY") {
        return Ok(None);
    }
    let image = &record.change.new_image;
    let item: RecordItem = match serde_dynamo::from_item(image.clone()) {
        Ok(item) => item,
        Err(_) if image.is_empty() => {
            return Err("no NewImage (the stream must be NEW_AND_OLD_IMAGES)".into())
        }
        Err(e) => return Err(format!("not a record item: {e}")),
    };
    if item.sk != HEAD_SORT_KEY {
        return Ok(None);
    }
    let tenant = item
        .pk
        .strip_prefix("TENANT#")
        .ok_or_else(|| format!("a head outside a tenant's partition: {}", item.pk))?;
    let head: Head = item
        .record
        .decode()
        .map_err(|e| format!("a head that does not map: {e}"))?;
    Ok(Some((TenantId(tenant.into()), head)))
}

impl<B: BlobStore, C: Clock> JournalAnchor<B, C> {
    /// One stream batch, in order, up to the first failure.
    pub async fn handle_event(&self, event: Event) -> BatchReport {
        let mut report = BatchReport::default();
        for record in &event.records {
            let sequence = record.change.sequence_number.clone().unwrap_or_default();
            match self.handle_record(record).await {
                Ok(Some(true)) => report.anchored += 1,
                Ok(Some(false)) => report.day_already_anchored += 1,
                Ok(None) => report.ignored += 1,
                Err(e) => {
                    error!(sequence_number = %sequence, error = %e,
                           "anchoring failed; the batch resumes from this record");
                    report.failed_at = Some(sequence);
                    break;
                }
            }
        }
        info!(
            anchored = report.anchored,
            day_already_anchored = report.day_already_anchored,
            ignored = report.ignored,
            failed = report.failed_at.is_some(),
            "stream batch handled"
        );
        report
    }

    pub async fn handle(&self, event: Event) -> DynamoDbEventResponse {
        let report = self.handle_event(event).await;
        designa::aws::batch::stream_batch_response(report.failed_at.as_deref())
    }

    async fn handle_record(&self, record: &EventRecord) -> Result<Option<bool>, String> {
        let Some((tenant, head)) = head_written(record)? else {
            return Ok(None);
        };
        let now = self.clock.now();
        let written = anchor_head(&self.blobs, &self.bucket, &tenant, &head, now)
            .await
            .map_err(|e| e.to_string())?;
        if written {
            info!(tenant_id = %tenant, seq = head.seq, "journal head anchored");
        }
        Ok(Some(written))
    }
}

#[cfg(test)]
mod tests;
