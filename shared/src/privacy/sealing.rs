//! `Sealing`: the table's ports with drivers' personal data sealed on the
//! way in and opened on the way out, so handlers work with plain domain
//! types and the table only ever holds ciphertext.
//!
//! Sealed: a driver record's names, address and e-mails; an answer's
//! designated driver; a user's names and e-mail (so an erased user, like an
//! erased driver, stays unreadable in the table's backups); the API's kept
//! responses (`replays`). Lists of notices (`tenant_notices`) are returned
//! sealed, as no list shows a driver: open one notice to read it. A subject
//! whose key was erased reads as absent (a driver record) or as "[effacé]"
//! (a designation, whose acknowledgement history stays as legal proof).

use super::{derive_secret, open, seal, DataKey, KeyVault, OpenError, SealedBox, Subject};
use crate::domain::address::PostalAddress;
use crate::domain::answer::{AnswerBody, DesignatedDriver};
use crate::domain::tenant::User;
use crate::domain::{Holding, HoldingConflict, PlateKey, TenantId};
use crate::ports::{
    AnswerStore, FileStore, FleetStore, NoticeStore, PortError, RecordStore, TenantStore, WorkList,
};
use crate::store::{
    BatchPhase, Declaration, DeclarationMode, FileClaim, FileOutcome, NoticeRange, NoticeSlice,
    OutboundBatch, Record, RecordKind, StoredNotice, UnroutedNotice, Vehicle,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use futures::{StreamExt, TryStreamExt};
use std::collections::HashMap;

/// A driver record's personal fields: sealed together.
pub const DRIVER_PERSONAL_FIELDS: [&str; 5] = [
    "last_name",
    "first_name",
    "address",
    "personal_email",
    "professional_email",
];

/// What an erased subject's fields read as.
pub const ERASED: &str = "[effacé]";

/// Keys fetched at once when opening many records.
const KEYS_IN_FLIGHT: usize = 16;

/// The table (`inner`) behind field-level encryption with `vault`'s keys.
#[derive(Debug, Clone)]
pub struct Sealing<S, V> {
    pub inner: S,
    pub vault: V,
}

impl<S, V> Sealing<S, V> {
    pub fn new(inner: S, vault: V) -> Self {
        Sealing { inner, vault }
    }
}

fn driver_context(driver_id: &str) -> String {
    format!("DRIVER#{driver_id}")
}

fn user_context(user_id: &str) -> String {
    format!("USER#{user_id}")
}

/// A user's personal fields: sealed together.
#[derive(serde::Serialize, serde::Deserialize)]
struct UserPersonal {
    email: String,
    first_name: String,
    last_name: String,
}

fn notice_context(number: &str) -> String {
    format!("NOTICE#{number}")
}

/// The subject a notice's designation is sealed for: the base driver it was
/// made from, else the person typed into this answer.
pub fn designation_subject(notice: &StoredNotice) -> Subject {
    match notice.answer.as_ref().and_then(|a| a.driver_id.as_deref()) {
        Some(driver_id) => Subject::driver(&notice.tenant_id, driver_id),
        None => Subject::designee(&notice.tenant_id, &notice.notice.notice_number),
    }
}

fn blank_driver(text: &str) -> DesignatedDriver {
    DesignatedDriver {
        last_name: text.into(),
        first_name: text.into(),
        address: PostalAddress {
            line1: text.into(),
            line2: None,
            postcode: text.into(),
            city: text.into(),
            country: text.into(),
        },
        personal_email: None,
        professional_email: None,
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> PortError {
    PortError::new("open sealed fields", format!("{what}: {e}"))
}

impl<S, V: KeyVault> Sealing<S, V> {
    /// The notice as stored: its designation sealed, the body blank.
    pub async fn seal_notice(&self, notice: &StoredNotice) -> Result<StoredNotice, PortError> {
        let mut stored = notice.clone();
        let subject = designation_subject(notice);
        let Some(answer) = stored.answer.as_mut() else {
            return Ok(stored);
        };
        if answer.sealed.is_some() {
            // Read sealed (from a list, or erased): it stays as it was.
            if let AnswerBody::Designation(d) = &mut answer.body {
                *d = blank_driver("");
            }
            return Ok(stored);
        }
        let AnswerBody::Designation(driver) = &answer.body else {
            return Ok(stored);
        };
        let key = self.vault.key_for_sealing(&subject).await?;
        let plain = serde_json::to_vec(driver).expect("a driver serializes");
        answer.sealed = Some(seal(
            &key,
            &subject,
            &notice_context(&notice.notice.notice_number),
            &plain,
        ));
        answer.body = AnswerBody::Designation(blank_driver(""));
        Ok(stored)
    }

    /// The notice with its designation readable, or "[effacé]" when the
    /// subject was erased (the sealed box then stays, unopened).
    pub async fn open_notice(&self, mut notice: StoredNotice) -> Result<StoredNotice, PortError> {
        let number = notice.notice.notice_number.clone();
        let Some(answer) = notice.answer.as_mut() else {
            return Ok(notice);
        };
        let Some(sealed) = answer.sealed.as_ref() else {
            return Ok(notice);
        };
        match self.open_box(sealed, &notice_context(&number)).await {
            Ok(plain) => {
                let driver: DesignatedDriver = serde_json::from_slice(&plain)
                    .map_err(|e| corrupt(&format!("notice {number}"), e))?;
                answer.body = AnswerBody::Designation(driver);
                answer.sealed = None;
            }
            Err(OpenError::Erased) => answer.body = AnswerBody::Designation(blank_driver(ERASED)),
            Err(e) => return Err(corrupt(&format!("notice {number}"), e)),
        }
        Ok(notice)
    }

    pub(super) async fn open_box(
        &self,
        sealed: &SealedBox,
        context: &str,
    ) -> Result<Vec<u8>, OpenError> {
        let key = self.key_of_box(sealed).await?;
        open(&key, sealed, context)
    }

    /// The key a box was sealed under, unless its subject was erased.
    pub(super) async fn key_of_box(&self, sealed: &SealedBox) -> Result<DataKey, OpenError> {
        self.vault
            .key(&sealed.subject)
            .await
            .map_err(|e| OpenError::Corrupt(e.to_string()))?
            .ok_or(OpenError::Erased)
    }

    /// A driver record as stored: its personal fields in one sealed box.
    pub async fn seal_driver(
        &self,
        tenant: &TenantId,
        record: &Record,
    ) -> Result<Record, PortError> {
        let mut stored = record.clone();
        let Some(data) = stored.data.as_object_mut() else {
            return Ok(stored);
        };
        if data.contains_key("sealed") {
            return Ok(stored);
        }
        let mut personal = serde_json::Map::new();
        for field in DRIVER_PERSONAL_FIELDS {
            if let Some(value) = data.remove(field) {
                personal.insert(field.into(), value);
            }
        }
        let subject = Subject::driver(tenant, &record.id);
        let key = self.vault.key_for_sealing(&subject).await?;
        let plain = serde_json::to_vec(&personal).expect("JSON serializes");
        let sealed = seal(&key, &subject, &driver_context(&record.id), &plain);
        data.insert(
            "sealed".into(),
            serde_json::to_value(sealed).expect("a sealed box serializes"),
        );
        Ok(stored)
    }

    /// A driver record with its personal fields back; `None` when the
    /// driver was erased.
    pub async fn open_driver(&self, mut record: Record) -> Result<Option<Record>, PortError> {
        let context = driver_context(&record.id);
        let Some(data) = record.data.as_object_mut() else {
            return Ok(Some(record));
        };
        let Some(sealed) = data.remove("sealed") else {
            return Ok(Some(record));
        };
        let what = format!("driver {}", record.id);
        let sealed: SealedBox = serde_json::from_value(sealed).map_err(|e| corrupt(&what, e))?;
        let plain = match self.open_box(&sealed, &context).await {
            Ok(plain) => plain,
            Err(OpenError::Erased) => return Ok(None),
            Err(e) => return Err(corrupt(&what, e)),
        };
        let personal: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&plain).map_err(|e| corrupt(&what, e))?;
        data.extend(personal);
        Ok(Some(record))
    }

    /// A user as stored: names and e-mail in one sealed box, blank beside it.
    pub async fn seal_user(&self, user: &User) -> Result<User, PortError> {
        if user.sealed.is_some() {
            return Ok(user.clone());
        }
        let personal = UserPersonal {
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
        };
        let subject = Subject::user(&user.tenant_id, &user.user_id);
        let key = self.vault.key_for_sealing(&subject).await?;
        let plain = serde_json::to_vec(&personal).expect("JSON serializes");
        let context = user_context(&user.user_id);
        Ok(User {
            email: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            sealed: Some(seal(&key, &subject, &context, &plain)),
            ..user.clone()
        })
    }

    /// A user with names and e-mail back; `None` once erased. A user stored
    /// before sealing existed reads as it is.
    pub async fn open_user(&self, mut user: User) -> Result<Option<User>, PortError> {
        let Some(sealed) = user.sealed.take() else {
            return Ok(Some(user));
        };
        let what = format!("user {}", user.user_id);
        let plain = match self.open_box(&sealed, &user_context(&user.user_id)).await {
            Ok(plain) => plain,
            Err(OpenError::Erased) => return Ok(None),
            Err(e) => return Err(corrupt(&what, e)),
        };
        let personal: UserPersonal =
            serde_json::from_slice(&plain).map_err(|e| corrupt(&what, e))?;
        user.email = personal.email;
        user.first_name = personal.first_name;
        user.last_name = personal.last_name;
        Ok(Some(user))
    }

    async fn seal_record(
        &self,
        tenant: &TenantId,
        kind: RecordKind,
        record: &Record,
    ) -> Result<Record, PortError> {
        match kind {
            RecordKind::Driver => self.seal_driver(tenant, record).await,
            RecordKind::Idempotency => self.seal_replay(tenant, record).await,
            _ => Ok(record.clone()),
        }
    }

    async fn open_record(
        &self,
        kind: RecordKind,
        record: Record,
    ) -> Result<Option<Record>, PortError> {
        match kind {
            RecordKind::Driver => self.open_driver(record).await,
            RecordKind::Idempotency => self.open_replay(record).await.map(Some),
            _ => Ok(Some(record)),
        }
    }

    /// A list of records opened, erased drivers left out.
    async fn open_records(
        &self,
        kind: RecordKind,
        records: Vec<Record>,
    ) -> Result<Vec<Record>, PortError> {
        if !matches!(kind, RecordKind::Driver | RecordKind::Idempotency) {
            return Ok(records);
        }
        let opened: Vec<Option<Record>> = futures::stream::iter(records)
            .map(|record| self.open_record(kind, record))
            .buffered(KEYS_IN_FLIGHT)
            .try_collect()
            .await?;
        Ok(opened.into_iter().flatten().collect())
    }
}

// Files, fleet and tenants hold no personal data: passed through.
#[async_trait]
impl<S: FileStore, V: KeyVault> FileStore for Sealing<S, V> {
    async fn claim_file(
        &self,
        file_key: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<FileClaim, PortError> {
        self.inner.claim_file(file_key, now, lease_until).await
    }
    async fn finish_file(&self, file_key: &str, outcome: &FileOutcome) -> Result<(), PortError> {
        self.inner.finish_file(file_key, outcome).await
    }
}

#[async_trait]
impl<S: FleetStore, V: KeyVault> FleetStore for Sealing<S, V> {
    async fn put_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
    ) -> Result<Result<(), HoldingConflict>, PortError> {
        self.inner.put_vehicle(vehicle, at).await
    }
    async fn remove_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
        forget_at: DateTime<Utc>,
    ) -> Result<(), PortError> {
        self.inner.remove_vehicle(vehicle, at, forget_at).await
    }
    async fn vehicles_changed_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Vehicle, DateTime<Utc>)>, PortError> {
        self.inner.vehicles_changed_since(since).await
    }
    async fn last_declaration(
        &self,
        mode: DeclarationMode,
    ) -> Result<Option<Declaration>, PortError> {
        self.inner.last_declaration(mode).await
    }
    async fn record_declaration(&self, declaration: &Declaration) -> Result<bool, PortError> {
        self.inner.record_declaration(declaration).await
    }
    async fn vehicles(&self, tenant_id: &TenantId) -> Result<Vec<Vehicle>, PortError> {
        self.inner.vehicles(tenant_id).await
    }
    async fn vehicle(
        &self,
        tenant_id: &TenantId,
        vehicle_id: &str,
    ) -> Result<Option<Vehicle>, PortError> {
        self.inner.vehicle(tenant_id, vehicle_id).await
    }
    async fn delete_vehicle(&self, vehicle: &Vehicle) -> Result<(), PortError> {
        self.inner.delete_vehicle(vehicle).await
    }
}

