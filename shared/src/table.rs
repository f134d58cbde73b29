//! The DynamoDB table's schema: the item shape of each stored record and
//! the keys it sits under (see docs/data-model.md). Only the adapters (AWS,
//! in memory) and the stream consumer use it; the ports speak `store`'s
//! records.
//!
//! One table, generic key names (`pk`, `sk`, `gsi1pk`…) so that several
//! item types share it. Every item carries `item_type`; items that expire
//! carry `expires_at` (epoch seconds, the table's TTL attribute).

use crate::domain::tenant::{Tenant, User};
use crate::domain::{EntityId, Holding, NoticeStatus, PlateKey, TenantId};
use crate::store::*;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub mod keys {
    use super::*;

    pub fn tenant(t: &TenantId) -> String {
        format!("TENANT#{t}")
    }
    pub fn notice(number: &str) -> String {
        format!("NOTICE#{number}")
    }
    pub fn tenant_notices(t: &TenantId) -> String {
        format!("TENANT#{t}#NOTICES")
    }
    pub fn entity(t: &TenantId, e: &EntityId) -> String {
        format!("TENANT#{t}#ENTITY#{e}")
    }
    /// Sorts a tenant's (or entity's) notices by status, then deadline.
    pub fn notice_by_status(status: NoticeStatus, deadline: NaiveDate, number: &str) -> String {
        format!("NOTICE#{}#{}#{number}", status.as_str(), deadline)
    }
    /// The `notice_by_status` keys of one status whose deadline is `from` or later.
    pub fn notices_due_from(status: NoticeStatus, from: NaiveDate) -> (String, String) {
        let prefix = format!("NOTICE#{}#", status.as_str());
        (format!("{prefix}{from}"), format!("{prefix}~"))
    }
    /// The `notice_by_status` keys of one status, deadlines up to `due_by`.
    pub fn notices_of_status(
        status: NoticeStatus,
        due_from: Option<NaiveDate>,
        due_by: Option<NaiveDate>,
    ) -> (String, String) {
        let prefix = format!("NOTICE#{}#", status.as_str());
        let from = match due_from {
            Some(day) => format!("{prefix}{day}#"),
            None => prefix.clone(),
        };
        let to = match due_by {
            Some(day) => format!("{prefix}{day}#~"),
            None => format!("{prefix}~"),
        };
        (from, to)
    }
    /// The list position a `notice_by_status` key stands for.
    pub fn notice_position(key: &str) -> Option<NoticePosition> {
        let mut parts = key.strip_prefix("NOTICE#")?.splitn(3, '#');
        let (_status, deadline, number) = (parts.next()?, parts.next()?, parts.next()?);
        Some(NoticePosition {
            deadline: deadline.parse().ok()?,
            notice_number: number.to_string(),
        })
    }
    /// Every `notice_by_status` key.
    pub const ALL_NOTICES: (&str, &str) = ("NOTICE#", "NOTICE#~");
    pub fn plate(p: &PlateKey) -> String {
        format!("PLATE#{p}")
    }
    pub fn vehicle(vehicle_id: &str) -> String {
        format!("VEHICLE#{vehicle_id}")
    }
    pub fn file(file_key: &str) -> String {
        format!("FILE#{file_key}")
    }
    pub fn declaration(file_id: &str) -> String {
        format!("DECLARATION#{file_id}")
    }
    pub const DECLARATION_SK: &str = "DECLARATION";
    pub const LAST_DECLARATION_SK: &str = "LAST";
    pub fn last_declaration(mode: super::DeclarationMode) -> String {
        format!("DECLARATION#LAST#{mode:?}")
    }
    pub fn unrouted_day(day: NaiveDate) -> String {
        format!("UNROUTED#{day}")
    }
    pub fn user(user_id: &str) -> String {
        format!("USER#{user_id}")
    }
    pub fn record(kind: super::RecordKind, id: &str) -> String {
        format!("{}#{id}", kind.prefix())
    }
    /// The work index's two lists: answers waiting for an outbound batch, by
    /// the end of their grace window; unanswered notices, by deadline.
    pub const OUTBOX: &str = "OUTBOX";
    pub const DEADLINES: &str = "DEADLINES";
    /// Each list is spread over this many index partitions (`OUTBOX#00` to
    /// `OUTBOX#15`), so that neither a burst of answers nor a backlog of
    /// notices meets one partition's write limit; readers query them all
    /// (docs/data-model.md, "The work index"). Changing it moves entries:
    /// readers would then have to query the old shards as well.
    pub const WORK_SHARDS: u32 = 16;
    /// The work-index key of a notice, when a scheduled job must see it.
    pub fn work(n: &StoredNotice) -> Option<(String, String)> {
        let number = &n.notice.notice_number;
        match (n.status, &n.answer) {
            (NoticeStatus::AnswerPending, Some(a)) if a.batch_id.is_none() => Some((
                work_shard(OUTBOX, number),
                format!(
                    "{}#{number}",
                    a.window_ends_at.format("%Y-%m-%dT%H:%M:%S%.3fZ")
                ),
            )),
            (NoticeStatus::Open | NoticeStatus::AnswerInError, _) => Some((
                work_shard(DEADLINES, number),
                format!("{}#{number}", n.deadline),
            )),
            _ => None,
        }
    }
    /// The shard of a notice in `list`: a stable hash of its number, so
    /// every write of one notice lands in the same shard, whatever the
    /// Rust version or the machine.
    pub fn work_shard(list: &str, number: &str) -> String {
        format!("{list}#{:02}", fnv1a(number) % WORK_SHARDS)
    }
    /// The partitions a reader of `list` queries: every shard, then the
    /// unsharded key that entries written before sharding keep until their
    /// notice is next written (one more query, normally empty).
    pub fn work_partitions(list: &str) -> Vec<String> {
        (0..WORK_SHARDS)
            .map(|shard| format!("{list}#{shard:02}"))
            .chain([list.to_string()])
            .collect()
    }
    /// The notice numbers of the earliest `limit` work-index sort keys read
    /// from a list's partitions, each once.
    pub fn earliest_numbers(mut sort_keys: Vec<String>, limit: usize) -> Vec<String> {
        sort_keys.sort();
        sort_keys.dedup();
        sort_keys
            .into_iter()
            .take(limit)
            .filter_map(|sk| sk.rsplit('#').next().map(str::to_string))
            .collect()
    }
    /// 32-bit FNV-1a: small, stable, and spreads consecutive notice numbers.
    fn fnv1a(text: &str) -> u32 {
        text.bytes().fold(0x811c_9dc5, |hash, byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        })
    }
    pub const OUTBOUND: &str = "OUTBOUND";
    pub const OPEN_BATCH_SK: &str = "OPEN";
    pub fn batch(batch_id: &str) -> String {
        format!("BATCH#{batch_id}")
    }
    pub const TENANT_SK: &str = "TENANT";
    pub const NOTICE_SK: &str = "NOTICE";
    pub const HOLDINGS_SK: &str = "HOLDINGS";
    pub const FILE_SK: &str = "FILE";
}

