//! Ports: the small interfaces handlers are written against. AWS adapters
//! live in `aws`, in-memory ones in `memory` (unit tests, benchmarks).

use crate::domain::tenant::{Tenant, User};
use crate::domain::{Holding, HoldingConflict, PlateKey, TenantId};
use crate::store::{
    BatchPhase, Declaration, DeclarationMode, FileClaim, FileOutcome, NoticeRange, NoticeSlice,
    OutboundBatch, Record, RecordKind, StoredNotice, UnroutedNotice, Vehicle,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::io::AsyncBufRead;

/// Most keys one batch read may ask for (DynamoDB BatchGetItem).
pub const MAX_BATCH_GET: usize = 100;
/// Most items one batch write may carry (DynamoDB BatchWriteItem).
pub const MAX_BATCH_WRITE: usize = 25;
/// Most messages one queue send may carry (SQS SendMessageBatch).
pub const MAX_QUEUE_BATCH: usize = 10;

pub use crate::error::PortError;

pub type BlobReader = Box<dyn AsyncBufRead + Send + Unpin>;

/// Object storage (S3).
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Opens an object for streaming; `None` when it does not exist.
    async fn open(&self, bucket: &str, key: &str) -> Result<Option<BlobReader>, PortError>;
    async fn put(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PortError>;
    /// `put` with a checksum of the body, which a bucket under Object Lock
    /// demands (other puts send one only when the operation requires it).
    async fn put_checked(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PortError> {
        self.put(bucket, key, body, content_type).await
    }
    async fn copy(&self, bucket: &str, from_key: &str, to_key: &str) -> Result<(), PortError>;
    /// The keys under `prefix`, in key order.
    async fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, PortError>;
    async fn delete(&self, bucket: &str, key: &str) -> Result<(), PortError>;
    /// Deletes the object and, in a versioned bucket, every older version
    /// (erasure must not leave a copy behind). Absent is fine.
    async fn delete_every_version(&self, bucket: &str, key: &str) -> Result<(), PortError> {
        self.delete(bucket, key).await
    }
    /// A URL a client may PUT one object to, for `expires` (large uploads).
    async fn presign_put(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError>;
    /// A URL a client may GET one object from, for `expires` (downloads),
    /// saved by the browser as `download_name`. Signed with the caller's
    /// credentials: with temporary ones (a Lambda role) it stops working
    /// when they expire, whatever `expires` says.
    async fn presign_get(
        &self,
        bucket: &str,
        key: &str,
        download_name: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError>;
}

/// Reads a whole object; `None` when it does not exist.
pub async fn read_blob(
    blobs: &dyn BlobStore,
    bucket: &str,
    key: &str,
) -> Result<Option<Vec<u8>>, PortError> {
    use tokio::io::AsyncReadExt;
    let Some(mut reader) = blobs.open(bucket, key).await? else {
        return Ok(None);
    };
    let mut body = Vec::new();
    reader
        .read_to_end(&mut body)
        .await
        .map_err(|e| PortError::new("read object", e))?;
    Ok(Some(body))
}

/// The table, one trait per item family so each adapter keeps a family in
/// its own file. Batch methods take at most `MAX_BATCH_GET` keys or
/// `MAX_BATCH_WRITE` items per call: callers chunk, so one call is one request.
pub trait Storage: FileStore + NoticeStore + FleetStore + TenantStore + RecordStore {}

impl<T: FileStore + NoticeStore + FleetStore + TenantStore + RecordStore + ?Sized> Storage for T {}

/// Inbound files' processing: a lease per file, so a file delivered twice
/// is ingested once.
#[async_trait]
pub trait FileStore: Send + Sync {
    /// Takes the processing lease on an inbound file, unless it is done or
    /// another invocation holds a live lease.
    async fn claim_file(
        &self,
        file_key: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<FileClaim, PortError>;
    /// Records the end of a file's processing; later deliveries are skipped.
    async fn finish_file(&self, file_key: &str, outcome: &FileOutcome) -> Result<(), PortError>;
}

/// Notices as ingest routes and writes them, and as the tenant reads them:
/// the plates' holdings that route a notice, the notices, the unrouted ones.
#[async_trait]
pub trait NoticeStore: Send + Sync {
    /// Every holding of each plate, across tenants and periods.
    async fn holdings(
        &self,
        plates: &[PlateKey],
    ) -> Result<HashMap<PlateKey, Vec<Holding>>, PortError>;
    /// Notices that already exist, with the file each came from.
    async fn existing_notices(
        &self,
        numbers: &[String],
    ) -> Result<HashMap<String, String>, PortError>;
    async fn put_notices(&self, notices: &[StoredNotice]) -> Result<(), PortError>;
    async fn put_unrouted(&self, records: &[UnroutedNotice]) -> Result<(), PortError>;
    /// A tenant's notices, soonest deadline first.
    async fn tenant_notices(&self, tenant_id: &str) -> Result<Vec<StoredNotice>, PortError>;
    /// A tenant's notices whose deadline is `first_day` or later, soonest
    /// deadline first; older notices are not read at all (the dashboard's
    /// cost stays that of the period it shows).
    async fn tenant_notices_due_from(
        &self,
        tenant_id: &str,
        first_day: NaiveDate,
    ) -> Result<Vec<StoredNotice>, PortError>;
    /// One notice by number, whatever its tenant (callers check the tenant).
    async fn notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError>;
    /// One request on a notices index: one page of one status's range
    /// (lists merge several; see `app::notices`).
    async fn notices_in_range(&self, range: &NoticeRange<'_>) -> Result<NoticeSlice, PortError>;
}

/// The tenants' vehicles, and the fleet declarations made from them.
#[async_trait]
pub trait FleetStore: Send + Sync {
    /// Adds or updates a vehicle of a tenant's fleet and its plate's
    /// holdings, atomically; `at` is the change's time. Refused, with
    /// nothing written, when another vehicle holds the plate over part of
    /// the period (`domain::place_holding`): two writers never both win.
    async fn put_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
    ) -> Result<Result<(), HoldingConflict>, PortError>;
    /// Writes a vehicle removed from the fleet (`removed_on` set, its exit
    /// moved to that day at the latest) with its shortened holding; the
    /// table's TTL deletes it at `forget_at`, the purge then its holding.
    async fn remove_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
        forget_at: DateTime<Utc>,
    ) -> Result<(), PortError>;
    /// Every tenant's vehicles changed after `since` (all when `None`), with
    /// their change times: the fleet declaration's input.
    async fn vehicles_changed_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Vehicle, DateTime<Utc>)>, PortError>;
    /// The last declaration of that mode.
    async fn last_declaration(
        &self,
        mode: DeclarationMode,
    ) -> Result<Option<Declaration>, PortError>;
    /// Records a declaration once; `false` when that file id was already recorded.
    async fn record_declaration(&self, declaration: &Declaration) -> Result<bool, PortError>;
    /// A tenant's vehicles, removed ones left out.
    async fn vehicles(&self, tenant_id: &TenantId) -> Result<Vec<Vehicle>, PortError>;
    /// One vehicle of a tenant; `None` once removed.
    async fn vehicle(
        &self,
        tenant_id: &TenantId,
        vehicle_id: &str,
    ) -> Result<Option<Vehicle>, PortError>;
    /// Deletes a vehicle and its plate holding, atomically: one that never
    /// entered the fleet, or one whose removal's grace is over.
    async fn delete_vehicle(&self, vehicle: &Vehicle) -> Result<(), PortError>;
}

/// Tenants and their users.
#[async_trait]
pub trait TenantStore: Send + Sync {
    /// Creates a tenant; `false` when that id is already taken.
    async fn create_tenant(&self, tenant: &Tenant) -> Result<bool, PortError>;
    async fn tenant(&self, tenant_id: &TenantId) -> Result<Option<Tenant>, PortError>;
    /// Replaces an existing tenant's name and settings.
    async fn put_tenant(&self, tenant: &Tenant) -> Result<(), PortError>;
    async fn put_user(&self, user: &User) -> Result<(), PortError>;
    async fn user(&self, tenant_id: &TenantId, user_id: &str) -> Result<Option<User>, PortError>;
    /// A tenant's users.
    async fn users(&self, tenant_id: &TenantId) -> Result<Vec<User>, PortError>;
    async fn delete_user(&self, tenant_id: &TenantId, user_id: &str) -> Result<(), PortError>;
}

/// A tenant's document records (entities, drivers, assignments, imports,
/// journal entries, invitations), written under optimistic concurrency.
#[async_trait]
pub trait RecordStore: Send + Sync {
    /// One document record of a tenant (entities, drivers, assignments,
    /// imports, journal entries, invitations).
    async fn record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<Record>, PortError>;
    /// At most `limit` records of a kind whose id sorts before `before`,
    /// newest (highest id) first: one request, whatever the kind's size.
    async fn records_before(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        before: &str,
        limit: usize,
    ) -> Result<Vec<Record>, PortError>;
    /// Every record of a kind, in id order.
    async fn records(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
    ) -> Result<Vec<Record>, PortError>;
    /// Writes `record` if the stored one has version `expected` (`None`: if
    /// there is none): `false` on a conflict, so two writers never both win.
    async fn put_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        record: &Record,
        expected: Option<u64>,
    ) -> Result<bool, PortError>;
    async fn delete_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<(), PortError>;
}

/// The work index's two lists (see `store::keys::work`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkList {
    /// Answers waiting for an outbound batch, by end of grace window.
    Outbox,
    /// Unanswered notices, by deadline.
    Deadlines,
}

/// The answer side of the table: notices written back under optimistic
/// concurrency, the work index, and the outbound batch being written.
#[async_trait]
pub trait AnswerStore: Send + Sync {
    /// A consistent read of one notice.
    async fn load_notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError>;
    /// Writes an existing notice back if its stored version is `expected`
    /// (the notice carries `expected + 1`); `false` on a conflict.
    async fn put_notice_if(&self, notice: &StoredNotice, expected: u64) -> Result<bool, PortError>;
    /// Up to `limit` notice numbers of a work list whose sort key is below
    /// `before` (an instant or a date as the list sorts), oldest first. The
    /// index is eventually consistent: callers re-read each notice.
    async fn work_list(
        &self,
        list: WorkList,
        before: &str,
        limit: usize,
    ) -> Result<Vec<String>, PortError>;
    /// The outbound batch being written, if any (at most one at a time).
    async fn open_batch(&self) -> Result<Option<OutboundBatch>, PortError>;
    /// Opens (`expected: None`: only if no batch is open) or advances the
    /// open batch (only if it is still in phase `expected`); `false` otherwise.
    async fn put_open_batch(
        &self,
        batch: &OutboundBatch,
        expected: Option<BatchPhase>,
    ) -> Result<bool, PortError>;
    /// Records a finished batch, then removes it as the open one.
    async fn close_batch(&self, batch: &OutboundBatch) -> Result<(), PortError>;
    /// A finished batch's record.
    async fn closed_batch(&self, batch_id: &str) -> Result<Option<OutboundBatch>, PortError>;
}

/// Writes a notice back after `change`, re-reading and retrying on
/// conflicts: `Ok(None)` when the notice does not exist, `Ok(Some(false))`
/// when `change` declined (returned `false`).
pub async fn update_notice<A: AnswerStore + ?Sized>(
    store: &A,
    number: &str,
    mut change: impl FnMut(&mut StoredNotice) -> bool + Send,
) -> Result<Option<(bool, StoredNotice)>, PortError> {
    loop {
        let Some(mut notice) = store.load_notice(number).await? else {
            return Ok(None);
        };
        if !change(&mut notice) {
            return Ok(Some((false, notice)));
        }
        let expected = notice.version;
        notice.version = expected + 1;
        if store.put_notice_if(&notice, expected).await? {
            return Ok(Some((true, notice)));
        }
    }
}

/// A message for a queue; `id` is unique within one send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueMessage {
    pub id: String,
    pub body: String,
}

