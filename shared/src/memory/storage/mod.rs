//! The table in memory, with DynamoDB's conditional writes and batch
//! limits: one file per item family of `Storage`, and `AnswerStore`.

mod answers;
mod files;
mod fleet;
mod notices;
mod records;
mod tenants;

use crate::domain::tenant::{Tenant, User};
use crate::domain::{Holding, PlateKey, TenantId};
use crate::ports::PortError;
use crate::store::{
    Declaration, DeclarationMode, FileOutcome, FileStatus, OutboundBatch, Record, RecordKind,
    StoredNotice, UnroutedNotice, Vehicle,
};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// An inbound file's record: status, lease end, outcome.
type FileRecord = (FileStatus, Option<DateTime<Utc>>, Option<FileOutcome>);

#[derive(Default)]
struct Tables {
    files: HashMap<String, FileRecord>,
    holdings: HashMap<PlateKey, Vec<Holding>>,
    notices: BTreeMap<String, StoredNotice>,
    unrouted: BTreeMap<String, UnroutedNotice>,
    vehicles: BTreeMap<(String, String), (Vehicle, DateTime<Utc>)>,
    declarations: BTreeMap<String, Declaration>,
    tenants: BTreeMap<TenantId, Tenant>,
    users: BTreeMap<(TenantId, String), User>,
    last_declarations: HashMap<DeclarationMode, Declaration>,
    records: BTreeMap<(TenantId, RecordKind, String), Record>,
    open_batch: Option<OutboundBatch>,
    closed_batches: BTreeMap<String, OutboundBatch>,
}

/// The table in memory.
#[derive(Default)]
pub struct MemoryStorage {
    tables: Mutex<Tables>,
    requests: AtomicUsize,
    /// Items the list reads went through, as DynamoDB counts them.
    items_read: AtomicUsize,
    /// Queries by partition key, for the partitions counted so far (the
    /// work index's shards).
    queries: Mutex<BTreeMap<String, usize>>,
    /// When set, the next call of that operation fails (crash injection).
    fail_next: Mutex<Option<&'static str>>,
    /// The instant reads compare expiries with (time-travel tests); `None`:
    /// nothing is treated as expired.
    now: Mutex<Option<DateTime<Utc>>>,
    /// Every call first gives way to the other tasks, as a network call
    /// does: concurrent requests then interleave between their reads and
    /// writes (concurrency tests).
    interleaved: AtomicBool,
}

impl MemoryStorage {
    /// Requests made so far, counted as DynamoDB would receive them.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// Items the list reads (queries) went through so far, kept or not:
    /// what DynamoDB would read and bill.
    pub fn items_read(&self) -> usize {
        self.items_read.load(Ordering::Relaxed)
    }

    /// Queries made so far, by the partition key they read.
    pub fn queries_by_partition(&self) -> BTreeMap<String, usize> {
        self.queries.lock().unwrap().clone()
    }

    /// A Query request on `partition`: counted as a request and by partition.
    async fn query(&self, partition: &str) -> Result<(), PortError> {
        self.request("work_list").await?;
        *self
            .queries
            .lock()
            .unwrap()
            .entry(partition.to_string())
            .or_default() += 1;
        Ok(())
    }

    fn count_items_read(&self, items: usize) {
        self.items_read.fetch_add(items, Ordering::Relaxed);
    }

    /// Reads from now on treat items whose TTL passed `now` as gone, as
    /// the DynamoDB adapter does with the real time.
    pub fn set_now(&self, now: DateTime<Utc>) {
        *self.now.lock().unwrap() = Some(now);
    }

    fn live_record(&self, r: &Record) -> bool {
        self.now
            .lock()
            .unwrap()
            .is_none_or(|now| !r.is_expired(now.timestamp()))
    }

    fn live_notice(&self, n: &StoredNotice) -> bool {
        self.now
            .lock()
            .unwrap()
            .is_none_or(|now| crate::store::notice_expires_at(n) > now.timestamp())
    }

    pub fn fail_next(&self, operation: &'static str) {
        *self.fail_next.lock().unwrap() = Some(operation);
    }

    /// From now on, every call yields once before it runs.
    pub fn interleave_calls(&self) {
        self.interleaved.store(true, Ordering::Relaxed);
    }

    async fn request(&self, operation: &'static str) -> Result<(), PortError> {
        if self.interleaved.load(Ordering::Relaxed) {
            tokio::task::yield_now().await;
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut fail = self.fail_next.lock().unwrap();
        if *fail == Some(operation) {
            *fail = None;
            return Err(PortError::new(operation, "injected failure"));
        }
        Ok(())
    }

    pub fn notices(&self) -> Vec<StoredNotice> {
        self.tables
            .lock()
            .unwrap()
            .notices
            .values()
            .cloned()
            .collect()
    }

    pub fn unrouted(&self) -> Vec<UnroutedNotice> {
        self.tables
            .lock()
            .unwrap()
            .unrouted
            .values()
            .cloned()
            .collect()
    }

    /// Removes a notice as DynamoDB's TTL deletion does (purge tests).
    pub fn remove_notice(&self, number: &str) {
        self.tables.lock().unwrap().notices.remove(number);
    }

    /// Every stored notice and record as JSON text, expired or not: what a
    /// scan of the whole table would read (erasure tests search it).
    pub fn everything_stored(&self) -> String {
        let tables = self.tables.lock().unwrap();
        let notices: Vec<_> = tables.notices.values().collect();
        let records: Vec<_> = tables.records.values().collect();
        let users: Vec<_> = tables.users.values().collect();
        serde_json::to_string(&(notices, records, users)).expect("stored items serialize")
    }

    pub fn file_status(&self, file_key: &str) -> Option<FileStatus> {
        self.tables.lock().unwrap().files.get(file_key).map(|f| f.0)
    }
}