#[async_trait]
impl<S: TenantStore, V: KeyVault> TenantStore for Sealing<S, V> {
    async fn create_tenant(
        &self,
        tenant: &crate::domain::tenant::Tenant,
    ) -> Result<bool, PortError> {
        self.inner.create_tenant(tenant).await
    }
    async fn tenant(
        &self,
        tenant_id: &TenantId,
    ) -> Result<Option<crate::domain::tenant::Tenant>, PortError> {
        self.inner.tenant(tenant_id).await
    }
    async fn put_tenant(&self, tenant: &crate::domain::tenant::Tenant) -> Result<(), PortError> {
        self.inner.put_tenant(tenant).await
    }
    async fn put_user(&self, user: &User) -> Result<(), PortError> {
        self.inner.put_user(&self.seal_user(user).await?).await
    }
    async fn user(&self, tenant_id: &TenantId, user_id: &str) -> Result<Option<User>, PortError> {
        match self.inner.user(tenant_id, user_id).await? {
            Some(user) => self.open_user(user).await,
            None => Ok(None),
        }
    }
    /// Erased users are left out.
    async fn users(&self, tenant_id: &TenantId) -> Result<Vec<User>, PortError> {
        let stored = self.inner.users(tenant_id).await?;
        let opened = futures::stream::iter(stored)
            .map(|u| self.open_user(u))
            .buffered(KEYS_IN_FLIGHT)
            .try_collect::<Vec<_>>()
            .await?;
        Ok(opened.into_iter().flatten().collect())
    }
    async fn delete_user(&self, tenant_id: &TenantId, user_id: &str) -> Result<(), PortError> {
        self.inner.delete_user(tenant_id, user_id).await
    }
}

