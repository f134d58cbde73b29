//! A large workbook through the presigned upload: the API hands out the URL,
//! the client PUTs the file to S3, S3 tells the import queue, the import
//! worker processes it as Lambda would, and the import's status says so.

use api::http::XLSX;
use api::testing::Call;
use designa::aws::S3BlobStore;
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::ports::{FleetStore, RecordStore, SystemClock, TenantStore};
use designa::store::{Record, RecordKind};
use designa_integration_tests::world::world;
use designa_integration_tests::{exclusive, local_stack};
use designa_tools::runner::drain_queue;
use import_worker::ImportWorker;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// PUTs `body` to a presigned URL as a browser would; the status line.
async fn put_presigned(url: &str, body: &[u8]) -> String {
    let rest = url
        .strip_prefix("http://")
        .expect("the emulator's plain http");
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "PUT /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {XLSX}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn workbook(rows: usize) -> Vec<u8> {
    let rows = (0..rows).map(|i| {
        [
            designa::domain::plate::sample_siv_plate(i),
            "FRA".into(),
            "Renault".into(),
            "Kangoo".into(),
            "Agence de Lyon".into(),
            "01/02/2026".into(),
            String::new(),
        ]
    });
    designa::excel::text_workbook(&designa::excel::fleet::COLUMNS, rows).unwrap()
}

#[tokio::test]
async fn a_large_workbook_goes_through_a_presigned_upload_and_the_worker() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let stack = local_stack();
    let storage = w.raw_storage();
    let tenant = w.tenant.as_str();
    storage
        .create_tenant(&Tenant {
            tenant_id: tenant.into(),
            name: "Imports Fictifs".into(),
            settings: TenantSettings::default(),
            ended_on: None,
        })
        .await
        .unwrap();
    storage
        .put_user(&User {
            tenant_id: tenant.into(),
            user_id: "admin-sub".into(),
            email: format!("admin@{tenant}.example"),
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
    let entity = json!({ "entity_id": "e-lyon", "kind": "internal", "name": "Agence de Lyon", "address": null, "siren": null, "siret": null });
    storage
        .put_record(
            &tenant.into(),
            RecordKind::Entity,
            &Record {
                id: "e-lyon".into(),
                version: 1,
                data: entity,
                expires_at: None,
            },
            None,
        )
        .await
        .unwrap();
    let api = w.api();
    let settings = api.config.imports.clone();
    let claims = w.claims_of("admin-sub");
    let call = |method: &str, path: &str, body: serde_json::Value| {
        api.handle(Call {
            method: method.into(),
            path: path.into(),
            content_type: Some("application/json".into()),
            body: if body.is_null() {
                vec![]
            } else {
                serde_json::to_vec(&body).unwrap()
            },
            claims: Some(claims.clone()),
            request_id: "it-upload".into(),
            ..Default::default()
        })
    };

    let started = call("POST", "/uploads", json!({ "kind": "vehicles" })).await;
    assert_eq!(started.status, 201, "{:?}", started.body_json());
    let started = started.body_json();
    let import_id = started["import"]["import_id"].as_str().unwrap().to_string();
    assert_eq!(started["import"]["status"], "awaiting_upload");
    let url = started["upload"]["url"].as_str().unwrap();
    assert!(url.contains("X-Amz-Signature="), "a presigned URL: {url}");

    let status = put_presigned(url, &workbook(300)).await;
    assert!(status.contains(" 200"), "the upload was refused: {status}");

    let worker = ImportWorker {
        storage: w.storage(),
        blobs: S3BlobStore::new(w.aws.s3().clone()),
        clock: SystemClock,
        settings,
    };
    let queue = stack.resource("ImportQueue").unwrap();
    let stats = drain_queue(w.aws.sqs(), queue, 20, |event| worker.handle_event(event))
        .await
        .unwrap();
    let record = call(
        "GET",
        &format!("/imports/{import_id}"),
        serde_json::Value::Null,
    )
    .await
    .body_json();
    assert_eq!(stats.failed, 0, "{record}");

    let record = call(
        "GET",
        &format!("/imports/{import_id}"),
        serde_json::Value::Null,
    )
    .await
    .body_json();
    assert_eq!(record["status"], "done", "{record}");
    assert_eq!(
        (record["rows_total"].as_u64(), record["rows_done"].as_u64()),
        (Some(300), Some(300))
    );
    assert_eq!(storage.vehicles(&tenant.into()).await.unwrap().len(), 300);
    // The same S3 event delivered again changes nothing.
    let again = worker.handle_message(
        &json!({ "Records": [ { "s3": { "bucket": { "name": w.bucket }, "object": { "key": format!("imports/{tenant}/{import_id}.xlsx") } } } ] }).to_string(),
        "replay",
    ).await;
    assert!(again.is_ok(), "{again:?}");
    assert_eq!(storage.vehicles(&tenant.into()).await.unwrap().len(), 300);
}
