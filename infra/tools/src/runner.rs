//! Runs an SQS-triggered handler the way Lambda's event source mapping does:
//! receive up to 10 messages, hand them over as one `SqsEvent`, delete the
//! ones not reported in `batchItemFailures`, leave the others to come back
//! (and reach the dead-letter queue after the redrive policy's count).

use anyhow::{Context, Result};
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use aws_sdk_sqs::types::MessageSystemAttributeName;
use std::collections::HashSet;
use std::future::Future;

/// Figures of one drain.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DrainStats {
    pub batches: usize,
    pub messages: usize,
    pub failed: usize,
}

/// Polls `queue_url` and feeds `handler` until the queue stays empty for one
/// receive wait, or `max_batches` batches were handled.
pub async fn drain_queue<F, Fut>(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    max_batches: usize,
    handler: F,
) -> Result<DrainStats>
where
    F: Fn(SqsEvent) -> Fut,
    Fut: Future<Output = SqsBatchResponse>,
{
    // Lambda events name their source queue by ARN.
    let queue_arn = sqs
        .get_queue_attributes()
        .queue_url(queue_url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await
        .with_context(|| format!("reading the attributes of {queue_url}"))?
        .attributes
        .and_then(|mut a| a.remove(&aws_sdk_sqs::types::QueueAttributeName::QueueArn))
        .unwrap_or_default();
    let mut stats = DrainStats::default();
    while stats.batches < max_batches {
        let received = sqs
            .receive_message()
            .queue_url(queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .send()
            .await
            .with_context(|| format!("receiving from {queue_url}"))?;
        let messages = received.messages.unwrap_or_default();
        if messages.is_empty() {
            break;
        }
        let mut event = SqsEvent::default();
        let mut receipts = Vec::new();
        for m in messages {
            let mut message = SqsMessage::default();
            message.message_id = m.message_id.clone();
            message.receipt_handle = m.receipt_handle.clone();
            message.body = m.body.clone();
            message.md5_of_body = m.md5_of_body.clone();
            message.event_source = Some("aws:sqs".into());
            message.event_source_arn = Some(queue_arn.clone());
            message.attributes = m
                .attributes
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k.as_str().to_string(), v))
                .collect();
            receipts.push((
                m.message_id.unwrap_or_default(),
                m.receipt_handle.unwrap_or_default(),
            ));
            event.records.push(message);
        }
        stats.batches += 1;
        stats.messages += receipts.len();
        let response = handler(event).await;
        let failed: HashSet<String> = response
            .batch_item_failures
            .into_iter()
            .map(|f| f.item_identifier)
            .collect();
        stats.failed += failed.len();
        for (id, receipt) in receipts {
            if failed.contains(&id) {
                // Back on the queue at once, as after a visibility timeout.
                sqs.change_message_visibility()
                    .queue_url(queue_url)
                    .receipt_handle(receipt)
                    .visibility_timeout(0)
                    .send()
                    .await?;
            } else {
                sqs.delete_message()
                    .queue_url(queue_url)
                    .receipt_handle(receipt)
                    .send()
                    .await?;
            }
        }
    }
    Ok(stats)
}
