//! Fleet import through the API (a bench binary, not a test): a 5,000-vehicle
//! workbook with exactly three bad rows, posted to `POST /imports` with the
//! in-memory ports. Prints the time to reject it with its report, the time
//! to apply the 4,997 good rows (`partial=true`), and the table requests
//! the apply makes. Run with `make bench`.

use api::http::XLSX;
use api::testing::Call;
use api::{Api, AppState, Config, JobQueue};
use chrono::{TimeZone, Utc};
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::excel::fleet::COLUMNS;
use designa::memory::{
    FixedClock, MemoryBlobStore, MemoryIdentity, MemoryMailer, MemoryQueue, MemoryStorage,
};
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;

const VEHICLES: usize = 5_000;

fn workbook() -> Vec<u8> {
    let rows = (0..VEHICLES).map(|i| {
        let mut row = [
            designa::domain::plate::sample_siv_plate(i),
            "FRA".into(),
            "Renault".into(),
            "Kangoo".into(),
            "Siège".into(),
            "01/02/2026".into(),
            String::new(),
        ];
        match i {
            99 => row[0] = "NOT A PLATE".into(),
            2499 => row[2] = String::new(),
            4998 => row[4] = "Atlantide".into(),
            _ => {}
        }
        row
    });
    designa::excel::text_workbook(&COLUMNS, rows).unwrap()
}

fn request(query: &str, body: &[u8]) -> Call {
    Call {
        method: "POST".into(),
        path: format!("/imports?{query}"),
        content_type: Some(XLSX.into()),
        body: body.to_vec(),
        claims: Some(
            json!({ "sub": "admin", "custom:tenant_id": "acme" })
                .as_object()
                .unwrap()
                .clone(),
        ),
        request_id: "bench".into(),
        ..Default::default()
    }
}

/// A tenant, its admin and one entity.
async fn seed(api: &AppState) {
    api.storage
        .create_tenant(&Tenant {
            tenant_id: "acme".into(),
            name: "Transports Exemple".into(),
            settings: TenantSettings::default(),
            ended_on: None,
        })
        .await
        .unwrap();
    api.storage
        .put_user(&User {
            tenant_id: "acme".into(),
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
    let mut entity = request("kind=vehicles", b"");
    entity.path = "/entities".into();
    entity.content_type = Some("application/json".into());
    entity.body = serde_json::to_vec(&json!({ "kind": "internal", "name": "Siège" })).unwrap();
    assert_eq!(api.handle(entity).await.status, 201);
}

#[tokio::main]
async fn main() {
    // Sealed as in production (vehicles carry no personal data: no cost here).
    let storage = Arc::new(designa::privacy::sealing::Sealing::new(
        MemoryStorage::default(),
        Arc::new(designa::memory::MemoryKeyVault::default()),
    ));
    let api = AppState::from(Api {
        storage: storage.clone(),
        blobs: Arc::new(MemoryBlobStore::default()),
        identity: Arc::new(MemoryIdentity::default()),
        mailer: Arc::new(MemoryMailer::default()),
        clock: Arc::new(FixedClock::at(
            Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap(),
        )),
        signer: Arc::new(designa::memory::MemorySigner::default()),
        config: Config::for_tests(),
        export_queue: JobQueue::new(
            std::sync::Arc::new(MemoryQueue::default()),
            "memory://export-queue",
        ),
    });
    seed(&api).await;

    let bytes = workbook();
    println!(
        "workbook: {VEHICLES} vehicles, 3 bad rows, {:.0} KiB",
        bytes.len() as f64 / 1024.0
    );
    let start = Instant::now();
    let rejected = api.handle(request("kind=vehicles", &bytes)).await;
    let reject_time = start.elapsed();
    let report = rejected.body_json();
    let rows: Vec<u64> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, vec![101, 2501, 5000]);
    println!(
        "check and reject (report of rows {rows:?}): {:>8.1} ms",
        reject_time.as_secs_f64() * 1000.0
    );

    let before = storage.requests();
    let start = Instant::now();
    let applied = api
        .handle(request("kind=vehicles&partial=true", &bytes))
        .await;
    let apply_time = start.elapsed();
    assert_eq!(applied.body_json()["rows_done"], 4997);
    println!(
        "check and apply 4,997 rows (partial=true):   {:>8.1} ms, {} table requests ({:.2} per vehicle)",
        apply_time.as_secs_f64() * 1000.0,
        storage.requests() - before,
        (storage.requests() - before) as f64 / 4997.0
    );
}
