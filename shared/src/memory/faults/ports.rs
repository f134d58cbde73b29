//! `Faulty<P>` as every port it can wrap: each method is one call site,
//! named `Trait::method`, with the AWS request its adapter makes. Presigning
//! makes no request and is never failed.

use super::{Faulty, Service, Site};
use crate::domain::tenant::{Tenant, User};
use crate::domain::{Holding, HoldingConflict, PlateKey, TenantId};
use crate::ports::{
    AnswerStore, BlobReader, BlobStore, Email, FileStore, FleetStore, Mailer, NoticeStore,
    PortError, Queue, QueueMessage, RecordStore, TemplatedEmail, TenantStore, WorkList,
};
use crate::privacy::{DataKey, KeyVault, Subject};
use crate::store::{
    BatchPhase, Declaration, DeclarationMode, FileClaim, FileOutcome, NoticeRange, NoticeSlice,
    OutboundBatch, Record, RecordKind, StoredNotice, UnroutedNotice, Vehicle,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

const fn dynamodb(name: &'static str, operation: &'static str) -> Site {
    Site::new(name, operation, Service::DynamoDb)
}

const fn transaction(name: &'static str) -> Site {
    Site::new(
        name,
        "dynamodb:TransactWriteItems",
        Service::DynamoDbTransaction,
    )
}

const fn s3(name: &'static str, operation: &'static str) -> Site {
    Site::new(name, operation, Service::S3)
}

#[async_trait]
impl<P: FileStore> FileStore for Faulty<P> {
    async fn claim_file(
        &self,
        file_key: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<FileClaim, PortError> {
        let site = dynamodb("FileStore::claim_file", "dynamodb:PutItem");
        self.call(site, self.port.claim_file(file_key, now, lease_until))
            .await
    }
    async fn finish_file(&self, file_key: &str, outcome: &FileOutcome) -> Result<(), PortError> {
        let site = dynamodb("FileStore::finish_file", "dynamodb:PutItem");
        self.call(site, self.port.finish_file(file_key, outcome))
            .await
    }
}

#[async_trait]
impl<P: NoticeStore> NoticeStore for Faulty<P> {
    async fn holdings(
        &self,
        plates: &[PlateKey],
    ) -> Result<HashMap<PlateKey, Vec<Holding>>, PortError> {
        let site = dynamodb("NoticeStore::holdings", "dynamodb:BatchGetItem");
        self.call(site, self.port.holdings(plates)).await
    }
    async fn existing_notices(
        &self,
        numbers: &[String],
    ) -> Result<HashMap<String, String>, PortError> {
        let site = dynamodb("NoticeStore::existing_notices", "dynamodb:BatchGetItem");
        self.call(site, self.port.existing_notices(numbers)).await
    }
    async fn put_notices(&self, notices: &[StoredNotice]) -> Result<(), PortError> {
        let site = dynamodb("NoticeStore::put_notices", "dynamodb:BatchWriteItem");
        self.call(site, self.port.put_notices(notices)).await
    }
    async fn put_unrouted(&self, records: &[UnroutedNotice]) -> Result<(), PortError> {
        let site = dynamodb("NoticeStore::put_unrouted", "dynamodb:BatchWriteItem");
        self.call(site, self.port.put_unrouted(records)).await
    }
    async fn tenant_notices(&self, tenant_id: &str) -> Result<Vec<StoredNotice>, PortError> {
        let site = dynamodb("NoticeStore::tenant_notices", "dynamodb:Query");
        self.call(site, self.port.tenant_notices(tenant_id)).await
    }
    async fn tenant_notices_due_from(
        &self,
        tenant_id: &str,
        first_day: NaiveDate,
    ) -> Result<Vec<StoredNotice>, PortError> {
        let site = dynamodb("NoticeStore::tenant_notices_due_from", "dynamodb:Query");
        let read = self.port.tenant_notices_due_from(tenant_id, first_day);
        self.call(site, read).await
    }
    async fn notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        let site = dynamodb("NoticeStore::notice", "dynamodb:GetItem");
        self.call(site, self.port.notice(number)).await
    }
    async fn notices_in_range(&self, range: &NoticeRange<'_>) -> Result<NoticeSlice, PortError> {
        let site = dynamodb("NoticeStore::notices_in_range", "dynamodb:Query");
        self.call(site, self.port.notices_in_range(range)).await
    }
}

#[async_trait]
impl<P: FleetStore> FleetStore for Faulty<P> {
    async fn put_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
    ) -> Result<Result<(), HoldingConflict>, PortError> {
        let site = transaction("FleetStore::put_vehicle");
        self.call(site, self.port.put_vehicle(vehicle, at)).await
    }
    async fn remove_vehicle(
        &self,
        vehicle: &Vehicle,
        at: DateTime<Utc>,
        forget_at: DateTime<Utc>,
    ) -> Result<(), PortError> {
        let site = transaction("FleetStore::remove_vehicle");
        self.call(site, self.port.remove_vehicle(vehicle, at, forget_at))
            .await
    }
    async fn vehicles_changed_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Vehicle, DateTime<Utc>)>, PortError> {
        let site = dynamodb("FleetStore::vehicles_changed_since", "dynamodb:Scan");
        self.call(site, self.port.vehicles_changed_since(since))
            .await
    }
    async fn last_declaration(
        &self,
        mode: DeclarationMode,
    ) -> Result<Option<Declaration>, PortError> {
        let site = dynamodb("FleetStore::last_declaration", "dynamodb:GetItem");
        self.call(site, self.port.last_declaration(mode)).await
    }
    async fn record_declaration(&self, declaration: &Declaration) -> Result<bool, PortError> {
        let site = transaction("FleetStore::record_declaration");
        self.call(site, self.port.record_declaration(declaration))
            .await
    }
    async fn vehicles(&self, tenant_id: &TenantId) -> Result<Vec<Vehicle>, PortError> {
        let site = dynamodb("FleetStore::vehicles", "dynamodb:Query");
        self.call(site, self.port.vehicles(tenant_id)).await
    }
    async fn vehicle(
        &self,
        tenant_id: &TenantId,
        vehicle_id: &str,
    ) -> Result<Option<Vehicle>, PortError> {
        let site = dynamodb("FleetStore::vehicle", "dynamodb:GetItem");
        self.call(site, self.port.vehicle(tenant_id, vehicle_id))
            .await
    }
    async fn delete_vehicle(&self, vehicle: &Vehicle) -> Result<(), PortError> {
        let site = transaction("FleetStore::delete_vehicle");
        self.call(site, self.port.delete_vehicle(vehicle)).await
    }
}