// A notice's designation is sealed on the way in and opened on the way out.
#[async_trait]
impl<S: NoticeStore, V: KeyVault> NoticeStore for Sealing<S, V> {
    async fn holdings(
        &self,
        plates: &[PlateKey],
    ) -> Result<HashMap<PlateKey, Vec<Holding>>, PortError> {
        self.inner.holdings(plates).await
    }
    async fn existing_notices(
        &self,
        numbers: &[String],
    ) -> Result<HashMap<String, String>, PortError> {
        self.inner.existing_notices(numbers).await
    }
    async fn put_notices(&self, notices: &[StoredNotice]) -> Result<(), PortError> {
        // The ingest's usual case: new notices, no designation to seal.
        let to_seal = |n: &StoredNotice| {
            n.answer
                .as_ref()
                .is_some_and(|a| matches!(a.body, AnswerBody::Designation(_)))
        };
        if !notices.iter().any(to_seal) {
            return self.inner.put_notices(notices).await;
        }
        let mut sealed = Vec::with_capacity(notices.len());
        for notice in notices {
            sealed.push(self.seal_notice(notice).await?);
        }
        self.inner.put_notices(&sealed).await
    }
    async fn put_unrouted(&self, records: &[UnroutedNotice]) -> Result<(), PortError> {
        self.inner.put_unrouted(records).await
    }
    /// Sealed: no list shows a designated driver.
    async fn tenant_notices(&self, tenant_id: &str) -> Result<Vec<StoredNotice>, PortError> {
        self.inner.tenant_notices(tenant_id).await
    }
    /// Sealed, as every list.
    async fn tenant_notices_due_from(
        &self,
        tenant_id: &str,
        first_day: NaiveDate,
    ) -> Result<Vec<StoredNotice>, PortError> {
        self.inner
            .tenant_notices_due_from(tenant_id, first_day)
            .await
    }
    /// Sealed, as every list.
    async fn notices_in_range(&self, range: &NoticeRange<'_>) -> Result<NoticeSlice, PortError> {
        self.inner.notices_in_range(range).await
    }
    async fn notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        match self.inner.notice(number).await? {
            Some(notice) => Ok(Some(self.open_notice(notice).await?)),
            None => Ok(None),
        }
    }
}

