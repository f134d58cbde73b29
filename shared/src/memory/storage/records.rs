//! Document records in memory, written under the same version check as the
//! table's conditional put.

use super::MemoryStorage;
use crate::domain::TenantId;
use crate::ports::{PortError, RecordStore};
use crate::store::{Record, RecordKind};
use async_trait::async_trait;

#[async_trait]
impl RecordStore for MemoryStorage {
    async fn record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<Record>, PortError> {
        // Yield as a network call would, so concurrent writers interleave.
        tokio::task::yield_now().await;
        self.request("record").await?;
        let found = self
            .tables
            .lock()
            .unwrap()
            .records
            .get(&(tenant_id.clone(), kind, id.to_string()))
            .cloned();
        Ok(found.filter(|r| self.live_record(r)))
    }

    async fn records_before(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        before: &str,
        limit: usize,
    ) -> Result<Vec<Record>, PortError> {
        self.request("records_before").await?;
        let start = (tenant_id.clone(), kind, String::new());
        let end = (tenant_id.clone(), kind, before.to_string());
        let found: Vec<Record> = self
            .tables
            .lock()
            .unwrap()
            .records
            .range(start..end)
            .rev()
            .take(limit)
            .map(|(_, r)| r.clone())
            .collect();
        self.count_items_read(found.len());
        Ok(found.into_iter().filter(|r| self.live_record(r)).collect())
    }

    async fn records(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
    ) -> Result<Vec<Record>, PortError> {
        self.request("records").await?;
        let found: Vec<Record> = self
            .tables
            .lock()
            .unwrap()
            .records
            .iter()
            .filter(|((tenant, k, _), _)| tenant == tenant_id && *k == kind)
            .map(|(_, r)| r.clone())
            .collect();
        self.count_items_read(found.len());
        Ok(found.into_iter().filter(|r| self.live_record(r)).collect())
    }

    async fn put_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        record: &Record,
        expected: Option<u64>,
    ) -> Result<bool, PortError> {
        tokio::task::yield_now().await;
        self.request("put_record").await?;
        let mut t = self.tables.lock().unwrap();
        let key = (tenant_id.clone(), kind, record.id.clone());
        // As the DynamoDB adapter: a new record may replace an expired one.
        let current = t
            .records
            .get(&key)
            .filter(|r| expected.is_some() || self.live_record(r));
        if current.map(|r| r.version) != expected {
            return Ok(false);
        }
        t.records.insert(key, record.clone());
        Ok(true)
    }

    async fn delete_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<(), PortError> {
        self.request("delete_record").await?;
        let mut t = self.tables.lock().unwrap();
        t.records.remove(&(tenant_id.clone(), kind, id.to_string()));
        Ok(())
    }
}