#[async_trait]
pub trait Queue: Send + Sync {
    /// Sends at most `MAX_QUEUE_BATCH` messages.
    async fn send(&self, queue_url: &str, messages: &[QueueMessage]) -> Result<(), PortError>;
}

/// A person to invite into the identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub tenant_id: TenantId,
}

/// The invited identity: its subject, and whether this call created it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invited {
    pub user_id: String,
    pub created: bool,
}

/// The address of an invitation already belongs to another tenant's
/// identity (one address, one account).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressTaken;

/// What the identity provider knows of an identity's sign-in (an unknown
/// identity has neither).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignInState {
    /// The invited person chose their password.
    pub password_set: bool,
    /// A second factor (TOTP) is set up.
    pub second_factor: bool,
}

/// The identity provider (Cognito): it holds passwords and second factors.
#[async_trait]
pub trait IdentityProvider: Send + Sync {
    /// Creates the identity (the invitation e-mail is ours, see `invitation`); for an address
    /// already known in the same tenant, returns it (`created: false`); an
    /// address of another tenant is refused (`Ok(Err(AddressTaken))`).
    async fn invite(
        &self,
        invitation: &Invitation,
    ) -> Result<Result<Invited, AddressTaken>, PortError>;
    /// Sets a permanent password; `Ok(Err(reason))` when the password policy refuses it.
    async fn set_password(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Result<(), String>, PortError>;
    /// Allows or forbids sign-in.
    async fn set_enabled(&self, email: &str, enabled: bool) -> Result<(), PortError>;
    /// Removes the identity (already absent is fine).
    async fn remove(&self, email: &str) -> Result<(), PortError>;
    /// Has the identity a second factor (TOTP) set up? An unknown one has not.
    async fn second_factor_enrolled(&self, email: &str) -> Result<bool, PortError>;
    /// Whether the identity has its password and a second factor, asked afresh.
    async fn sign_in_state(&self, email: &str) -> Result<SignInState, PortError>;
}

/// An e-mail to send; `html` is the same text with markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// An e-mail from a template defined as infrastructure (template.yaml's
/// `AWS::SES::Template`): the text lives there, the code gives the data.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplatedEmail {
    pub to: String,
    pub template: String,
    pub data: serde_json::Value,
}

