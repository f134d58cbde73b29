//! The API against in-memory ports, one module per resource; this one holds
//! what they share: the API on in-memory ports, two tenants with entities,
//! users, vehicles, drivers and notices (`world`), and the request helpers.

use super::*;
use crate::http::Claims;
use crate::testing::{Call, Reply};
use chrono::{NaiveDate, TimeZone, Utc};
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::domain::{EntityId, Notice, NoticeStatus, Offence, Plate, Scale, TenantId};
use designa::memory::{
    FixedClock, MemoryBlobStore, MemoryIdentity, MemoryMailer, MemoryQueue, MemorySigner,
    MemoryStorage,
};
use designa::ports::{NoticeStore, TenantStore};
use designa::store::{Record, RecordKind, StoredNotice};
use serde_json::{json, Value};
use std::sync::Arc;

/// The table as the API sees it in production: drivers sealed under their
/// data keys (real AES-GCM, with an in-memory vault standing for KMS).
type TestStorage = designa::privacy::sealing::Sealing<
    MemoryStorage,
    std::sync::Arc<designa::memory::MemoryKeyVault>,
>;

mod answers;
mod assignments;
mod certificates;
mod concurrency;
mod entities;
mod exports;
mod fleet;
mod french;
mod idempotency;
mod imports;
mod isolation;
mod journal;
mod notices;
mod preferences;
mod privacy;
mod routing;
mod stats;
mod tenant;
mod users;

/// The API on in-memory ports, with a handle on each port to arrange and
/// inspect what the routes did.
struct TestApi {
    state: AppState,
    storage: Arc<TestStorage>,
    blobs: Arc<MemoryBlobStore>,
    identity: Arc<MemoryIdentity>,
    mailer: Arc<MemoryMailer>,
    clock: Arc<FixedClock>,
    signer: Arc<MemorySigner>,
}

impl TestApi {
    /// Every reply of every test is checked: what a user may read of it is French.
    async fn handle(&self, call: Call) -> Reply {
        let reply = self.state.handle(call).await;
        french::assert_readable_in_french(&reply);
        reply
    }
}

impl std::ops::Deref for TestApi {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.state
    }
}

/// Tests change the API's settings before the first request.
impl std::ops::DerefMut for TestApi {
    fn deref_mut(&mut self) -> &mut Api {
        Arc::get_mut(&mut self.state.0).expect("no request holds the API yet")
    }
}

fn api() -> TestApi {
    api_with_queue().0
}

/// The API, and the export queue it sends to.
fn api_with_queue() -> (TestApi, Arc<MemoryQueue>) {
    let queue = Arc::new(MemoryQueue::default());
    let storage = Arc::new(designa::privacy::sealing::Sealing::new(
        MemoryStorage::default(),
        Arc::new(designa::memory::MemoryKeyVault::default()),
    ));
    let blobs = Arc::new(MemoryBlobStore::default());
    let identity = Arc::new(MemoryIdentity::default());
    let mailer = Arc::new(MemoryMailer::default());
    let clock = Arc::new(FixedClock::at(
        Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap(),
    ));
    let signer = Arc::new(MemorySigner::default());
    let state = AppState::from(Api {
        storage: storage.clone(),
        blobs: blobs.clone(),
        identity: identity.clone(),
        mailer: mailer.clone(),
        clock: clock.clone(),
        signer: signer.clone(),
        config: Config::for_tests(),
        export_queue: JobQueue::new(queue.clone(), "memory://export-queue"),
    });
    let api = TestApi {
        state,
        storage,
        blobs,
        identity,
        mailer,
        clock,
        signer,
    };
    (api, queue)
}

fn claims(tenant: &str, sub: &str) -> Claims {
    json!({ "sub": sub, "custom:tenant_id": tenant, "token_use": "id" })
        .as_object()
        .unwrap()
        .clone()
}

async fn call(api: &TestApi, who: (&str, &str), method: &str, path: &str, body: Value) -> Reply {
    api.handle(Call {
        method: method.into(),
        // The query, if any, goes as it is written.
        path: path.into(),
        content_type: Some("application/json".into()),
        body: if body.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(&body).unwrap()
        },
        claims: Some(claims(who.0, who.1)),
        request_id: "req-test".into(),
        ..Default::default()
    })
    .await
}

fn grant(role: Role, entities: &[&str]) -> Grant {
    Grant {
        role,
        scope: if entities.is_empty() {
            Scope::AllEntities
        } else {
            Scope::Entities(entities.iter().map(|e| EntityId((*e).into())).collect())
        },
        until: None,
    }
}

