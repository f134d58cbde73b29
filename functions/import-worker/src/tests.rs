//! The worker with in-memory ports, fed the sample event of `events/`.

use super::*;
use aws_lambda_events::event::sqs::SqsEvent;
use chrono::{TimeZone, Utc};
use designa::app::imports::{ImportKind, ImportRecord, ImportStatus};
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::memory::{FixedClock, MemoryBlobStore, MemoryStorage};

use designa::ports::{FleetStore, RecordStore, TenantStore};
use designa::store::{Record, RecordKind};

const EVENT: &str = include_str!("../../../events/import-sqs-event.json");
const KEY: &str = "imports/t-demo/0f1e2d3c4b5a69788796a5b4c3d2e1f0.xlsx";
const IMPORT_ID: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn workbook(rows: &[[&str; 7]]) -> Vec<u8> {
    designa::excel::text_workbook(&designa::excel::fleet::COLUMNS, rows).unwrap()
}

async fn worker(
    upload: Option<Vec<u8>>,
) -> ImportWorker<MemoryStorage, MemoryBlobStore, FixedClock> {
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let worker = ImportWorker {
        storage: MemoryStorage::default(),
        blobs: MemoryBlobStore::default(),
        clock: FixedClock::at(now),
        settings: ImportSettings {
            bucket: "exchange".into(),
            imports_prefix: designa::app::layout::IMPORTS_PREFIX.into(),
            write_concurrency: designa::app::imports::DEFAULT_WRITE_CONCURRENCY,
        },
    };
    let tenant = "t-demo";
    worker
        .storage
        .create_tenant(&Tenant {
            tenant_id: tenant.into(),
            name: "Demo".into(),
            settings: TenantSettings::default(),
            ended_on: None,
        })
        .await
        .unwrap();
    worker
        .storage
        .put_user(&User {
            tenant_id: tenant.into(),
            user_id: "admin".into(),
            email: "admin@example.com".into(),
            first_name: "Alex".into(),
            last_name: "Fictif".into(),
            active: true,
            grants: vec![Grant {
                role: Role::Admin,
                scope: Scope::AllEntities,
                until: None,
            }],
            sealed: None,
        })
        .await
        .unwrap();
    let entity = serde_json::json!({ "entity_id": "e-lyon", "kind": "internal", "name": "Agence de Lyon",
                                     "address": null, "siren": null, "siret": null });
    let record = Record {
        id: "e-lyon".into(),
        version: 1,
        data: entity,
        expires_at: None,
    };
    worker
        .storage
        .put_record(&tenant.into(), RecordKind::Entity, &record, None)
        .await
        .unwrap();
    let import = ImportRecord {
        import_id: IMPORT_ID.into(),
        kind: ImportKind::Vehicles,
        status: ImportStatus::AwaitingUpload,
        partial: false,
        created_by: "admin".into(),
        created_at: now,
        updated_at: now,
        rows_total: 0,
        rows_done: 0,
        errors: vec![],
        errors_total: 0,
        message: None,
        diff: None,
        upload_key: Some(KEY.into()),
    };
    let record = Record::new(IMPORT_ID, 1, &import);
    worker
        .storage
        .put_record(&tenant.into(), RecordKind::Import, &record, None)
        .await
        .unwrap();
    if let Some(body) = upload {
        worker.blobs.insert("exchange", KEY, body);
    }
    worker
}

async fn import_record(
    worker: &ImportWorker<MemoryStorage, MemoryBlobStore, FixedClock>,
) -> ImportRecord {
    worker
        .storage
        .record(&"t-demo".into(), RecordKind::Import, IMPORT_ID)
        .await
        .unwrap()
        .unwrap()
        .decode()
        .unwrap()
}

fn event() -> SqsEvent {
    serde_json::from_str(EVENT).expect("the sample event parses")
}

#[tokio::test]
async fn an_uploaded_workbook_is_imported_once_whatever_the_deliveries() {
    let body = workbook(&[
        [
            "AB-123-CD",
            "FRA",
            "Renault",
            "Clio",
            "Agence de Lyon",
            "01/02/2026",
            "",
        ],
        [
            "GH-456-JK",
            "FRA",
            "Peugeot",
            "308",
            "Agence de Lyon",
            "01/03/2026",
            "",
        ],
    ]);
    let worker = worker(Some(body)).await;
    let response = worker.handle_event(event()).await;
    assert!(response.batch_item_failures.is_empty());
    let record = import_record(&worker).await;
    assert_eq!(record.status, ImportStatus::Done);
    assert_eq!((record.rows_total, record.rows_done), (2, 2));
    let vehicles = worker.storage.vehicles(&"t-demo".into()).await.unwrap();
    assert_eq!(vehicles.len(), 2);
    // At-least-once delivery: the same event again changes nothing.
    let requests = worker.storage.requests();
    assert!(worker
        .handle_event(event())
        .await
        .batch_item_failures
        .is_empty());
    assert_eq!(
        worker.storage.requests() - requests,
        1,
        "a redelivery only reads the record"
    );
    assert_eq!(
        worker.storage.vehicles(&"t-demo".into()).await.unwrap(),
        vehicles
    );
    assert_eq!(import_record(&worker).await, record);
}

#[tokio::test]
async fn a_file_that_is_no_workbook_fails_its_import_with_the_reason_and_is_kept() {
    let worker = worker(Some(b"ceci n'est pas un classeur".to_vec())).await;
    assert!(worker
        .handle_event(event())
        .await
        .batch_item_failures
        .is_empty());
    let record = import_record(&worker).await;
    assert_eq!(record.status, ImportStatus::Failed);
    assert!(record
        .message
        .unwrap()
        .contains("pas un classeur Excel .xlsx"));
    assert!(
        worker.blobs.get("exchange", KEY).is_some(),
        "the upload is kept aside"
    );
}

#[tokio::test]
async fn a_storage_failure_reports_the_message_for_a_retry() {
    let worker = worker(Some(workbook(&[[
        "AB-123-CD",
        "FRA",
        "Renault",
        "Clio",
        "Agence de Lyon",
        "01/02/2026",
        "",
    ]])))
    .await;
    worker.storage.fail_next("put_vehicle");
    let response = worker.handle_event(event()).await;
    assert_eq!(response.batch_item_failures.len(), 1);
    assert_eq!(
        import_record(&worker).await.status,
        ImportStatus::Processing
    );
    // Redelivered within the lease: comes back later rather than being dropped.
    assert_eq!(
        worker.handle_event(event()).await.batch_item_failures.len(),
        1
    );
    // After the lease (the queue's visibility timeout is longer), it is taken over.
    worker
        .clock
        .set(worker.clock.now() + chrono::Duration::minutes(11));
    assert!(worker
        .handle_event(event())
        .await
        .batch_item_failures
        .is_empty());
    assert_eq!(import_record(&worker).await.status, ImportStatus::Done);
}

#[tokio::test]
async fn objects_outside_the_imports_prefix_and_unknown_imports_are_acknowledged() {
    let worker = worker(None).await;
    let other = EVENT.replace(KEY, "imports/t-demo/ffffffffffffffffffffffffffffffff.xlsx");
    let event: SqsEvent = serde_json::from_str(&other).unwrap();
    assert!(worker
        .handle_event(event)
        .await
        .batch_item_failures
        .is_empty());
    assert_eq!(
        import_record(&worker).await.status,
        ImportStatus::AwaitingUpload
    );
}