// A driver record's personal fields are sealed; other kinds pass through.
#[async_trait]
impl<S: RecordStore, V: KeyVault> RecordStore for Sealing<S, V> {
    async fn record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<Record>, PortError> {
        match self.inner.record(tenant_id, kind, id).await? {
            Some(record) => self.open_record(kind, record).await,
            None => Ok(None),
        }
    }
    /// Erased drivers are left out.
    async fn records_before(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        before: &str,
        limit: usize,
    ) -> Result<Vec<Record>, PortError> {
        let records = self
            .inner
            .records_before(tenant_id, kind, before, limit)
            .await?;
        self.open_records(kind, records).await
    }
    /// Erased drivers are left out.
    async fn records(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
    ) -> Result<Vec<Record>, PortError> {
        let records = self.inner.records(tenant_id, kind).await?;
        self.open_records(kind, records).await
    }
    async fn put_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        record: &Record,
        expected: Option<u64>,
    ) -> Result<bool, PortError> {
        let stored = self.seal_record(tenant_id, kind, record).await?;
        self.inner
            .put_record(tenant_id, kind, &stored, expected)
            .await
    }
    async fn delete_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<(), PortError> {
        self.inner.delete_record(tenant_id, kind, id).await
    }
}

#[async_trait]
impl<S: AnswerStore, V: KeyVault> AnswerStore for Sealing<S, V> {
    async fn load_notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        match self.inner.load_notice(number).await? {
            Some(notice) => Ok(Some(self.open_notice(notice).await?)),
            None => Ok(None),
        }
    }
    async fn put_notice_if(&self, notice: &StoredNotice, expected: u64) -> Result<bool, PortError> {
        let stored = self.seal_notice(notice).await?;
        self.inner.put_notice_if(&stored, expected).await
    }
    async fn work_list(
        &self,
        list: WorkList,
        before: &str,
        limit: usize,
    ) -> Result<Vec<String>, PortError> {
        self.inner.work_list(list, before, limit).await
    }
    async fn open_batch(&self) -> Result<Option<OutboundBatch>, PortError> {
        self.inner.open_batch().await
    }
    async fn put_open_batch(
        &self,
        batch: &OutboundBatch,
        expected: Option<BatchPhase>,
    ) -> Result<bool, PortError> {
        self.inner.put_open_batch(batch, expected).await
    }
    async fn close_batch(&self, batch: &OutboundBatch) -> Result<(), PortError> {
        self.inner.close_batch(batch).await
    }
    async fn closed_batch(&self, batch_id: &str) -> Result<Option<OutboundBatch>, PortError> {
        self.inner.closed_batch(batch_id).await
    }
}