/// Outgoing e-mail (SES).
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, email: &Email) -> Result<(), PortError>;
    async fn send_templated(&self, email: &TemplatedEmail) -> Result<(), PortError>;
}

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// Signs the designation certificates' proofs with an asymmetric key that
/// never leaves its vault (KMS), so that anyone holding the public key can
/// check a proof offline: ECDSA on the NIST P-256 curve over SHA-256.
#[async_trait]
pub trait ProofSigner: Send + Sync {
    /// The signature of `message`, DER-encoded (ASN.1 `ECDSA-Sig-Value`).
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, PortError>;
    /// The public key, DER-encoded X.509 `SubjectPublicKeyInfo`.
    async fn public_key(&self) -> Result<Vec<u8>, PortError>;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

// ------------------------------------------------------ shared adapters

// An adapter behind an `Arc` (the API holds its ports as `Arc<dyn …>`, so
// one state serves every request) is that adapter.

#[async_trait]
impl<T: ProofSigner + ?Sized> ProofSigner for Arc<T> {
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, PortError> {
        (**self).sign(message).await
    }
    async fn public_key(&self) -> Result<Vec<u8>, PortError> {
        (**self).public_key().await
    }
}

#[async_trait]
impl<T: BlobStore + ?Sized> BlobStore for Arc<T> {
    async fn open(&self, bucket: &str, key: &str) -> Result<Option<BlobReader>, PortError> {
        (**self).open(bucket, key).await
    }
    async fn put(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PortError> {
        (**self).put(bucket, key, body, content_type).await
    }
    async fn copy(&self, bucket: &str, from_key: &str, to_key: &str) -> Result<(), PortError> {
        (**self).copy(bucket, from_key, to_key).await
    }

    async fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, PortError> {
        (**self).list(bucket, prefix).await
    }

    async fn put_checked(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PortError> {
        (**self).put_checked(bucket, key, body, content_type).await
    }
    async fn delete(&self, bucket: &str, key: &str) -> Result<(), PortError> {
        (**self).delete(bucket, key).await
    }
    async fn delete_every_version(&self, bucket: &str, key: &str) -> Result<(), PortError> {
        (**self).delete_every_version(bucket, key).await
    }
    async fn presign_put(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError> {
        (**self)
            .presign_put(bucket, key, content_type, expires)
            .await
    }
    async fn presign_get(
        &self,
        bucket: &str,
        key: &str,
        download_name: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError> {
        (**self)
            .presign_get(bucket, key, download_name, expires)
            .await
    }
}

#[async_trait]
impl<T: FileStore + ?Sized> FileStore for Arc<T> {
    async fn claim_file(
        &self,
        file_key: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<FileClaim, PortError> {
        (**self).claim_file(file_key, now, lease_until).await
    }

    async fn finish_file(&self, file_key: &str, outcome: &FileOutcome) -> Result<(), PortError> {
        (**self).finish_file(file_key, outcome).await
    }
}

#[async_trait]
impl<T: NoticeStore + ?Sized> NoticeStore for Arc<T> {
    async fn holdings(
        &self,
        plates: &[PlateKey],
    ) -> Result<HashMap<PlateKey, Vec<Holding>>, PortError> {
        (**self).holdings(plates).await
    }

    async fn existing_notices(
        &self,
        numbers: &[String],
    ) -> Result<HashMap<String, String>, PortError> {
        (**self).existing_notices(numbers).await
    }

    async fn put_notices(&self, notices: &[StoredNotice]) -> Result<(), PortError> {
        (**self).put_notices(notices).await
    }

    async fn put_unrouted(&self, records: &[UnroutedNotice]) -> Result<(), PortError> {
        (**self).put_unrouted(records).await
    }

    async fn tenant_notices(&self, tenant_id: &str) -> Result<Vec<StoredNotice>, PortError> {
        (**self).tenant_notices(tenant_id).await
    }
    async fn tenant_notices_due_from(
        &self,
        tenant_id: &str,
        first_day: NaiveDate,
    ) -> Result<Vec<StoredNotice>, PortError> {
        (**self).tenant_notices_due_from(tenant_id, first_day).await
    }

    async fn notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        (**self).notice(number).await
    }

    async fn notices_in_range(&self, range: &NoticeRange<'_>) -> Result<NoticeSlice, PortError> {
        (**self).notices_in_range(range).await
    }
}

#[async_trait]
impl<T: FleetStore + ?Sized> FleetStore for Arc<T> {
    async fn put_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
    ) -> Result<Result<(), HoldingConflict>, PortError> {
        (**self).put_vehicle(vehicle, at).await
    }

    async fn remove_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
        forget_at: DateTime<Utc>,
    ) -> Result<(), PortError> {
        (**self).remove_vehicle(vehicle, at, forget_at).await
    }

    async fn vehicles_changed_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Vehicle, DateTime<Utc>)>, PortError> {
        (**self).vehicles_changed_since(since).await
    }

    async fn last_declaration(
        &self,
        mode: DeclarationMode,
    ) -> Result<Option<Declaration>, PortError> {
        (**self).last_declaration(mode).await
    }

    async fn record_declaration(&self, declaration: &Declaration) -> Result<bool, PortError> {
        (**self).record_declaration(declaration).await
    }

    async fn vehicles(&self, tenant_id: &TenantId) -> Result<Vec<Vehicle>, PortError> {
        (**self).vehicles(tenant_id).await
    }

    async fn vehicle(
        &self,
        tenant_id: &TenantId,
        vehicle_id: &str,
    ) -> Result<Option<Vehicle>, PortError> {
        (**self).vehicle(tenant_id, vehicle_id).await
    }

    async fn delete_vehicle(&self, vehicle: &Vehicle) -> Result<(), PortError> {
        (**self).delete_vehicle(vehicle).await
    }
}

#[async_trait]
impl<T: TenantStore + ?Sized> TenantStore for Arc<T> {
    async fn create_tenant(&self, tenant: &Tenant) -> Result<bool, PortError> {
        (**self).create_tenant(tenant).await
    }