#[async_trait]
impl<P: TenantStore> TenantStore for Faulty<P> {
    async fn create_tenant(&self, tenant: &Tenant) -> Result<bool, PortError> {
        let site = dynamodb("TenantStore::create_tenant", "dynamodb:PutItem");
        self.call(site, self.port.create_tenant(tenant)).await
    }
    async fn tenant(&self, tenant_id: &TenantId) -> Result<Option<Tenant>, PortError> {
        let site = dynamodb("TenantStore::tenant", "dynamodb:GetItem");
        self.call(site, self.port.tenant(tenant_id)).await
    }
    async fn put_tenant(&self, tenant: &Tenant) -> Result<(), PortError> {
        let site = dynamodb("TenantStore::put_tenant", "dynamodb:PutItem");
        self.call(site, self.port.put_tenant(tenant)).await
    }
    async fn put_user(&self, user: &User) -> Result<(), PortError> {
        let site = dynamodb("TenantStore::put_user", "dynamodb:PutItem");
        self.call(site, self.port.put_user(user)).await
    }
    async fn user(&self, tenant_id: &TenantId, user_id: &str) -> Result<Option<User>, PortError> {
        let site = dynamodb("TenantStore::user", "dynamodb:GetItem");
        self.call(site, self.port.user(tenant_id, user_id)).await
    }
    async fn users(&self, tenant_id: &TenantId) -> Result<Vec<User>, PortError> {
        let site = dynamodb("TenantStore::users", "dynamodb:Query");
        self.call(site, self.port.users(tenant_id)).await
    }
    async fn delete_user(&self, tenant_id: &TenantId, user_id: &str) -> Result<(), PortError> {
        let site = dynamodb("TenantStore::delete_user", "dynamodb:DeleteItem");
        self.call(site, self.port.delete_user(tenant_id, user_id))
            .await
    }
}

#[async_trait]
impl<P: RecordStore> RecordStore for Faulty<P> {
    async fn record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<Record>, PortError> {
        let site = dynamodb("RecordStore::record", "dynamodb:GetItem");
        self.call(site, self.port.record(tenant_id, kind, id)).await
    }
    async fn records_before(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        before: &str,
        limit: usize,
    ) -> Result<Vec<Record>, PortError> {
        let site = dynamodb("RecordStore::records_before", "dynamodb:Query");
        let read = self.port.records_before(tenant_id, kind, before, limit);
        self.call(site, read).await
    }
    async fn records(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
    ) -> Result<Vec<Record>, PortError> {
        let site = dynamodb("RecordStore::records", "dynamodb:Query");
        self.call(site, self.port.records(tenant_id, kind)).await
    }
    async fn put_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        record: &Record,
        expected: Option<u64>,
    ) -> Result<bool, PortError> {
        let site = dynamodb("RecordStore::put_record", "dynamodb:PutItem");
        let write = self.port.put_record(tenant_id, kind, record, expected);
        self.call(site, write).await
    }
    async fn delete_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<(), PortError> {
        let site = dynamodb("RecordStore::delete_record", "dynamodb:DeleteItem");
        self.call(site, self.port.delete_record(tenant_id, kind, id))
            .await
    }
}

