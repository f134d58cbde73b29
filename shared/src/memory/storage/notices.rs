//! Notices, unrouted notices and plate holdings in memory, with the table's
//! batch limits.

use super::MemoryStorage;
use crate::domain::{Holding, PlateKey};
use crate::ports::{NoticeStore, PortError, MAX_BATCH_GET, MAX_BATCH_WRITE};
use crate::store::{
    NoticeIndex, NoticePosition, NoticeRange, NoticeSlice, StoredNotice, UnroutedNotice,
};
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
            .filter(|n| n.tenant_id.0 == tenant_id)
            .collect();
        self.count_items_read(v.len());
        v.retain(|n| self.live_notice(n));
        v.sort_by(StoredNotice::by_deadline);
        Ok(v)
    }

    /// As DynamoDB's Query: `limit` items of the range read in key order,
    /// then the criteria applied; a position given back whenever the limit
    /// was reached.
    async fn notices_in_range(&self, range: &NoticeRange<'_>) -> Result<NoticeSlice, PortError> {
        self.request("notices_in_range").await?;
        let tables = self.tables.lock().unwrap();
        let mut read: Vec<&StoredNotice> = tables
            .notices
            .values()
            .filter(|n| in_index(range.index, n) && n.status == range.status)
            .filter(|n| range.due_by.is_none_or(|d| n.deadline <= d))
            .filter(|n| range.due_from.is_none_or(|d| n.deadline >= d))
            .filter(|n| range.after.is_none_or(|a| NoticePosition::of(n) > *a))
            .collect();
        // The first `limit` in key order, without sorting the whole range:
        // the load bench lists pages of a 20,000-notice tenant.
        let in_key_order = |a: &&StoredNotice, b: &&StoredNotice| StoredNotice::by_deadline(a, b);
        if read.len() > range.limit {
            read.select_nth_unstable_by(range.limit, in_key_order);
            read.truncate(range.limit);
        }
        read.sort_by(in_key_order);
        self.count_items_read(read.len());
        let stopped_at = (read.len() == range.limit)
            .then(|| read.last().map(|n| NoticePosition::of(n)))
            .flatten();
        let notices = read
            .into_iter()
            .filter(|n| range.criteria.matches(n) && self.live_notice(n))
            .cloned()
            .collect();
        Ok(NoticeSlice {
            notices,
            stopped_at,
        })
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

fn in_index(index: &NoticeIndex, n: &StoredNotice) -> bool {
    match index {
        NoticeIndex::Tenant(t) => n.tenant_id == *t,
        NoticeIndex::Entity(t, e) => n.tenant_id == *t && n.entity_id == *e,
    }
}
