//! Lambda's retries, in memory. An SQS event source brings back the
//! messages a batch reported failed (`batchItemFailures`), once per
//! visibility timeout, until the queue's `maxReceiveCount` moves them to
//! its dead-letter queue. A stream event source retries a batch from the
//! first record its response names, up to `MaximumRetryAttempts`, then
//! gives the rest to the on-failure destination.

use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use aws_lambda_events::event::streams::DynamoDbEventResponse;
use std::future::Future;

/// A queue and its event source mapping.
#[derive(Debug)]
pub struct SqsSource {
    /// The redrive policy's `maxReceiveCount`.
    max_receives: u32,
    /// Messages waiting: id, body, receives so far.
    waiting: Vec<(String, String, u32)>,
    sent: usize,
    /// Bodies moved to the dead-letter queue.
    pub dead_letters: Vec<String>,
}

impl SqsSource {
    pub fn new(max_receives: u32) -> SqsSource {
        SqsSource {
            max_receives,
            waiting: Vec::new(),
            sent: 0,
            dead_letters: Vec::new(),
        }
    }

    pub fn send(&mut self, body: impl Into<String>) {
        self.sent += 1;
        let id = format!("message-{}", self.sent);
        self.waiting.push((id, body.into(), 0));
    }

    /// Delivers the waiting messages, `batch_size` at a time, until none is
    /// left. `deliver(round, event)` is one invocation: round 0 is the first
    /// delivery, round n comes n visibility timeouts later (the test moves
    /// its clock by it).
    pub async fn drain<F, Fut>(&mut self, batch_size: usize, mut deliver: F)
    where
        F: FnMut(u32, SqsEvent) -> Fut,
        Fut: Future<Output = SqsBatchResponse>,
    {
        let mut round = 0;
        while !self.waiting.is_empty() {
            let due = std::mem::take(&mut self.waiting);
            for batch in due.chunks(batch_size) {
                let response = deliver(round, event(batch)).await;
                self.settle(batch, &response);
            }
            round += 1;
        }
    }

    /// Failed messages come back, or go to the dead-letter queue.
    fn settle(&mut self, batch: &[(String, String, u32)], response: &SqsBatchResponse) {
        for (id, body, receives) in batch {
            let failed = response
                .batch_item_failures
                .iter()
                .any(|f| f.item_identifier == *id);
            if !failed {
                continue;
            }
            if receives + 1 >= self.max_receives {
                self.dead_letters.push(body.clone());
            } else {
                self.waiting.push((id.clone(), body.clone(), receives + 1));
            }
        }
    }
}

fn event(batch: &[(String, String, u32)]) -> SqsEvent {
    let mut event = SqsEvent::default();
    event.records = batch
        .iter()
        .map(|(id, body, receives)| {
            let mut message = SqsMessage::default(); // non-exhaustive
            message.message_id = Some(id.clone());
            message.body = Some(body.clone());
            let count = (receives + 1).to_string();
            message
                .attributes
                .insert("ApproximateReceiveCount".into(), count);
            message
        })
        .collect();
    event
}

/// Delivers `records` as one stream batch, retried from its first failed
/// record at most `max_retries` times; returns the records left to the
/// on-failure destination (none when the batch got through).
pub async fn retry_stream<F, Fut>(
    records: Vec<EventRecord>,
    max_retries: u32,
    mut deliver: F,
) -> Vec<EventRecord>
where
    F: FnMut(u32, Event) -> Fut,
    Fut: Future<Output = DynamoDbEventResponse>,
{
    let mut records = records;
    for attempt in 0..=max_retries {
        let mut batch = Event::default(); // non-exhaustive
        batch.records = records.clone();
        let response = deliver(attempt, batch).await;
        let Some(failed) = response
            .batch_item_failures
            .first()
            .and_then(|f| f.item_identifier.clone())
        else {
            return Vec::new();
        };
        let from = records
            .iter()
            .position(|r| r.change.sequence_number.as_deref() == Some(failed.as_str()))
            .expect("the failed record is one of the batch");
        records.drain(..from);
    }
    records
}