async fn add_user(api: &TestApi, tenant: &str, sub: &str, grants: Vec<Grant>) {
    api.storage
        .put_user(&User {
            tenant_id: tenant.into(),
            user_id: sub.into(),
            email: format!("{sub}@{tenant}.example"),
            first_name: "Camille".into(),
            last_name: "Exemple".into(),
            active: true,
            grants,
            sealed: None,
        })
        .await
        .unwrap();
    api.identity.identities.lock().unwrap().insert(
        format!("{sub}@{tenant}.example"),
        (sub.into(), tenant.into()),
    );
}

const ADMIN: (&str, &str) = ("acme", "admin");
const NORTH_MANAGER: (&str, &str) = ("acme", "north");
const RIVAL: (&str, &str) = ("rival", "boss");

/// What a seeded tenant holds, by id.
#[derive(Default, Clone)]
struct Ids {
    entity: String,
    /// What the workbook exports show instead of ids.
    plate: String,
    driver_email: String,
    vehicle: String,
    driver: String,
    assignment: String,
    notice: String,
    user: String,
    import: String,
    export: String,
    privacy_request: String,
}

fn legal_entity(name: &str) -> Value {
    json!({ "kind": "legal", "name": name, "siren": "732829320", "siret": "73282932000074",
            "address": { "line1": "1 rue de l'Exemple", "line2": null, "postcode": "75001", "city": "Paris", "country": "FRA" } })
}

