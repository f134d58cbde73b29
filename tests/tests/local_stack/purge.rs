//! The purge function on the local stack. Records are written as the API
//! and the notification function write them, with their objects in S3; the
//! TTL's removal is played by reading each item with the SDK (what the
//! stream's OldImage carries) and deleting it. The handler deletes what
//! depended on it and writes purge records without personal data; a replay
//! changes nothing, in the table or in the bucket.

use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use aws_sdk_s3::primitives::ByteStream;
use chrono::{Duration, Utc};
use designa::app::exports::{export_key, ExportFilters, ExportJob, ExportStatus};
use designa::app::imports::{ImportKind, ImportRecord, ImportStatus, ReportedError};
use designa::aws::{DynamoStorage, S3BlobStore};
use designa::domain::access::Scope;
use designa::domain::notice::Notice;
use designa::domain::plate::Plate;
use designa::domain::time::paris_date;
use designa::domain::TenantId;
use designa::excel::export::ExportFormat;
use designa::ports::{NoticeStore, RecordStore, SystemClock};
use designa::store::{epoch_after, Record, RecordKind, StoredNotice};
use designa::table::keys;
use designa_integration_tests::exclusive;
use designa_integration_tests::world::{unique_number, world, World};
use purge::{purge_id, ttl_removal, Config, Purge, PurgeRecord};
use serde_json::json;

type StackPurge =
    Purge<DynamoStorage, S3BlobStore, SystemClock, std::sync::Arc<designa::aws::KmsKeyVault>>;

pub(crate) fn purge(w: &World) -> StackPurge {
    Purge {
        storage: w.raw_storage(),
        blobs: S3BlobStore::new(w.aws.s3().clone()),
        clock: SystemClock,
        vault: w.vault.clone(),
        config: Config {
            bucket: w.bucket.clone(),
            imports_prefix: "imports/".into(),
        },
    }
}

pub(crate) fn batch(records: &[EventRecord]) -> Event {
    let mut event = Event::default();
    event.records = records.to_vec();
    event
}

