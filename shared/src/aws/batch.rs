//! Partial batch responses, written once: Lambda gives a queue consumer a
//! batch of messages (a stream consumer a batch of records); the consumer
//! handles each and names the ones that failed, so only those come back
//! (and, after the queue's `maxReceiveCount`, go to its dead-letter queue).

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use std::fmt::Display;
use std::future::Future;

/// One SQS message as a consumer handles it.
#[derive(Debug, Clone)]
pub struct SqsMessage {
    pub id: String,
    /// Empty when the message has none.
    pub body: String,
    /// How many times SQS has delivered it, this time included.
    pub receives: u32,
}

/// A failure of one message; some are expected and come back on their own.
pub trait MessageError: Display {
    /// Retrying later is the normal course (another delivery holds a lease):
    /// logged as a warning, not an error.
    fn expected(&self) -> bool {
        false
    }
}

/// Handles every message of the batch with `handle`; failures are logged
/// (with the message id, never the body) and reported to Lambda.
pub async fn sqs_batch<F, Fut, E>(event: SqsEvent, handle: F) -> SqsBatchResponse
where
    F: Fn(SqsMessage) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: MessageError,
{
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let id = message.message_id.unwrap_or_default();
        let receives = message
            .attributes
            .get("ApproximateReceiveCount")
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let body = message.body.unwrap_or_default();
        let delivery = SqsMessage {
            id: id.clone(),
            body,
            receives,
        };
        if let Err(e) = handle(delivery).await {
            if e.expected() {
                tracing::warn!(message_id = %id, receives, error = %e, "message comes back later");
            } else {
                tracing::error!(message_id = %id, receives, error = %e, "message failed; it will be retried, then dead-lettered");
            }
            let mut failure = BatchItemFailure::default(); // non-exhaustive
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}

/// A stream consumer's answer: the first record that failed (Lambda resumes
/// from it), or none.
pub fn stream_batch_response(failed_at: Option<&str>) -> DynamoDbEventResponse {
    let mut response = DynamoDbEventResponse::default();
    if let Some(sequence) = failed_at {
        let mut failure = DynamoDbBatchItemFailure::default(); // non-exhaustive
        failure.item_identifier = Some(sequence.to_string());
        response.batch_item_failures.push(failure);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lambda_events::event::sqs::SqsMessage as Message;

    fn event(bodies: &[&str]) -> SqsEvent {
        let mut event = SqsEvent::default();
        event.records = bodies
            .iter()
            .enumerate()
            .map(|(i, body)| {
                let mut message = Message::default();
                message.message_id = Some(format!("m{i}"));
                message.body = Some(body.to_string());
                message
                    .attributes
                    .insert("ApproximateReceiveCount".into(), "2".into());
                message
            })
            .collect();
        event
    }

    #[derive(Debug, thiserror::Error)]
    #[error("{0} is bad")]
    struct Bad(String);

    impl MessageError for Bad {}

    #[tokio::test]
    async fn only_the_failed_messages_are_reported() {
        let response = sqs_batch(event(&["ok", "bad", "ok", "bad"]), |m| async move {
            assert_eq!(m.receives, 2);
            if m.body == "bad" {
                Err(Bad(m.id))
            } else {
                Ok(())
            }
        })
        .await;
        let failed: Vec<_> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(failed, ["m1", "m3"]);
    }

    #[test]
    fn a_stream_resumes_from_its_first_failure() {
        assert!(stream_batch_response(None).batch_item_failures.is_empty());
        let response = stream_batch_response(Some("42"));
        assert_eq!(
            response.batch_item_failures[0].item_identifier.as_deref(),
            Some("42")
        );
    }
}
