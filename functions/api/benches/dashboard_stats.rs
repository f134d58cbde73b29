//! The dashboard's cost against the length of a tenant's history (a bench
//! binary, not a test): 400 notices a month for 12, 24 and 36 months, then
//! `GET /stats` with the in-memory ports. Prints the notices the query reads
//! (what DynamoDB would read and bill: only the last 12 months, through the
//! deadline index) and the time of the whole request. Run with `make bench`.

use api::testing::Call;
use api::{Api, AppState, Config, JobQueue};
use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc};
use designa::app::stats::first_month;
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::domain::{Notice, NoticeStatus, Offence, Plate, Scale};
use designa::memory::{
    FixedClock, MemoryBlobStore, MemoryIdentity, MemoryMailer, MemoryQueue, MemoryStorage,
};
use designa::ports::{NoticeStore, TenantStore};
use designa::store::StoredNotice;
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;

const PER_MONTH: usize = 400;
const TODAY: (i32, u32, u32) = (2026, 11, 20);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

/// A notice issued `days_ago`, answered and acknowledged unless recent.
fn notice(i: usize, days_ago: u64) -> StoredNotice {
    let issued = today() - Days::new(days_ago);
    let notice = Notice {
        notice_number: format!("B{i:09}"),
        plate: Plate::parse(&designa::domain::plate::sample_siv_plate(i % 300), "FRA").unwrap(),
        make: "RENAULT".into(),
        model: "KANGOO".into(),
        offence_at: chrono_tz::Europe::Paris
            .with_ymd_and_hms(issued.year(), issued.month(), issued.day(), 8, 0, 0)
            .unwrap(),
        offence: Offence {
            natinf_code: 11300,
            label: "Excès de vitesse < 20 km/h".into(),
        },
        scale: Scale {
            class: 4,
            fixed_amount_cents: 13500,
            reduced_amount_cents: Some(9000),
            points: Some(1),
        },
        issued_on: issued,
    };
    let status = match (days_ago, i % 20) {
        (0..=44, _) => NoticeStatus::Open,
        (_, 0) => NoticeStatus::GoneToPaper,
        _ => NoticeStatus::Acknowledged,
    };
    StoredNotice {
        deadline: notice.deadline().last_day,
        notice,
        tenant_id: "acme".into(),
        entity_id: "siege".into(),
        vehicle_id: format!("v{}", i % 300),
        status,
        received_at: Utc.from_utc_datetime(&issued.and_hms_opt(12, 0, 0).unwrap()),
        source_file: "inbound/bench.txt".into(),
        version: 0,
        answer: None,
    }
}

async fn api_with_history(months: u64) -> (AppState, Arc<MemoryStorage>) {
    let storage = Arc::new(MemoryStorage::default());
    storage.set_now(
        Utc.with_ymd_and_hms(TODAY.0, TODAY.1, TODAY.2, 9, 0, 0)
            .unwrap(),
    );
    let total = PER_MONTH * months as usize;
    let notices: Vec<StoredNotice> = (0..total)
        .map(|i| notice(i, (i as u64 * months * 30) / total as u64))
        .collect();
    for chunk in notices.chunks(designa::ports::MAX_BATCH_WRITE) {
        storage.put_notices(chunk).await.unwrap();
    }
    tenant_and_admin(&storage).await;
    // Sealed as in production (the dashboard reads no personal data).
    let sealed = designa::privacy::sealing::Sealing::new(
        storage.clone(),
        Arc::new(designa::memory::MemoryKeyVault::default()),
    );
    let api = AppState::from(Api {
        storage: Arc::new(sealed),
        blobs: Arc::new(MemoryBlobStore::default()),
        identity: Arc::new(MemoryIdentity::default()),
        mailer: Arc::new(MemoryMailer::default()),
        clock: Arc::new(FixedClock::at(
            Utc.with_ymd_and_hms(TODAY.0, TODAY.1, TODAY.2, 9, 0, 0)
                .unwrap(),
        )),
        config: Config::for_tests(),
        export_queue: JobQueue::new(Arc::new(MemoryQueue::default()), "memory://export-queue"),
    });
    (api, storage)
}

async fn tenant_and_admin(storage: &MemoryStorage) {
    let tenant = Tenant {
        tenant_id: "acme".into(),
        name: "Transports Exemple".into(),
        settings: TenantSettings::default(),
    };
    storage.create_tenant(&tenant).await.unwrap();
    let grants = vec![Grant {
        role: Role::Admin,
        scope: Scope::AllEntities,
        until: None,
    }];
    let admin = User {
        tenant_id: "acme".into(),
        user_id: "admin".into(),
        email: "admin@example.com".into(),
        first_name: "Alex".into(),
        last_name: "Fictif".into(),
        active: true,
        grants,
        sealed: None,
    };
    storage.put_user(&admin).await.unwrap();
}

fn stats_request() -> Call {
    let claims = json!({ "sub": "admin", "custom:tenant_id": "acme" });
    Call {
        method: "GET".into(),
        path: "/stats".into(),
        claims: Some(claims.as_object().unwrap().clone()),
        request_id: "bench".into(),
        ..Default::default()
    }
}

#[tokio::main]
async fn main() {
    println!("dashboard (GET /stats), {PER_MONTH} notices a month:");
    for months in [12, 24, 36] {
        let (api, storage) = api_with_history(months).await;
        let read = storage
            .tenant_notices_due_from("acme", first_month(today()))
            .await
            .unwrap()
            .len();
        let runs = 20;
        let start = Instant::now();
        for _ in 0..runs {
            let reply = api.handle(stats_request()).await;
            assert_eq!(reply.status, 200);
        }
        let each = start.elapsed().as_secs_f64() * 1000.0 / runs as f64;
        println!(
            "  {months:>2} months of history ({:>6} notices): {read:>5} notices read, {each:>6.1} ms a request",
            storage.notices().len()
        );
    }
}