#[async_trait]
impl<P: AnswerStore> AnswerStore for Faulty<P> {
    async fn load_notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        let site = dynamodb("AnswerStore::load_notice", "dynamodb:GetItem");
        self.call(site, self.port.load_notice(number)).await
    }
    async fn put_notice_if(&self, notice: &StoredNotice, expected: u64) -> Result<bool, PortError> {
        let site = dynamodb("AnswerStore::put_notice_if", "dynamodb:PutItem");
        self.call(site, self.port.put_notice_if(notice, expected))
            .await
    }
    async fn work_list(
        &self,
        list: WorkList,
        before: &str,
        limit: usize,
    ) -> Result<Vec<String>, PortError> {
        let site = dynamodb("AnswerStore::work_list", "dynamodb:Query");
        self.call(site, self.port.work_list(list, before, limit))
            .await
    }
    async fn open_batch(&self) -> Result<Option<OutboundBatch>, PortError> {
        let site = dynamodb("AnswerStore::open_batch", "dynamodb:GetItem");
        self.call(site, self.port.open_batch()).await
    }
    async fn put_open_batch(
        &self,
        batch: &OutboundBatch,
        expected: Option<BatchPhase>,
    ) -> Result<bool, PortError> {
        let site = dynamodb("AnswerStore::put_open_batch", "dynamodb:PutItem");
        self.call(site, self.port.put_open_batch(batch, expected))
            .await
    }
    async fn close_batch(&self, batch: &OutboundBatch) -> Result<(), PortError> {
        let site = dynamodb("AnswerStore::close_batch", "dynamodb:PutItem");
        self.call(site, self.port.close_batch(batch)).await
    }
    async fn closed_batch(&self, batch_id: &str) -> Result<Option<OutboundBatch>, PortError> {
        let site = dynamodb("AnswerStore::closed_batch", "dynamodb:GetItem");
        self.call(site, self.port.closed_batch(batch_id)).await
    }
}

#[async_trait]
impl<P: BlobStore> BlobStore for Faulty<P> {
    async fn open(&self, bucket: &str, key: &str) -> Result<Option<BlobReader>, PortError> {
        let site = s3("BlobStore::open", "s3:GetObject");
        self.call(site, self.port.open(bucket, key)).await
    }
    async fn put(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PortError> {
        let site = s3("BlobStore::put", "s3:PutObject");
        self.call(site, self.port.put(bucket, key, body, content_type))
            .await
    }
    async fn put_checked(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PortError> {
        let site = s3("BlobStore::put_checked", "s3:PutObject");
        let write = self.port.put_checked(bucket, key, body, content_type);
        self.call(site, write).await
    }
    async fn copy(&self, bucket: &str, from_key: &str, to_key: &str) -> Result<(), PortError> {
        let site = s3("BlobStore::copy", "s3:CopyObject");
        self.call(site, self.port.copy(bucket, from_key, to_key))
            .await
    }
    async fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, PortError> {
        let site = s3("BlobStore::list", "s3:ListObjectsV2");
        self.call(site, self.port.list(bucket, prefix)).await
    }
    async fn delete(&self, bucket: &str, key: &str) -> Result<(), PortError> {
        let site = s3("BlobStore::delete", "s3:DeleteObject");
        self.call(site, self.port.delete(bucket, key)).await
    }
    async fn delete_every_version(&self, bucket: &str, key: &str) -> Result<(), PortError> {
        let site = s3("BlobStore::delete_every_version", "s3:DeleteObjectVersion");
        self.call(site, self.port.delete_every_version(bucket, key))
            .await
    }
    async fn presign_put(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError> {
        self.port
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
        self.port
            .presign_get(bucket, key, download_name, expires)
            .await
    }
}

#[async_trait]
impl<P: Queue> Queue for Faulty<P> {
    async fn send(&self, queue_url: &str, messages: &[QueueMessage]) -> Result<(), PortError> {
        let site = Site::new("Queue::send", "sqs:SendMessageBatch", Service::Sqs);
        self.call(site, self.port.send(queue_url, messages)).await
    }
}

#[async_trait]
impl<P: Mailer> Mailer for Faulty<P> {
    async fn send(&self, email: &Email) -> Result<(), PortError> {
        let site = Site::new("Mailer::send", "ses:SendEmail", Service::Ses);
        self.call(site, self.port.send(email)).await
    }
    async fn send_templated(&self, email: &TemplatedEmail) -> Result<(), PortError> {
        let site = Site::new(
            "Mailer::send_templated",
            "ses:SendTemplatedEmail",
            Service::Ses,
        );
        self.call(site, self.port.send_templated(email)).await
    }
}

/// The vault's requests: KMS for keys, its own table for erasure.
#[async_trait]
impl<P: KeyVault> KeyVault for Faulty<P> {
    async fn key_for_sealing(&self, subject: &Subject) -> Result<DataKey, PortError> {
        let site = Site::new(
            "KeyVault::key_for_sealing",
            "kms:GenerateDataKey",
            Service::Kms,
        );
        self.call(site, self.port.key_for_sealing(subject)).await
    }
    async fn key(&self, subject: &Subject) -> Result<Option<DataKey>, PortError> {
        let site = Site::new("KeyVault::key", "kms:Decrypt", Service::Kms);
        self.call(site, self.port.key(subject)).await
    }
    async fn erase(&self, subject: &Subject) -> Result<(), PortError> {
        let site = dynamodb("KeyVault::erase", "dynamodb:DeleteItem");
        self.call(site, self.port.erase(subject)).await
    }
}