    async fn tenant(&self, tenant_id: &TenantId) -> Result<Option<Tenant>, PortError> {
        (**self).tenant(tenant_id).await
    }

    async fn put_tenant(&self, tenant: &Tenant) -> Result<(), PortError> {
        (**self).put_tenant(tenant).await
    }

    async fn put_user(&self, user: &User) -> Result<(), PortError> {
        (**self).put_user(user).await
    }

    async fn user(&self, tenant_id: &TenantId, user_id: &str) -> Result<Option<User>, PortError> {
        (**self).user(tenant_id, user_id).await
    }

    async fn users(&self, tenant_id: &TenantId) -> Result<Vec<User>, PortError> {
        (**self).users(tenant_id).await
    }

    async fn delete_user(&self, tenant_id: &TenantId, user_id: &str) -> Result<(), PortError> {
        (**self).delete_user(tenant_id, user_id).await
    }
}

#[async_trait]
impl<T: RecordStore + ?Sized> RecordStore for Arc<T> {
    async fn record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<Record>, PortError> {
        (**self).record(tenant_id, kind, id).await
    }

    async fn records_before(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        before: &str,
        limit: usize,
    ) -> Result<Vec<Record>, PortError> {
        (**self)
            .records_before(tenant_id, kind, before, limit)
            .await
    }