fn notice(
    number: &str,
    plate: &str,
    tenant: &str,
    entity: &str,
    vehicle: &str,
    issued: NaiveDate,
    status: NoticeStatus,
) -> StoredNotice {
    let notice = Notice {
        notice_number: number.into(),
        plate: Plate::parse(plate, "FRA").unwrap(),
        make: "RENAULT".into(),
        model: "CLIO".into(),
        offence_at: chrono_tz::Europe::Paris
            .with_ymd_and_hms(2026, 11, 2, 8, 30, 0)
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
    StoredNotice {
        leaves_at: None,
        deadline: notice.deadline().last_day,
        notice,
        tenant_id: tenant.into(),
        entity_id: entity.into(),
        vehicle_id: vehicle.into(),
        status,
        received_at: Utc.with_ymd_and_hms(2026, 11, 5, 6, 0, 0).unwrap(),
        source_file: "inbound/test.csv".into(),
        version: 0,
        answer: None,
    }
}

/// The id a creating request answered with, at `pointer` in its body, once
/// the request is known to have succeeded with `status`.
fn created_id(reply: &Reply, status: u16, pointer: &str) -> String {
    assert_eq!(reply.status, status, "{:?}", reply.body_json());
    reply
        .body_json()
        .pointer(pointer)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

/// Seeds one entity with a vehicle, a driver, an assignment, a notice, a
/// user, an import, an export and a privacy request, through the API itself
/// (as `admin`).
async fn seed(
    api: &TestApi,
    admin: (&str, &str),
    entity_name: &str,
    plate: &str,
    number: &str,
) -> Ids {
    let fleet = seed_fleet(api, admin, entity_name, plate, number).await;
    seed_requests(api, admin, fleet).await
}

/// The fleet part of `seed`: the entity, its vehicle, its driver assigned to
/// the vehicle, and a notice of the vehicle.
async fn seed_fleet(
    api: &TestApi,
    admin: (&str, &str),
    entity_name: &str,
    plate: &str,
    number: &str,
) -> Ids {
    let entity = call(api, admin, "POST", "/entities", legal_entity(entity_name)).await;
    let entity = created_id(&entity, 201, "/entity_id");
    let vehicle = call(api, admin, "POST", "/vehicles", json!({
        "plate": plate, "make": "Renault", "model": "Clio", "entity_id": entity, "entry_on": "2026-01-01" })).await;
    let vehicle = created_id(&vehicle, 201, "/vehicle_id");
    let driver_email = format!("alex.martin.{}@example.com", entity_name.to_lowercase());
    let driver = call(api, admin, "POST", "/drivers", json!({
        "entity_id": entity, "last_name": "Martin", "first_name": "Alex",
        "address": { "line1": "2 place Fictive", "line2": null, "postcode": "69001", "city": "Lyon", "country": "FRA" },
        "professional_email": driver_email })).await;
    let driver = created_id(&driver, 201, "/driver_id");
    let assignment = call(
        api,
        admin,
        "POST",
        "/assignments",
        json!({
        "vehicle_id": vehicle, "driver_id": driver, "from": "2026-10-01T00:00:00Z" }),
    )
    .await;
    let assignment = created_id(&assignment, 201, "/assignment_id");
    api.storage
        .put_notices(&[notice(
            number,
            plate,
            admin.0,
            &entity,
            &vehicle,
            NaiveDate::from_ymd_opt(2026, 11, 4).unwrap(),
            NoticeStatus::Open,
        )])
        .await
        .unwrap();
    Ids {
        entity,
        plate: plate.into(),
        driver_email,
        vehicle,
        driver,
        assignment,
        notice: number.into(),
        ..Ids::default()
    }
}

/// The rest of `seed`, in the seeded `fleet`'s entity: a user, an import,
/// an export and a privacy request about its driver.
async fn seed_requests(api: &TestApi, admin: (&str, &str), fleet: Ids) -> Ids {
    let (entity, driver, number) = (&fleet.entity, &fleet.driver, &fleet.notice);
    let user = call(api, admin, "POST", "/users", json!({
        "email": format!("dispatch-{number}@example.com"), "first_name": "Sam", "last_name": "Fictif",
        "grants": [ { "role": "designation", "scope": { "kind": "entities", "entities": [entity] } } ] })).await;
    let user = created_id(&user, 201, "/user_id");
    let upload = call(
        api,
        admin,
        "POST",
        "/uploads",
        json!({ "kind": "vehicles" }),
    )
    .await;
    let import = created_id(&upload, 201, "/import/import_id");
    let export = call(
        api,
        admin,
        "POST",
        "/exports",
        json!({ "entity_id": entity }),
    )
    .await;
    let export = created_id(&export, 202, "/export_id");
    let privacy = call(
        api,
        admin,
        "POST",
        "/privacy/requests",
        json!({ "right": "portability", "subject": { "type": "driver", "id": driver } }),
    )
    .await;
    let privacy_request = created_id(&privacy, 201, "/request/request_id");
    Ids {
        user,
        import,
        export,
        privacy_request,
        ..fleet
    }
}

async fn world() -> (TestApi, Ids, Ids, Ids) {
    let api = api();
    for (tenant, name) in [("acme", "Transports Exemple"), ("rival", "Rival Fictif")] {
        api.storage
            .create_tenant(&Tenant {
                tenant_id: TenantId(tenant.into()),
                name: name.into(),
                settings: TenantSettings::default(),
                ended_on: None,
            })
            .await
            .unwrap();
    }
    add_user(&api, "acme", "admin", vec![grant(Role::Admin, &[])]).await;
    add_user(&api, "rival", "boss", vec![grant(Role::Admin, &[])]).await;
    let north = seed(&api, ADMIN, "Nord", "AB-123-CD", "N0001").await;
    let south = seed(&api, ADMIN, "Sud", "EF-456-GH", "N0002").await;
    let rival = seed(&api, RIVAL, "Rival", "JK-789-LM", "N0003").await;
    // A fleet manager and designator of the North entity only, who is also its admin.
    add_user(
        &api,
        "acme",
        "north",
        vec![
            grant(Role::FleetManagement, &[&north.entity]),
            grant(Role::Designation, &[&north.entity]),
            grant(Role::Admin, &[&north.entity]),
        ],
    )
    .await;
    // The North manager's own import, so `/imports/{id}` of its own works.
    (api, north, south, rival)
}

async fn import(api: &TestApi, who: (&str, &str), query: &str, body: Vec<u8>) -> Reply {
    api.handle(Call {
        method: "POST".into(),
        path: format!("/imports?{query}"),
        content_type: Some(http::XLSX.into()),
        body,
        claims: Some(claims(who.0, who.1)),
        request_id: "req-import".into(),
        ..Default::default()
    })
    .await
}

fn planning(rows: &[[&str; 7]]) -> Vec<u8> {
    designa::excel::text_workbook(&designa::excel::assignments::COLUMNS, rows).unwrap()
}

fn typed_driver() -> Value {
    json!({ "designation": { "driver": {
        "last_name": "Fictif", "first_name": "Dominique",
        "address": { "line1": "4 allée de l'Essai", "line2": null, "postcode": "59000", "city": "Lille", "country": "FRA" },
        "personal_email": null, "professional_email": "dominique.fictif@example.com" } } })
}