/// Crypto-shredding through the table's port: erasing a subject deletes its
/// data key, so every sealed copy of its fields becomes unreadable, and so
/// does every secret derived from it.
#[async_trait]
pub trait SubjectKeys: Send + Sync {
    async fn erase_subject_key(&self, subject: &Subject) -> Result<(), PortError>;
    /// The subject's secret for `purpose` (`derive_secret`); `None` once the
    /// subject is erased (or was never sealed for).
    async fn subject_secret(
        &self,
        subject: &Subject,
        purpose: &str,
    ) -> Result<Option<[u8; 32]>, PortError>;
}

#[async_trait]
impl<T: SubjectKeys + ?Sized> SubjectKeys for std::sync::Arc<T> {
    async fn erase_subject_key(&self, subject: &Subject) -> Result<(), PortError> {
        (**self).erase_subject_key(subject).await
    }
    async fn subject_secret(
        &self,
        subject: &Subject,
        purpose: &str,
    ) -> Result<Option<[u8; 32]>, PortError> {
        (**self).subject_secret(subject, purpose).await
    }
}

#[async_trait]
impl<S: Send + Sync, V: KeyVault> SubjectKeys for Sealing<S, V> {
    async fn erase_subject_key(&self, subject: &Subject) -> Result<(), PortError> {
        self.vault.erase(subject).await
    }
    async fn subject_secret(
        &self,
        subject: &Subject,
        purpose: &str,
    ) -> Result<Option<[u8; 32]>, PortError> {
        let key = self.vault.key(subject).await?;
        Ok(key.map(|key| derive_secret(&key, purpose)))
    }
}