    async fn records(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
    ) -> Result<Vec<Record>, PortError> {
        (**self).records(tenant_id, kind).await
    }

    async fn put_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        record: &Record,
        expected: Option<u64>,
    ) -> Result<bool, PortError> {
        (**self).put_record(tenant_id, kind, record, expected).await
    }

    async fn delete_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<(), PortError> {
        (**self).delete_record(tenant_id, kind, id).await
    }
}

#[async_trait]
impl<T: AnswerStore + ?Sized> AnswerStore for Arc<T> {
    async fn load_notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        (**self).load_notice(number).await
    }
    async fn put_notice_if(&self, notice: &StoredNotice, expected: u64) -> Result<bool, PortError> {
        (**self).put_notice_if(notice, expected).await
    }
    async fn work_list(
        &self,
        list: WorkList,
        before: &str,
        limit: usize,
    ) -> Result<Vec<String>, PortError> {
        (**self).work_list(list, before, limit).await
    }
    async fn open_batch(&self) -> Result<Option<OutboundBatch>, PortError> {
        (**self).open_batch().await
    }
    async fn put_open_batch(
        &self,
        batch: &OutboundBatch,
        expected: Option<BatchPhase>,
    ) -> Result<bool, PortError> {
        (**self).put_open_batch(batch, expected).await
    }
    async fn close_batch(&self, batch: &OutboundBatch) -> Result<(), PortError> {
        (**self).close_batch(batch).await
    }
    async fn closed_batch(&self, batch_id: &str) -> Result<Option<OutboundBatch>, PortError> {
        (**self).closed_batch(batch_id).await
    }
}