/// What DynamoDB's TTL does: the item leaves, and the stream carries it as
/// it was. `sequence` stands for the stream's sequence number.
pub(crate) async fn expire(w: &World, pk: &str, sk: &str, sequence: &str) -> EventRecord {
    let key = serde_dynamo::aws_sdk_dynamodb_1::to_item(json!({ "pk": pk, "sk": sk })).unwrap();
    let item = w
        .aws
        .dynamodb()
        .get_item()
        .table_name(&w.config.table_name)
        .set_key(Some(key.clone()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap_or_else(|| panic!("{pk} / {sk} is not stored"));
    w.aws
        .dynamodb()
        .delete_item()
        .table_name(&w.config.table_name)
        .set_key(Some(key))
        .send()
        .await
        .unwrap();
    ttl_removal(serde_dynamo::Item::from(item), sequence, Utc::now())
}

async fn put_object(w: &World, key: &str) {
    w.aws
        .s3()
        .put_object()
        .bucket(&w.bucket)
        .key(key)
        .body(ByteStream::from_static(b"fictional content"))
        .send()
        .await
        .unwrap();
}

/// Versions and delete markers of each key: a second delete would add one.
async fn versions(w: &World, keys: &[&str]) -> Vec<usize> {
    let mut counts = Vec::new();
    for key in keys {
        let out = w
            .aws
            .s3()
            .list_object_versions()
            .bucket(&w.bucket)
            .prefix(*key)
            .send()
            .await
            .unwrap();
        counts.push(out.versions().len() + out.delete_markers().len());
    }
    counts
}

/// Every item of a partition, as stored.
async fn partition(w: &World, pk: &str) -> Vec<serde_json::Value> {
    let out = w
        .aws
        .dynamodb()
        .query()
        .table_name(&w.config.table_name)
        .key_condition_expression("pk = :pk")
        .set_expression_attribute_values(Some(
            serde_dynamo::aws_sdk_dynamodb_1::to_item(json!({ ":pk": pk })).unwrap(),
        ))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    out.items()
        .iter()
        .map(|item| serde_dynamo::aws_sdk_dynamodb_1::from_item(item.clone()).unwrap())
        .collect()
}

async fn proof(w: &World, tenant: &TenantId, sk: &str) -> (PurgeRecord, String) {
    let record = w
        .raw_storage()
        .record(
            tenant,
            RecordKind::Purge,
            &purge_id(&keys::tenant(tenant), sk),
        )
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no purge record for {sk}"));
    assert!(record
        .expires_at
        .is_some_and(|at| at > epoch_after(Utc::now(), 364) && at <= epoch_after(Utc::now(), 365)));
    (
        record.decode().unwrap(),
        serde_json::to_string(&record).unwrap(),
    )
}

#[tokio::test]
async fn expired_export_and_import_records_take_their_files_along() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let tenant: TenantId = w.tenant.as_str().into();
    let store = w.raw_storage();
    let created = Utc::now() - Duration::days(30);
    let expired = Some((Utc::now() - Duration::minutes(5)).timestamp());

    let export_id = uuid::Uuid::new_v4().simple().to_string();
    let export_file = export_key(&tenant, &export_id, ExportFormat::Csv);
    let job = ExportJob {
        export_id: export_id.clone(),
        status: ExportStatus::Done,
        format: ExportFormat::Csv,
        filters: ExportFilters::default(),
        scope: Scope::AllEntities,
        created_by: "sub-requester".into(),
        created_at: created,
        updated_at: created,
        period_from: created - Duration::days(365),
        rows_total: 2,
        rows_done: 2,
        file_key: Some(export_file.clone()),
        file_size: Some(17),
        finished_at: Some(created),
        expires_at: Some(created + Duration::days(7)),
        emailed: true,
        message: None,
    };
    let mut record = Record::new(&export_id, 4, &job);
    record.expires_at = expired;
    assert!(store
        .put_record(&tenant, RecordKind::Export, &record, None)
        .await
        .unwrap());
    put_object(&w, &export_file).await;

    // A fleet refresh uploaded as a workbook; one refused row names a (fictional) person.
    let import_id = uuid::Uuid::new_v4().simple().to_string();
    let upload = format!("imports/{tenant}/{import_id}.xlsx");
    let diff = format!("import-results/{tenant}/{import_id}.json");
    let import = ImportRecord {
        import_id: import_id.clone(),
        kind: ImportKind::FleetRefresh,
        status: ImportStatus::Applied,
        partial: true,
        created_by: "sub-requester".into(),
        created_at: created,
        updated_at: created,
        rows_total: 3,
        rows_done: 3,
        errors: vec![ReportedError {
            row: 4,
            column: "Conducteur".into(),
            code: designa::domain::ReasonCode::UnknownDriver,
            reason: "'Léa Durand-Fictif' n'est pas dans la base".into(),
        }],
        errors_total: 1,
        message: None,
        diff: None,
        upload_key: Some(upload.clone()),
    };
    let mut record = Record::new(&import_id, 3, &import);
    record.expires_at = expired;
    assert!(store
        .put_record(&tenant, RecordKind::Import, &record, None)
        .await
        .unwrap());
    put_object(&w, &upload).await;
    put_object(&w, &diff).await;

    let pk = keys::tenant(&tenant);
    let removals = [
        expire(
            &w,
            &pk,
            &format!("EXPORT#{export_id}"),
            "900000000000000000001",
        )
        .await,
        expire(
            &w,
            &pk,
            &format!("IMPORT#{import_id}"),
            "900000000000000000002",
        )
        .await,
    ];
    let purge = purge(&w);

    let report = purge.handle_event(batch(&removals)).await;

    assert_eq!(
        (report.purged, report.failed_at.clone()),
        (2, None),
        "{report:?}"
    );
    for key in [&export_file, &upload, &diff] {
        assert!(w.object(key).await.is_none(), "{key} is still there");
    }
    let (export_proof, text) = proof(&w, &tenant, &format!("EXPORT#{export_id}")).await;
    assert_eq!(export_proof.item_type, "EXPORT");
    assert_eq!(export_proof.tenant_id.as_deref(), Some(w.tenant.as_str()));
    assert_eq!(export_proof.expired_at, expired);
    assert_eq!(
        export_proof.sequence_number.as_deref(),
        Some("900000000000000000001")
    );
    assert_eq!(
        export_proof.deleted.objects,
        std::slice::from_ref(&export_file)
    );
    assert!(!text.contains("sub-requester"), "{text}");
    let (import_proof, text) = proof(&w, &tenant, &format!("IMPORT#{import_id}")).await;
    assert_eq!(import_proof.item_type, "IMPORT");
    assert_eq!(import_proof.deleted.objects, [diff.clone(), upload.clone()]);
    for personal in ["Durand", "Léa", "sub-requester"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }

    // Delivered again (at least once): nothing changes, anywhere.
    let before = (
        partition(&w, &pk).await,
        versions(&w, &[&export_file, &upload, &diff]).await,
    );
    let report = purge.handle_event(batch(&removals)).await;
    assert_eq!((report.already_purged, report.purged), (2, 0), "{report:?}");
    let after = (
        partition(&w, &pk).await,
        versions(&w, &[&export_file, &upload, &diff]).await,
    );
    assert_eq!(after, before);
}

#[tokio::test]
async fn an_expired_notice_takes_its_reminder_digest_and_delivery_records_along() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let tenant: TenantId = w.tenant.as_str().into();
    let store = w.raw_storage();
    let first = unique_number();
    let numbers = [first.to_string(), (first + 1).to_string()];
    let [expiring, staying] = &numbers;
    let received = Utc::now() - Duration::days(50);
    let notices: Vec<StoredNotice> = numbers
        .iter()
        .map(|n| {
            StoredNotice::routed(
                Notice::sample(
                    n,
                    Plate::parse("GH-456-JK", "FRA").unwrap(),
                    paris_date(received),
                ),
                tenant.clone(),
                "e-lyon".into(),
                "v1".into(),
                received,
                "inbound/f.txt".into(),
            )
        })
        .collect();
    store.put_notices(&notices).await.unwrap();
    // What the reminder run and the notification function leave (the unit
    // tests run them; here the records are written as they write them).
    let digests: TenantId = "_digest-daily".into();
    for number in &numbers {
        let put = |partition: TenantId, kind: RecordKind, id: String| {
            let store = &store;
            async move {
                let mut record = Record::new(id, 1, &json!({ "state": "sent" }));
                record.expires_at = Some(epoch_after(Utc::now(), 30));
                assert!(store
                    .put_record(&partition, kind, &record, None)
                    .await
                    .unwrap());
            }
        };
        put(
            tenant.clone(),
            RecordKind::Reminder,
            format!("{number}#deadline_in_2_days"),
        )
        .await;
        put(
            digests.clone(),
            RecordKind::DigestEntry,
            format!("{tenant}#sub-designer#{number}#still_open"),
        )
        .await;
        put(
            tenant.clone(),
            RecordKind::DigestEntry,
            format!("~delivery#{number}-1|refused#sub-designer"),
        )
        .await;
    }

    let removal = expire(
        &w,
        &keys::notice(expiring),
        keys::NOTICE_SK,
        "910000000000000000001",
    )
    .await;
    let report = purge(&w).handle_event(batch(&[removal])).await;

    assert_eq!(
        (report.purged, report.failed_at.clone()),
        (1, None),
        "{report:?}"
    );
    let ids = |partition: TenantId, kind: RecordKind| {
        let store = &store;
        async move {
            store
                .records(&partition, kind)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .filter(|id| id.contains(expiring.as_str()) || id.contains(staying.as_str()))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        ids(tenant.clone(), RecordKind::Reminder).await,
        [format!("{staying}#deadline_in_2_days")]
    );
    assert_eq!(
        ids(digests.clone(), RecordKind::DigestEntry).await,
        [format!("{tenant}#sub-designer#{staying}#still_open")]
    );
    assert_eq!(
        ids(tenant.clone(), RecordKind::DigestEntry).await,
        [format!("~delivery#{staying}-1|refused#sub-designer")]
    );
    let record = store
        .record(
            &tenant,
            RecordKind::Purge,
            &purge_id(&keys::notice(expiring), keys::NOTICE_SK),
        )
        .await
        .unwrap()
        .expect("the notice's purge record");
    let purged: PurgeRecord = record.decode().unwrap();
    assert_eq!(purged.item_type, "NOTICE");
    assert_eq!(
        (
            purged.deleted.reminder_records,
            purged.deleted.digest_entries,
            purged.deleted.delivery_records
        ),
        (1, 1, 1)
    );
    let text = serde_json::to_string(&record).unwrap();
    for personal in [expiring.as_str(), "GH-456-JK", "GH456JK"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
}