/// The wrapped table's own methods (the in-memory store's clock and
/// counters in tests); the ports' methods are `Sealing`'s own.
impl<S, V> std::ops::Deref for Sealing<S, V> {
    type Target = S;
    fn deref(&self) -> &S {
        &self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answering::{submit, Submission};
    use crate::domain::tenant::TenantSettings;
    use crate::memory::{MemoryKeyVault, MemoryStorage};
    use std::sync::Arc;

    fn sealing() -> Sealing<MemoryStorage, Arc<MemoryKeyVault>> {
        Sealing::new(
            MemoryStorage::default(),
            Arc::new(MemoryKeyVault::default()),
        )
    }

    fn designated(driver_id: Option<&str>) -> StoredNotice {
        let mut notice = crate::store::tests::stored();
        let driver = crate::domain::driver::tests::driver().designated();
        let submission = Submission {
            body: AnswerBody::Designation(driver),
            driver_id: driver_id.map(str::to_string),
            by: "u1".into(),
            notify_driver: None,
        };
        submit(
            &mut notice,
            submission,
            &TenantSettings::default(),
            Utc::now(),
        )
        .unwrap();
        notice
    }

    fn last_name(notice: &StoredNotice) -> String {
        match &notice.answer.as_ref().unwrap().body {
            AnswerBody::Designation(d) => d.last_name.clone(),
            AnswerBody::Other(_) => panic!("not a designation"),
        }
    }

    #[tokio::test]
    async fn a_designation_is_stored_sealed_and_read_back_in_the_clear() {
        let store = sealing();
        let notice = designated(None);
        let name = last_name(&notice);
        store
            .put_notices(std::slice::from_ref(&notice))
            .await
            .unwrap();
        assert!(!store.inner.everything_stored().contains(&name));
        let read = store
            .load_notice(&notice.notice.notice_number)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read.answer, notice.answer, "opened as given");
        // Typed in: sealed for a designee of that notice.
        let subject = Subject::designee(&notice.tenant_id, &notice.notice.notice_number);
        assert!(store
            .vault
            .wrapped
            .lock()
            .unwrap()
            .contains_key(&subject.key_id()));
    }

    #[tokio::test]
    async fn an_erased_designation_reads_as_erased_and_stays_sealed_when_written_back() {
        let store = sealing();
        let notice = designated(Some("d-9"));
        store
            .put_notices(std::slice::from_ref(&notice))
            .await
            .unwrap();
        let subject = Subject::driver(&notice.tenant_id, "d-9");
        store.erase_subject_key(&subject).await.unwrap();
        let number = &notice.notice.notice_number;
        let read = store.load_notice(number).await.unwrap().unwrap();
        assert_eq!(last_name(&read), ERASED);
        let sealed_before = read.answer.as_ref().unwrap().sealed.clone();
        assert!(sealed_before.is_some());
        // A later write (an acknowledgement, the sweep) keeps the old box and
        // never makes a new key for the erased subject.
        let mut changed = read.clone();
        changed.version += 1;
        assert!(store.put_notice_if(&changed, read.version).await.unwrap());
        assert!(!store
            .vault
            .wrapped
            .lock()
            .unwrap()
            .contains_key(&subject.key_id()));
        let again = store.inner.load_notice(number).await.unwrap().unwrap();
        assert_eq!(again.answer.unwrap().sealed, sealed_before);
    }

    #[tokio::test]
    async fn a_driver_record_is_sealed_and_an_erased_one_reads_as_absent() {
        let store = sealing();
        let tenant = TenantId("t-acme".into());
        let driver = crate::domain::driver::tests::driver();
        let record = Record::new(&driver.driver_id, 1, &driver);
        assert!(store
            .put_record(&tenant, RecordKind::Driver, &record, None)
            .await
            .unwrap());
        assert!(!store.inner.everything_stored().contains(&driver.last_name));
        let read = store
            .record(&tenant, RecordKind::Driver, &driver.driver_id)
            .await
            .unwrap();
        assert_eq!(read.unwrap().data, record.data);
        store
            .erase_subject_key(&Subject::driver(&tenant, &driver.driver_id))
            .await
            .unwrap();
        assert!(store
            .record(&tenant, RecordKind::Driver, &driver.driver_id)
            .await
            .unwrap()
            .is_none());
        assert!(store
            .records(&tenant, RecordKind::Driver)
            .await
            .unwrap()
            .is_empty());
    }

    #[tokio::test]
    async fn a_sealed_box_moved_to_another_notice_does_not_open() {
        let store = sealing();
        let notice = designated(None);
        store
            .put_notices(std::slice::from_ref(&notice))
            .await
            .unwrap();
        let mut stored = store
            .inner
            .load_notice(&notice.notice.notice_number)
            .await
            .unwrap()
            .unwrap();
        stored.notice.notice_number = "8899999999".into();
        assert!(
            store.open_notice(stored).await.is_err(),
            "bound to its notice"
        );
    }
}
