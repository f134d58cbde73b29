use crate::ports::{PortError, Queue, QueueMessage, MAX_QUEUE_BATCH};
use async_trait::async_trait;
use aws_sdk_sqs::types::SendMessageBatchRequestEntry;

/// SQS adapter of `Queue`.
#[derive(Clone, Debug)]
pub struct SqsQueue {
    client: aws_sdk_sqs::Client,
}

impl SqsQueue {
    pub fn new(client: aws_sdk_sqs::Client) -> Self {
        SqsQueue { client }
    }
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(&self, queue_url: &str, messages: &[QueueMessage]) -> Result<(), PortError> {
        assert!(
            messages.len() <= MAX_QUEUE_BATCH,
            "callers chunk queue sends"
        );
        if messages.is_empty() {
            return Ok(());
        }
        let entries = messages
            .iter()
            .map(|m| {
                SendMessageBatchRequestEntry::builder()
                    .id(&m.id)
                    .message_body(&m.body)
                    .build()
                    .map_err(|e| PortError::new("sqs:SendMessageBatch", e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let out = self
            .client
            .send_message_batch()
            .queue_url(queue_url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|e| {
                PortError::new(
                    "sqs:SendMessageBatch",
                    aws_sdk_sqs::error::DisplayErrorContext(e),
                )
            })?;
        if let Some(failed) = out.failed().first() {
            return Err(PortError::new(
                "sqs:SendMessageBatch",
                format!(
                    "{} of {} messages refused, first: {}",
                    out.failed().len(),
                    messages.len(),
                    failed.message().unwrap_or(failed.code())
                ),
            ));
        }
        Ok(())
    }
}
