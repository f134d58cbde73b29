//! The table in memory: every item family of `Storage` and `AnswerStore`, with DynamoDB's conditional writes and batch limits.

use crate::domain::tenant::{Tenant, User};
use crate::domain::{Holding, PlateKey, TenantId};
use crate::ports::{AnswerStore, PortError, Storage, WorkList, MAX_BATCH_GET, MAX_BATCH_WRITE};
use crate::store::{
    BatchPhase, Declaration, DeclarationMode, FileClaim, FileOutcome, FileStatus, OutboundBatch,
    Record, RecordKind, StoredNotice, UnroutedNotice, Vehicle,
};
use crate::table::keys;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// When set, the next call of that operation fails (crash injection).
    fail_next: Mutex<Option<&'static str>>,
    /// The instant reads compare expiries with (time-travel tests); `None`:
    /// nothing is treated as expired.
    now: Mutex<Option<DateTime<Utc>>>,
}

impl MemoryStorage {
    /// Requests made so far, counted as DynamoDB would receive them.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
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

    fn request(&self, operation: &'static str) -> Result<(), PortError> {
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

#[async_trait]
impl Storage for MemoryStorage {
    async fn claim_file(
        &self,
        file_key: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<FileClaim, PortError> {
        self.request("claim_file")?;
        let mut t = self.tables.lock().unwrap();
        match t.files.get(file_key) {
            Some((FileStatus::Processing, Some(lease), _)) if *lease >= now => {
                return Ok(FileClaim::Busy {
                    lease_until: *lease,
                })
            }
            Some((status, _, Some(outcome))) if *status != FileStatus::Processing => {
                return Ok(FileClaim::AlreadyFinished(outcome.clone()))
            }
            _ => {}
        }
        t.files.insert(
            file_key.to_string(),
            (FileStatus::Processing, Some(lease_until), None),
        );
        Ok(FileClaim::Acquired)
    }

    async fn finish_file(&self, file_key: &str, outcome: &FileOutcome) -> Result<(), PortError> {
        self.request("finish_file")?;
        self.tables.lock().unwrap().files.insert(
            file_key.to_string(),
            (outcome.status, None, Some(outcome.clone())),
        );
        Ok(())
    }

    async fn holdings(
        &self,
        plates: &[PlateKey],
    ) -> Result<HashMap<PlateKey, Vec<Holding>>, PortError> {
        assert!(plates.len() <= MAX_BATCH_GET, "callers chunk batch reads");
        self.request("holdings")?;
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
        self.request("existing_notices")?;
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
        self.request("put_notices")?;
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
        self.request("put_unrouted")?;
        let mut t = self.tables.lock().unwrap();
        for u in records {
            t.unrouted.insert(u.notice_number.clone(), u.clone());
        }
        Ok(())
    }

    async fn put_vehicle(&self, vehicle: &Vehicle, at: DateTime<Utc>) -> Result<(), PortError> {
        self.request("put_vehicle")?;
        let mut t = self.tables.lock().unwrap();
        let holdings = t.holdings.entry(vehicle.plate.key()).or_default();
        holdings
            .retain(|h| !(h.tenant_id == vehicle.tenant_id && h.vehicle_id == vehicle.vehicle_id));
        holdings.push(vehicle.holding());
        t.vehicles.insert(
            (vehicle.tenant_id.0.clone(), vehicle.vehicle_id.clone()),
            (vehicle.clone(), at),
        );
        Ok(())
    }

    async fn vehicles_changed_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Vehicle, DateTime<Utc>)>, PortError> {
        self.request("vehicles_changed_since")?;
        let t = self.tables.lock().unwrap();
        Ok(t.vehicles
            .values()
            .filter(|(_, at)| since.is_none_or(|s| *at > s))
            .cloned()
            .collect())
    }

    async fn last_declaration(
        &self,
        mode: DeclarationMode,
    ) -> Result<Option<Declaration>, PortError> {
        self.request("last_declaration")?;
        Ok(self
            .tables
            .lock()
            .unwrap()
            .last_declarations
            .get(&mode)
            .cloned())
    }

    async fn record_declaration(&self, declaration: &Declaration) -> Result<bool, PortError> {
        self.request("record_declaration")?;
        let mut t = self.tables.lock().unwrap();
        if t.declarations.contains_key(&declaration.file_id) {
            return Ok(false);
        }
        t.declarations
            .insert(declaration.file_id.clone(), declaration.clone());
        t.last_declarations
            .insert(declaration.mode, declaration.clone());
        Ok(true)
    }

    async fn create_tenant(&self, tenant: &Tenant) -> Result<bool, PortError> {
        self.request("create_tenant")?;
        let mut t = self.tables.lock().unwrap();
        if t.tenants.contains_key(&tenant.tenant_id) {
            return Ok(false);
        }
        t.tenants.insert(tenant.tenant_id.clone(), tenant.clone());
        Ok(true)
    }

    async fn tenant(&self, tenant_id: &TenantId) -> Result<Option<Tenant>, PortError> {
        self.request("tenant")?;
        Ok(self.tables.lock().unwrap().tenants.get(tenant_id).cloned())
    }

    async fn put_tenant(&self, tenant: &Tenant) -> Result<(), PortError> {
        self.request("put_tenant")?;
        let mut t = self.tables.lock().unwrap();
        t.tenants.insert(tenant.tenant_id.clone(), tenant.clone());
        Ok(())
    }

    async fn put_user(&self, user: &User) -> Result<(), PortError> {
        self.request("put_user")?;
        let mut t = self.tables.lock().unwrap();
        t.users
            .insert((user.tenant_id.clone(), user.user_id.clone()), user.clone());
        Ok(())
    }

    async fn user(&self, tenant_id: &TenantId, user_id: &str) -> Result<Option<User>, PortError> {
        self.request("user")?;
        Ok(self
            .tables
            .lock()
            .unwrap()
            .users
            .get(&(tenant_id.clone(), user_id.to_string()))
            .cloned())
    }

    async fn tenant_notices(&self, tenant_id: &str) -> Result<Vec<StoredNotice>, PortError> {
        self.request("tenant_notices")?;
        let mut v: Vec<StoredNotice> = self
            .notices()
            .into_iter()
            .filter(|n| n.tenant_id.0 == tenant_id && self.live_notice(n))
            .collect();
        v.sort_by(StoredNotice::by_deadline);
        Ok(v)
    }

    async fn notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        self.request("notice")?;
        let found = self.tables.lock().unwrap().notices.get(number).cloned();
        Ok(found.filter(|n| self.live_notice(n)))
    }

    async fn users(&self, tenant_id: &TenantId) -> Result<Vec<User>, PortError> {
        self.request("users")?;
        let t = self.tables.lock().unwrap();
        Ok(t.users
            .iter()
            .filter(|((tenant, _), _)| tenant == tenant_id)
            .map(|(_, u)| u.clone())
            .collect())
    }

    async fn delete_user(&self, tenant_id: &TenantId, user_id: &str) -> Result<(), PortError> {
        self.request("delete_user")?;
        let mut t = self.tables.lock().unwrap();
        t.users.remove(&(tenant_id.clone(), user_id.to_string()));
        Ok(())
    }

    async fn vehicles(&self, tenant_id: &TenantId) -> Result<Vec<Vehicle>, PortError> {
        self.request("vehicles")?;
        let t = self.tables.lock().unwrap();
        Ok(t.vehicles
            .iter()
            .filter(|((tenant, _), _)| *tenant == tenant_id.0)
            .map(|(_, (v, _))| v.clone())
            .collect())
    }

    async fn vehicle(
        &self,
        tenant_id: &TenantId,
        vehicle_id: &str,
    ) -> Result<Option<Vehicle>, PortError> {
        self.request("vehicle")?;
        let t = self.tables.lock().unwrap();
        Ok(t.vehicles
            .get(&(tenant_id.0.clone(), vehicle_id.to_string()))
            .map(|(v, _)| v.clone()))
    }

    async fn delete_vehicle(&self, vehicle: &Vehicle) -> Result<(), PortError> {
        self.request("delete_vehicle")?;
        let mut t = self.tables.lock().unwrap();
        if let Some(holdings) = t.holdings.get_mut(&vehicle.plate.key()) {
            holdings.retain(|h| {
                !(h.tenant_id == vehicle.tenant_id && h.vehicle_id == vehicle.vehicle_id)
            });
        }
        t.vehicles
            .remove(&(vehicle.tenant_id.0.clone(), vehicle.vehicle_id.clone()));
        Ok(())
    }

    async fn record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<Record>, PortError> {
        // Yield as a network call would, so concurrent writers interleave.
        tokio::task::yield_now().await;
        self.request("record")?;
        let found = self
            .tables
            .lock()
            .unwrap()
            .records
            .get(&(tenant_id.clone(), kind, id.to_string()))
            .cloned();
        Ok(found.filter(|r| self.live_record(r)))
    }

    async fn records(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
    ) -> Result<Vec<Record>, PortError> {
        self.request("records")?;
        let found: Vec<Record> = self
            .tables
            .lock()
            .unwrap()
            .records
            .iter()
            .filter(|((tenant, k, _), _)| tenant == tenant_id && *k == kind)
            .map(|(_, r)| r.clone())
            .collect();
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
        self.request("put_record")?;
        let mut t = self.tables.lock().unwrap();
        let key = (tenant_id.clone(), kind, record.id.clone());
        if t.records.get(&key).map(|r| r.version) != expected {
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
        self.request("delete_record")?;
        let mut t = self.tables.lock().unwrap();
        t.records.remove(&(tenant_id.clone(), kind, id.to_string()));
        Ok(())
    }
}

#[async_trait]
impl AnswerStore for MemoryStorage {
    async fn load_notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        // Yield as a network call would, so concurrent writers interleave.
        tokio::task::yield_now().await;
        self.request("load_notice")?;
        let found = self.tables.lock().unwrap().notices.get(number).cloned();
        Ok(found.filter(|n| self.live_notice(n)))
    }

    async fn put_notice_if(&self, notice: &StoredNotice, expected: u64) -> Result<bool, PortError> {
        tokio::task::yield_now().await;
        self.request("put_notice_if")?;
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
        self.request("work_list")?;
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
        self.request("open_batch")?;
        Ok(self.tables.lock().unwrap().open_batch.clone())
    }

    async fn put_open_batch(
        &self,
        batch: &OutboundBatch,
        expected: Option<BatchPhase>,
    ) -> Result<bool, PortError> {
        self.request("put_open_batch")?;
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
        self.request("close_batch")?;
        let mut t = self.tables.lock().unwrap();
        t.closed_batches
            .insert(batch.batch_id.clone(), batch.clone());
        if t.open_batch.as_ref().map(|b| &b.batch_id) == Some(&batch.batch_id) {
            t.open_batch = None;
        }
        Ok(())
    }

    async fn closed_batch(&self, batch_id: &str) -> Result<Option<OutboundBatch>, PortError> {
        self.request("closed_batch")?;
        Ok(self
            .tables
            .lock()
            .unwrap()
            .closed_batches
            .get(batch_id)
            .cloned())
    }
}
