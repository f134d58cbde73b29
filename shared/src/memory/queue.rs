//! Queues in memory.

use crate::ports::{PortError, Queue, QueueMessage, MAX_QUEUE_BATCH};
use async_trait::async_trait;
use std::sync::Mutex;

/// Messages by queue URL.
#[derive(Default)]
pub struct MemoryQueue {
    pub sent: Mutex<Vec<(String, QueueMessage)>>,
}

impl MemoryQueue {
    pub fn bodies(&self) -> Vec<serde_json::Value> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|(_, m)| serde_json::from_str(&m.body).expect("JSON message"))
            .collect()
    }
}

#[async_trait]
impl Queue for MemoryQueue {
    async fn send(&self, queue_url: &str, messages: &[QueueMessage]) -> Result<(), PortError> {
        assert!(
            messages.len() <= MAX_QUEUE_BATCH,
            "callers chunk queue sends"
        );
        let mut sent = self.sent.lock().unwrap();
        sent.extend(messages.iter().map(|m| (queue_url.to_string(), m.clone())));
        Ok(())
    }
}
