//! Notices, unrouted notices and plate holdings in memory, with the table's
//! batch limits.

use super::MemoryStorage;
use crate::domain::{Holding, PlateKey};
use crate::ports::{NoticeStore, PortError, MAX_BATCH_GET, MAX_BATCH_WRITE};
use crate::store::{StoredNotice, UnroutedNotice};
use async_trait::async_trait;
use chrono::NaiveDate;
use std::collections::HashMap;

#[async_trait]
impl NoticeStore for MemoryStorage {
    async fn holdings(
        &self,
        plates: &[PlateKey],
    ) -> Result<HashMap<PlateKey, Vec<Holding>>, PortError> {
        assert!(plates.len() <= MAX_BATCH_GET, "callers chunk batch reads");
        self.request("holdings").await?;
        let t = self.tables.lock().unwrap();
        Ok(plates
            .iter()
            .filter_map(|p| t.holdings.get(p).map(|h| (p.clone(), h.clone())))
            .collect())
    }

    async fn existing_notices(
        &self,
        numbers: &[String],
    ) -> Result<HashMap<String, String>, PortError> {
        assert!(numbers.len() <= MAX_BATCH_GET, "callers chunk batch reads");
        self.request("existing_notices").await?;
        let t = self.tables.lock().unwrap();
        Ok(numbers
            .iter()
            .filter_map(|n| t.notices.get(n).map(|s| (n.clone(), s.source_file.clone())))
            .collect())
    }

    async fn put_notices(&self, notices: &[StoredNotice]) -> Result<(), PortError> {
        assert!(
            notices.len() <= MAX_BATCH_WRITE,
            "callers chunk batch writes"
        );
        self.request("put_notices").await?;
        let mut t = self.tables.lock().unwrap();
        for n in notices {
            t.notices.insert(n.notice.notice_number.clone(), n.clone());
        }
        Ok(())
    }

    async fn put_unrouted(&self, records: &[UnroutedNotice]) -> Result<(), PortError> {
        assert!(
            records.len() <= MAX_BATCH_WRITE,
            "callers chunk batch writes"
        );
        self.request("put_unrouted").await?;
        let mut t = self.tables.lock().unwrap();
        for u in records {
            t.unrouted.insert(u.notice_number.clone(), u.clone());
        }
        Ok(())
    }

    async fn tenant_notices(&self, tenant_id: &str) -> Result<Vec<StoredNotice>, PortError> {
        self.request("tenant_notices").await?;
        let mut v: Vec<StoredNotice> = self
            .notices()
            .into_iter()
            .filter(|n| n.tenant_id.0 == tenant_id && self.live_notice(n))
            .collect();
        v.sort_by(StoredNotice::by_deadline);
        Ok(v)
    }

    async fn tenant_notices_due_from(
        &self,
        tenant_id: &str,
        first_day: NaiveDate,
    ) -> Result<Vec<StoredNotice>, PortError> {
        self.request("tenant_notices_due_from").await?;
        let mut v: Vec<StoredNotice> = self
            .notices()
            .into_iter()
            .filter(|n| n.tenant_id.0 == tenant_id && n.deadline >= first_day)
            .filter(|n| self.live_notice(n))
            .collect();
        v.sort_by(StoredNotice::by_deadline);
        Ok(v)
    }

    async fn notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        self.request("notice").await?;
        let found = self.tables.lock().unwrap().notices.get(number).cloned();
        Ok(found.filter(|n| self.live_notice(n)))
    }
}
