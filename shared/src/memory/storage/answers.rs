//! Notices written back under optimistic concurrency, the work index and the
//! outbound batch, in memory.

use super::MemoryStorage;
use crate::ports::{AnswerStore, PortError, WorkList};
use crate::store::{BatchPhase, OutboundBatch, StoredNotice};
use crate::table::keys;
use async_trait::async_trait;

#[async_trait]
impl AnswerStore for MemoryStorage {
    async fn load_notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        // Yield as a network call would, so concurrent writers interleave.
        tokio::task::yield_now().await;
        self.request("load_notice").await?;
        let found = self.tables.lock().unwrap().notices.get(number).cloned();
        Ok(found.filter(|n| self.live_notice(n)))
    }

    async fn put_notice_if(&self, notice: &StoredNotice, expected: u64) -> Result<bool, PortError> {
        tokio::task::yield_now().await;
        self.request("put_notice_if").await?;
        let mut t = self.tables.lock().unwrap();
        match t.notices.get_mut(&notice.notice.notice_number) {
            Some(stored) if stored.version == expected => {
                *stored = notice.clone();
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn work_list(
        &self,
        list: WorkList,
        before: &str,
        limit: usize,
    ) -> Result<Vec<String>, PortError> {
        self.request("work_list").await?;
        let partition = match list {
            WorkList::Outbox => keys::OUTBOX,
            WorkList::Deadlines => keys::DEADLINES,
        };
        let t = self.tables.lock().unwrap();
        let mut found: Vec<(String, String)> = t
            .notices
            .values()
            .filter_map(keys::work)
            .filter(|(pk, sk)| pk == partition && sk.as_str() < before)
            .map(|(_, sk)| {
                let number = sk.rsplit('#').next().unwrap_or_default().to_string();
                (sk, number)
            })
            .collect();
        found.sort();
        Ok(found.into_iter().take(limit).map(|(_, n)| n).collect())
    }

    async fn open_batch(&self) -> Result<Option<OutboundBatch>, PortError> {
        self.request("open_batch").await?;
        Ok(self.tables.lock().unwrap().open_batch.clone())
    }

    async fn put_open_batch(
        &self,
        batch: &OutboundBatch,
        expected: Option<BatchPhase>,
    ) -> Result<bool, PortError> {
        self.request("put_open_batch").await?;
        let mut t = self.tables.lock().unwrap();
        let allowed = match (&t.open_batch, expected) {
            (None, None) => true,
            (Some(open), Some(phase)) => open.batch_id == batch.batch_id && open.phase == phase,
            _ => false,
        };
        if allowed {
            t.open_batch = Some(batch.clone());
        }
        Ok(allowed)
    }

    async fn close_batch(&self, batch: &OutboundBatch) -> Result<(), PortError> {
        self.request("close_batch").await?;
        let mut t = self.tables.lock().unwrap();
        t.closed_batches
            .insert(batch.batch_id.clone(), batch.clone());
        if t.open_batch.as_ref().map(|b| &b.batch_id) == Some(&batch.batch_id) {
            t.open_batch = None;
        }
        Ok(())
    }

    async fn closed_batch(&self, batch_id: &str) -> Result<Option<OutboundBatch>, PortError> {
        self.request("closed_batch").await?;
        Ok(self
            .tables
            .lock()
            .unwrap()
            .closed_batches
            .get(batch_id)
            .cloned())
    }
}
