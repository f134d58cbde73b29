//! What the API's benches share: the API on in-memory ports (sealed as in
//! production), a tenant with its admin, made-up notices, admin requests.

#![allow(dead_code)] // each bench uses its part

use api::testing::Call;
use api::{Api, AppState, Config, JobQueue};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::domain::{Notice, NoticeStatus, Offence, Plate, Scale};
use designa::memory::{
    FixedClock, MemoryBlobStore, MemoryIdentity, MemoryKeyVault, MemoryMailer, MemoryQueue,
    MemoryStorage,
};
use designa::ports::{NoticeStore, TenantStore};
use designa::privacy::sealing::Sealing;
use designa::store::StoredNotice;
use serde_json::json;
use std::sync::Arc;

pub const TENANT: &str = "acme";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
}

/// The API over `storage`, sealed as in production, at `now()`.
pub fn api_on(storage: Arc<MemoryStorage>) -> AppState {
    let sealed = Sealing::new(storage, Arc::new(MemoryKeyVault::default()));
    AppState::from(Api {
        storage: Arc::new(sealed),
        blobs: Arc::new(MemoryBlobStore::default()),
        identity: Arc::new(MemoryIdentity::default()),
        mailer: Arc::new(MemoryMailer::default()),
        clock: Arc::new(FixedClock::at(now())),
        signer: Arc::new(designa::memory::MemorySigner::default()),
        config: Config::for_tests(),
        export_queue: JobQueue::new(Arc::new(MemoryQueue::default()), "memory://export-queue"),
    })
}

/// The tenant and its admin, `admin`.
pub async fn tenant_and_admin(storage: &impl TenantStore) {
    let tenant = Tenant {
        tenant_id: TENANT.into(),
        name: "Transports Exemple".into(),
        settings: TenantSettings::default(),
        ended_on: None,
    };
    storage.create_tenant(&tenant).await.unwrap();
    let grants = vec![Grant {
        role: Role::Admin,
        scope: Scope::AllEntities,
        until: None,
    }];
    let admin = User {
        tenant_id: TENANT.into(),
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

/// A notice issued `days_ago`, answered and acknowledged unless recent.
pub fn notice(i: usize, days_ago: u64) -> StoredNotice {
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
        leaves_at: None,
        deadline: notice.deadline().last_day,
        notice,
        tenant_id: TENANT.into(),
        entity_id: "siege".into(),
        vehicle_id: format!("v{}", i % 300),
        status,
        received_at: Utc.from_utc_datetime(&issued.and_hms_opt(12, 0, 0).unwrap()),
        source_file: "inbound/bench.txt".into(),
        version: 0,
        answer: None,
    }
}

/// `total` notices spread evenly over `days` of history.
pub async fn history(storage: &MemoryStorage, total: usize, days: u64) {
    let notices: Vec<StoredNotice> = (0..total)
        .map(|i| notice(i, (i as u64 * days) / total as u64))
        .collect();
    for chunk in notices.chunks(designa::ports::MAX_BATCH_WRITE) {
        storage.put_notices(chunk).await.unwrap();
    }
}

/// A request of the tenant's admin.
pub fn as_admin(method: &str, path: &str) -> Call {
    let claims = json!({ "sub": "admin", "custom:tenant_id": TENANT });
    Call {
        method: method.into(),
        path: path.into(),
        claims: Some(claims.as_object().unwrap().clone()),
        request_id: "bench".into(),
        ..Default::default()
    }
}