/// The DynamoDB item of a notice. Keyed by notice number alone, so the same
/// number can never be stored twice, whatever tenant it routes to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeItem {
    pub pk: String,
    pub sk: String,
    pub gsi1pk: String,
    pub gsi1sk: String,
    pub gsi2pk: String,
    pub gsi2sk: String,
    /// Sparse work index: set only while a scheduled job has something to do
    /// with the notice (`OUTBOX` or `DEADLINES`, see `keys::work`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi3pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi3sk: Option<String>,
    pub item_type: String,
    pub expires_at: i64,
    #[serde(flatten)]
    pub data: StoredNotice,
}

impl From<&StoredNotice> for NoticeItem {
    fn from(n: &StoredNotice) -> Self {
        let number = &n.notice.notice_number;
        let by_status = keys::notice_by_status(n.status, n.deadline, number);
        let (gsi3pk, gsi3sk) = match keys::work(n) {
            Some((pk, sk)) => (Some(pk), Some(sk)),
            None => (None, None),
        };
        let expires_at = notice_expires_at(n);
        NoticeItem {
            pk: keys::notice(number),
            sk: keys::NOTICE_SK.into(),
            gsi1pk: keys::tenant_notices(&n.tenant_id),
            gsi1sk: by_status.clone(),
            gsi2pk: keys::entity(&n.tenant_id, &n.entity_id),
            gsi2sk: by_status,
            gsi3pk,
            gsi3sk,
            item_type: "NOTICE".into(),
            expires_at,
            data: n.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BatchItem {
    pub pk: String,
    pub sk: String,
    pub item_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    #[serde(flatten)]
    pub data: OutboundBatch,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VehicleItem {
    pub pk: String,
    pub sk: String,
    pub gsi2pk: String,
    pub gsi2sk: String,
    pub item_type: String,
    /// Last change, epoch milliseconds (a number, so conditions compare it
    /// correctly), for the daily fleet declaration.
    pub updated_at: i64,
    /// A removed vehicle's end: the TTL deletes it, the purge its holding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    #[serde(flatten)]
    pub data: Vehicle,
}

impl VehicleItem {
    pub fn new(v: &Vehicle, updated_at: DateTime<Utc>) -> Self {
        VehicleItem {
            pk: keys::tenant(&v.tenant_id),
            sk: keys::vehicle(&v.vehicle_id),
            gsi2pk: keys::entity(&v.tenant_id, &v.entity_id),
            gsi2sk: format!("VEHICLE#{}", v.plate.key()),
            item_type: "VEHICLE".into(),
            updated_at: updated_at.timestamp_millis(),
            expires_at: None,
            data: v.clone(),
        }
    }
}

/// Every holding of one plate, across tenants: what routing reads, one item
/// per plate so a batch read of 100 plates routes 100 notices.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlateHoldingsItem {
    pub pk: String,
    pub sk: String,
    pub item_type: String,
    /// Optimistic-concurrency counter for read-modify-write.
    pub version: u64,
    pub holdings: Vec<Holding>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeclarationItem {
    pub pk: String,
    pub sk: String,
    pub item_type: String,
    #[serde(flatten)]
    pub data: Declaration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TenantItem {
    pub pk: String,
    pub sk: String,
    pub item_type: String,
    #[serde(flatten)]
    pub data: Tenant,
}

impl From<&Tenant> for TenantItem {
    fn from(t: &Tenant) -> Self {
        TenantItem {
            pk: keys::tenant(&t.tenant_id),
            sk: keys::TENANT_SK.into(),
            item_type: "TENANT".into(),
            data: t.clone(),
        }
    }
}

/// A user, also found by identity-provider subject (`gsi1`), as a verified token names it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserItem {
    pub pk: String,
    pub sk: String,
    pub gsi1pk: String,
    pub gsi1sk: String,
    pub item_type: String,
    #[serde(flatten)]
    pub data: User,
}

impl From<&User> for UserItem {
    fn from(u: &User) -> Self {
        UserItem {
            pk: keys::tenant(&u.tenant_id),
            sk: keys::user(&u.user_id),
            gsi1pk: keys::user(&u.user_id),
            gsi1sk: keys::tenant(&u.tenant_id),
            item_type: "USER".into(),
            data: u.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordItem {
    pub pk: String,
    pub sk: String,
    pub item_type: String,
    #[serde(flatten)]
    pub record: Record,
}

impl RecordItem {
    pub fn new(tenant_id: &TenantId, kind: RecordKind, record: &Record) -> Self {
        RecordItem {
            pk: keys::tenant(tenant_id),
            sk: keys::record(kind, &record.id),
            item_type: kind.prefix().into(),
            record: record.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileItem {
    pub pk: String,
    pub sk: String,
    pub item_type: String,
    pub status: FileStatus,
    /// End of the processing lease, epoch seconds (compared in conditions).
    pub lease_until: Option<i64>,
    pub outcome: Option<FileOutcome>,
    pub expires_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnroutedItem {
    pub pk: String,
    pub sk: String,
    pub item_type: String,
    pub expires_at: i64,
    #[serde(flatten)]
    pub data: UnroutedNotice,
}

impl From<&UnroutedNotice> for UnroutedItem {
    fn from(u: &UnroutedNotice) -> Self {
        UnroutedItem {
            pk: keys::unrouted_day(crate::domain::time::paris_date(u.received_at)),
            sk: keys::notice(&u.notice_number),
            item_type: "UNROUTED".into(),
            expires_at: epoch_after(u.received_at, UNROUTED_RECORD_DAYS),
            data: u.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::stored;

    #[test]
    fn notice_items_map_to_dynamodb_and_back() {
        let item = NoticeItem::from(&stored());
        assert_eq!(item.pk, "NOTICE#8812345678");
        assert_eq!(item.gsi1pk, "TENANT#t-acme#NOTICES");
        assert_eq!(item.gsi1sk, "NOTICE#OPEN#2026-12-21#8812345678");
        assert_eq!(item.gsi2pk, "TENANT#t-acme#ENTITY#e-lyon");
        let av: std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue> =
            serde_dynamo::to_item(&item).unwrap();
        assert!(av.contains_key("offence_at") || av.contains_key("notice"));
        let back: NoticeItem = serde_dynamo::from_item(av).unwrap();
        assert_eq!(back.data, stored());
    }

    #[test]
    fn a_notice_keeps_its_work_shard_and_consecutive_numbers_spread_evenly() {
        // Stable across builds (checked against an FNV-1a written in Python):
        // stored items must be found again.
        assert_eq!(keys::work_shard(keys::OUTBOX, "8812345678"), "OUTBOX#05");
        assert_eq!(keys::work(&stored()).unwrap().0, "DEADLINES#05");
        let mut per_shard = std::collections::BTreeMap::<String, usize>::new();
        for n in 4_035_000_000u64..4_035_016_000 {
            *per_shard
                .entry(keys::work_shard(keys::OUTBOX, &n.to_string()))
                .or_default() += 1;
        }
        assert_eq!(per_shard.len(), keys::WORK_SHARDS as usize);
        let (fewest, most) = (per_shard.values().min(), per_shard.values().max());
        assert!(
            most.unwrap() - fewest.unwrap() < 200,
            "16,000 numbers over 16 shards: {per_shard:?}"
        );
        let partitions = keys::work_partitions(keys::OUTBOX);
        assert_eq!(partitions.len(), 17, "every shard and the unsharded key");
        assert!(per_shard.keys().all(|shard| partitions.contains(shard)));
        assert_eq!(partitions.last().unwrap(), "OUTBOX");
    }

    #[test]
    fn the_earliest_entries_of_several_partitions_come_first_each_once() {
        let sort_keys = vec![
            "2026-12-02T10:00:00.000Z#3".to_string(),
            "2026-12-01T10:00:00.000Z#1".into(),
            "2026-12-01T11:00:00.000Z#2".into(),
            "2026-12-01T10:00:00.000Z#1".into(),
        ];
        assert_eq!(keys::earliest_numbers(sort_keys, 2), ["1", "2"]);
    }
}
