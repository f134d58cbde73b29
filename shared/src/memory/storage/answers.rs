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
        let list = match list {
            WorkList::Outbox => keys::OUTBOX,
            WorkList::Deadlines => keys::DEADLINES,
        };
        let mut sort_keys = Vec::new();
        for partition in keys::work_partitions(list) {
            sort_keys.extend(self.work_partition(&partition, before, limit).await?);
        }
        Ok(keys::earliest_numbers(sort_keys, limit))
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

/// What one Query returns at most, as DynamoDB counts it.
const QUERY_PAGE_BYTES: usize = 1 << 20;

impl MemoryStorage {
    /// One partition of the work index read as DynamoDB would: a Query per
    /// 1 MB page of keys-only entries, each counted against its partition.
    async fn work_partition(
        &self,
        partition: &str,
        before: &str,
        limit: usize,
    ) -> Result<Vec<String>, PortError> {
        let mut entries: Vec<(String, usize)> = {
            let t = self.tables.lock().unwrap();
            t.notices
                .values()
                .filter_map(|n| {
                    let (pk, sk) = keys::work(n)?;
                    (pk == partition && sk.as_str() < before).then(|| {
                        let size = keys_only_entry_bytes(&pk, &sk, &n.notice.notice_number);
                        (sk, size)
                    })
                })
                .collect()
        };
        entries.sort();
        entries.truncate(limit);
        let mut sort_keys = Vec::with_capacity(entries.len());
        let mut page_bytes = 0;
        self.query(partition).await?;
        for (sk, size) in entries {
            if page_bytes + size > QUERY_PAGE_BYTES {
                self.query(partition).await?;
                page_bytes = 0;
            }
            page_bytes += size;
            sort_keys.push(sk);
        }
        self.count_items_read(sort_keys.len());
        Ok(sort_keys)
    }
}

/// A keys-only `gsi3` entry's size by DynamoDB's rule (attribute names and
/// values): the index keys and the table keys it always projects.
fn keys_only_entry_bytes(gsi3pk: &str, gsi3sk: &str, number: &str) -> usize {
    let table_keys = "pk".len() + keys::notice(number).len() + "sk".len() + keys::NOTICE_SK.len();
    "gsi3pk".len() + gsi3pk.len() + "gsi3sk".len() + gsi3sk.len() + table_keys
}