#[async_trait]
impl<T: Queue + ?Sized> Queue for Arc<T> {
    async fn send(&self, queue_url: &str, messages: &[QueueMessage]) -> Result<(), PortError> {
        (**self).send(queue_url, messages).await
    }
}

#[async_trait]
impl<T: IdentityProvider + ?Sized> IdentityProvider for Arc<T> {
    async fn invite(
        &self,
        invitation: &Invitation,
    ) -> Result<Result<Invited, AddressTaken>, PortError> {
        (**self).invite(invitation).await
    }
    async fn set_password(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Result<(), String>, PortError> {
        (**self).set_password(email, password).await
    }
    async fn set_enabled(&self, email: &str, enabled: bool) -> Result<(), PortError> {
        (**self).set_enabled(email, enabled).await
    }
    async fn remove(&self, email: &str) -> Result<(), PortError> {
        (**self).remove(email).await
    }
    async fn second_factor_enrolled(&self, email: &str) -> Result<bool, PortError> {
        (**self).second_factor_enrolled(email).await
    }
    async fn sign_in_state(&self, email: &str) -> Result<SignInState, PortError> {
        (**self).sign_in_state(email).await
    }
}

#[async_trait]
impl<T: Mailer + ?Sized> Mailer for Arc<T> {
    async fn send(&self, email: &Email) -> Result<(), PortError> {
        (**self).send(email).await
    }
    async fn send_templated(&self, email: &TemplatedEmail) -> Result<(), PortError> {
        (**self).send_templated(email).await
    }
}

impl<T: Clock + ?Sized> Clock for Arc<T> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}
