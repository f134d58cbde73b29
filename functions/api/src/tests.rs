//! The API against in-memory ports: isolation over every route, the
//! invitation link, imports, notices.

use super::*;
use crate::http::Claims;
use crate::testing::{Call, Reply};
use chrono::{NaiveDate, TimeZone, Utc};
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::domain::{EntityId, Notice, NoticeStatus, Offence, Plate, Scale, TenantId};
use designa::memory::{
    FixedClock, MemoryBlobStore, MemoryIdentity, MemoryMailer, MemoryQueue, MemoryStorage,
};
use designa::ports::Storage;
use designa::store::{Record, RecordKind, StoredNotice};
use serde_json::{json, Value};
use std::sync::Arc;

/// The table as the API sees it in production: drivers sealed under their
/// data keys (real AES-GCM, with an in-memory vault standing for KMS).
type TestStorage = designa::privacy::sealing::Sealing<
    MemoryStorage,
    std::sync::Arc<designa::memory::MemoryKeyVault>,
>;

mod exports;
mod privacy;

/// The API on in-memory ports, with a handle on each port to arrange and
/// inspect what the routes did.
struct TestApi {
    state: AppState,
    storage: Arc<TestStorage>,
    blobs: Arc<MemoryBlobStore>,
    identity: Arc<MemoryIdentity>,
    mailer: Arc<MemoryMailer>,
    clock: Arc<FixedClock>,
}

impl TestApi {
    async fn handle(&self, call: Call) -> Reply {
        self.state.handle(call).await
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
    let state = AppState::from(Api {
        storage: storage.clone(),
        blobs: blobs.clone(),
        identity: identity.clone(),
        mailer: mailer.clone(),
        clock: clock.clone(),
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

/// Seeds one entity with a vehicle, a driver, an assignment, a notice, a
/// user and an import, through the API itself (as `admin`).
async fn seed(
    api: &TestApi,
    admin: (&str, &str),
    entity_name: &str,
    plate: &str,
    number: &str,
) -> Ids {
    let entity = call(api, admin, "POST", "/entities", legal_entity(entity_name)).await;
    assert_eq!(entity.status, 201, "{:?}", entity.body_json());
    let entity = entity.body_json()["entity_id"]
        .as_str()
        .unwrap()
        .to_string();
    let vehicle = call(api, admin, "POST", "/vehicles", json!({
        "plate": plate, "make": "Renault", "model": "Clio", "entity_id": entity, "entry_on": "2026-01-01" })).await;
    assert_eq!(vehicle.status, 201, "{:?}", vehicle.body_json());
    let vehicle = vehicle.body_json()["vehicle_id"]
        .as_str()
        .unwrap()
        .to_string();
    let driver = call(api, admin, "POST", "/drivers", json!({
        "entity_id": entity, "last_name": "Martin", "first_name": "Alex",
        "address": { "line1": "2 place Fictive", "line2": null, "postcode": "69001", "city": "Lyon", "country": "FRA" },
        "professional_email": "alex.martin@example.com" })).await;
    assert_eq!(driver.status, 201, "{:?}", driver.body_json());
    let driver = driver.body_json()["driver_id"]
        .as_str()
        .unwrap()
        .to_string();
    let assignment = call(
        api,
        admin,
        "POST",
        "/assignments",
        json!({
        "vehicle_id": vehicle, "driver_id": driver, "from": "2026-10-01T00:00:00Z" }),
    )
    .await;
    assert_eq!(assignment.status, 201, "{:?}", assignment.body_json());
    let assignment = assignment.body_json()["assignment_id"]
        .as_str()
        .unwrap()
        .to_string();
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
    let user = call(api, admin, "POST", "/users", json!({
        "email": format!("dispatch-{number}@example.com"), "first_name": "Sam", "last_name": "Fictif",
        "grants": [ { "role": "designation", "scope": { "kind": "entities", "entities": [entity] } } ] })).await;
    assert_eq!(user.status, 201, "{:?}", user.body_json());
    let user = user.body_json()["user_id"].as_str().unwrap().to_string();
    let upload = call(
        api,
        admin,
        "POST",
        "/uploads",
        json!({ "kind": "vehicles" }),
    )
    .await;
    assert_eq!(upload.status, 201, "{:?}", upload.body_json());
    let import = upload.body_json()["import"]["import_id"]
        .as_str()
        .unwrap()
        .to_string();
    let export = call(
        api,
        admin,
        "POST",
        "/exports",
        json!({ "entity_id": entity }),
    )
    .await;
    assert_eq!(export.status, 202, "{:?}", export.body_json());
    let export = export.body_json()["export_id"]
        .as_str()
        .unwrap()
        .to_string();
    let privacy = call(
        api,
        admin,
        "POST",
        "/privacy/requests",
        json!({ "right": "portability", "subject": { "type": "driver", "id": driver } }),
    )
    .await;
    assert_eq!(privacy.status, 201, "{:?}", privacy.body_json());
    let privacy_request = privacy.body_json()["request"]["request_id"]
        .as_str()
        .unwrap()
        .to_string();
    Ids {
        entity,
        vehicle,
        driver,
        assignment,
        notice: number.into(),
        user,
        import,
        export,
        privacy_request,
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

/// A path and body that name `ids`' resources, for each route.
fn route_call(method: &str, template: &str, ids: &Ids) -> (String, Value) {
    let path = template
        .replace("{entityId}", &ids.entity)
        .replace("{vehicleId}", &ids.vehicle)
        .replace("{driverId}", &ids.driver)
        .replace("{assignmentId}", &ids.assignment)
        .replace("{noticeNumber}", &ids.notice)
        .replace("{userId}", &ids.user)
        .replace("{importId}", &ids.import)
        .replace("{exportId}", &ids.export)
        .replace("{requestId}", &ids.privacy_request);
    let address = json!({ "line1": "3 rue Fictive", "line2": null, "postcode": "13001", "city": "Marseille", "country": "FRA" });
    let body = match (method, template) {
        ("POST" | "PUT", "/entities/{entityId}") => legal_entity("Renamed"),
        ("POST", "/vehicles") | ("PUT", "/vehicles/{vehicleId}") => json!({
            "plate": "ZZ-999-ZZ", "make": "Peugeot", "model": "208", "entity_id": ids.entity, "entry_on": "2026-02-01" }),
        ("POST", "/drivers") | ("PUT", "/drivers/{driverId}") => json!({
            "entity_id": ids.entity, "last_name": "Durand", "first_name": "Lou", "address": address }),
        ("POST", "/assignments") | ("PUT", "/assignments/{assignmentId}") => json!({
            "vehicle_id": ids.vehicle, "driver_id": ids.driver, "from": "2027-01-01T00:00:00Z" }),
        ("POST", "/users") => {
            json!({ "email": "new@example.com", "first_name": "Noa", "last_name": "Test",
            "grants": [ { "role": "fleet_management", "scope": { "kind": "entities", "entities": [ids.entity] } } ] })
        }
        ("PUT", "/notices/{noticeNumber}/answer") => {
            json!({ "designation": { "driver_id": ids.driver } })
        }
        ("POST", "/exports") => json!({ "entity_id": ids.entity, "format": "csv" }),
        ("POST", "/privacy/requests") => {
            json!({ "right": "access", "subject": { "type": "driver", "id": ids.driver } })
        }
        ("PUT", "/users/{userId}") => json!({ "first_name": "Noa", "last_name": "Test",
            "grants": [ { "role": "designation", "scope": { "kind": "entities", "entities": [ids.entity] } } ] }),
        _ => Value::Null,
    };
    (path, body)
}

/// Every route, called with another tenant's ids and with an out-of-scope
/// entity's ids, answers 404 or 403, and lists never show foreign data.
#[tokio::test]
async fn isolation_table_covers_every_route() {
    let (api, north, south, rival) = world().await;
    let foreign_ids = |ids: &Ids| {
        vec![
            ids.entity.clone(),
            ids.vehicle.clone(),
            ids.driver.clone(),
            ids.assignment.clone(),
            ids.notice.clone(),
            ids.user.clone(),
            ids.import.clone(),
            ids.export.clone(),
            ids.privacy_request.clone(),
        ]
    };
    let mut checked = 0;
    let public = crate::router::public_routes();
    let routes = crate::router::all_routes();
    for route in &routes {
        let (method, template) = (route.method, route.path.as_str());
        if public.contains(route) {
            continue;
        }
        for (who, others, label) in [
            (ADMIN, &rival, "another tenant"),
            (NORTH_MANAGER, &south, "an out-of-scope entity"),
        ] {
            let (path, body) = route_call(method, template, others);
            let response = call(&api, who, method, &path, body).await;
            let text = String::from_utf8_lossy(&response.body).to_string();
            if template.contains('{') || !body_is_null(method, template, others) {
                assert!(
                    [403, 404].contains(&response.status),
                    "{method} {path} with {label}'s ids answered {} {text}",
                    response.status
                );
            } else {
                assert!(
                    response.status < 500,
                    "{method} {path}: {} {text}",
                    response.status
                );
                for id in foreign_ids(others) {
                    assert!(
                        !text.contains(&id),
                        "{method} {path} as {who:?} shows {label}'s {id}"
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * (routes.len() - public.len()));
    // The callers' own data still answers, so the 404s above are isolation, not breakage.
    let (path, _) = route_call("GET", "/vehicles/{vehicleId}", &north);
    assert_eq!(
        call(&api, NORTH_MANAGER, "GET", &path, Value::Null)
            .await
            .status,
        200
    );
    let (path, _) = route_call("GET", "/notices/{noticeNumber}", &north);
    assert_eq!(
        call(&api, NORTH_MANAGER, "GET", &path, Value::Null)
            .await
            .status,
        200
    );
}

/// Body-carrying routes without ids in the path name foreign ids in their body.
fn body_is_null(method: &str, template: &str, ids: &Ids) -> bool {
    route_call(method, template, ids).1.is_null()
}

#[tokio::test]
async fn a_token_without_user_or_tenant_is_refused() {
    let (api, ..) = world().await;
    assert_eq!(
        call(&api, ("acme", "stranger"), "GET", "/me", Value::Null)
            .await
            .status,
        403
    );
    let mut request = Call {
        method: "GET".into(),
        path: "/me".into(),
        ..Default::default()
    };
    assert_eq!(api.handle(request.clone()).await.status, 401);
    request.claims = Some(json!({ "sub": "admin" }).as_object().unwrap().clone());
    assert_eq!(api.handle(request).await.status, 403);
    assert_eq!(
        call(&api, ADMIN, "GET", "/me", Value::Null).await.status,
        200
    );
}

#[tokio::test]
async fn invitation_link_sets_the_password_once() {
    let (api, north, ..) = world().await;
    let response = call(&api, NORTH_MANAGER, "POST", "/users", json!({
        "email": "Lea.Fictive@Example.com", "first_name": "Léa", "last_name": "Fictive",
        "grants": [ { "role": "designation", "scope": { "kind": "entities", "entities": [north.entity] } } ] })).await;
    assert_eq!(response.status, 201, "{:?}", response.body_json());
    let email = api.mailer.sent.lock().unwrap().last().cloned().unwrap();
    assert_eq!(email.to, "lea.fictive@example.com");
    assert_eq!(email.subject, "Votre accès à designa");
    assert!(email.text.contains("Bonjour Léa"));
    let link = email
        .text
        .lines()
        .find(|l| l.starts_with("https://"))
        .unwrap()
        .to_string();
    let token = link
        .strip_prefix("https://app.designa.example/invitation?token=")
        .unwrap();
    let accept = |password: &str| {
        let request = Call {
            method: "POST".into(),
            path: format!("/invitations/{token}"),
            body: serde_json::to_vec(&json!({ "password": password })).unwrap(),
            ..Default::default()
        };
        api.handle(request)
    };
    let weak = accept("short").await;
    assert_eq!(weak.status, 422);
    assert_eq!(weak.body_json()["error"]["fields"][0]["field"], "password");
    assert_eq!(accept("Un-Mot-De-Passe-7").await.status, 204);
    assert_eq!(
        api.identity.passwords.lock().unwrap()["lea.fictive@example.com"],
        "Un-Mot-De-Passe-7"
    );
    assert_eq!(
        accept("Un-Autre-Passe-8").await.status,
        404,
        "a link works once"
    );
    // An entity admin may not grant beyond its entities.
    let response = call(
        &api,
        NORTH_MANAGER,
        "POST",
        "/users",
        json!({
        "email": "x@example.com", "first_name": "X", "last_name": "Y",
        "grants": [ { "role": "admin", "scope": { "kind": "all_entities" } } ] }),
    )
    .await;
    assert_eq!(response.status, 403);
}

#[tokio::test]
async fn users_are_deactivated_reactivated_and_deleted() {
    let (api, north, ..) = world().await;
    let path = format!("/users/{}/deactivate", north.user);
    assert_eq!(
        call(&api, ADMIN, "POST", &path, Value::Null).await.status,
        200
    );
    let email = format!("dispatch-{}@example.com", north.notice).to_lowercase();
    assert!(api.identity.disabled.lock().unwrap().contains(&email));
    assert_eq!(
        call(&api, ("acme", &north.user), "GET", "/me", Value::Null)
            .await
            .status,
        403
    );
    assert_eq!(
        call(
            &api,
            ADMIN,
            "POST",
            &format!("/users/{}/reactivate", north.user),
            Value::Null
        )
        .await
        .status,
        200
    );
    assert_eq!(
        call(&api, ("acme", &north.user), "GET", "/me", Value::Null)
            .await
            .status,
        200
    );
    assert_eq!(
        call(&api, ADMIN, "POST", "/users/admin/deactivate", Value::Null)
            .await
            .status,
        403
    );
    assert_eq!(
        call(
            &api,
            ADMIN,
            "DELETE",
            &format!("/users/{}", north.user),
            Value::Null
        )
        .await
        .status,
        204
    );
    assert_eq!(
        call(
            &api,
            ADMIN,
            "GET",
            &format!("/users/{}", north.user),
            Value::Null
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn entities_check_siren_and_siret() {
    let (api, ..) = world().await;
    let mut bad = legal_entity("Mauvais");
    bad["siret"] = json!("73282932000075");
    let response = call(&api, ADMIN, "POST", "/entities", bad).await;
    assert_eq!(response.status, 422);
    assert_eq!(response.body_json()["error"]["fields"][0]["field"], "siret");
    let response = call(&api, ADMIN, "POST", "/entities", legal_entity("nord")).await;
    assert_eq!(response.status, 409, "names are unique, whatever the case");
    let response = call(
        &api,
        ADMIN,
        "POST",
        "/entities",
        json!({ "kind": "internal", "name": "Atelier" }),
    )
    .await;
    assert_eq!(response.status, 201);
    assert_eq!(
        call(
            &api,
            NORTH_MANAGER,
            "POST",
            "/entities",
            json!({ "kind": "internal", "name": "X" })
        )
        .await
        .status,
        403
    );
}

fn workbook(rows: &[[&str; 7]]) -> Vec<u8> {
    designa::excel::text_workbook(&designa::excel::fleet::COLUMNS, rows).unwrap()
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

/// Plates `AA-001-AA`… distinct and valid.
fn plate(i: usize) -> String {
    designa::domain::plate::sample_siv_plate(i)
}

#[tokio::test]
async fn a_5000_row_workbook_with_three_bad_rows_reports_exactly_those() {
    let (api, ..) = world().await;
    let plates: Vec<String> = (0..5000).map(plate).collect();
    let mut rows: Vec<[&str; 7]> = plates
        .iter()
        .map(|p| {
            [
                p.as_str(),
                "FRA",
                "Renault",
                "Kangoo",
                "Nord",
                "01/02/2026",
                "",
            ]
        })
        .collect();
    rows[99][0] = "NOT A PLATE";
    rows[2499][2] = "";
    rows[4998][4] = "Atlantide";
    let body = workbook(&rows);
    let response = import(&api, ADMIN, "kind=vehicles", body.clone()).await;
    assert_eq!(response.status, 422);
    let record = response.body_json();
    assert_eq!(record["status"], "rejected");
    let reported: Vec<(u64, String)> = record["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        reported,
        vec![
            (101, "Immatriculation".into()),
            (2501, "Marque".into()),
            (5000, "Entité".into())
        ]
    );
    assert!(record["errors"][2]["reason"]
        .as_str()
        .unwrap()
        .contains("Atlantide"));
    assert_eq!(
        api.storage.vehicles(&"acme".into()).await.unwrap().len(),
        2,
        "nothing applied"
    );
    let response = import(&api, ADMIN, "kind=vehicles&partial=true", body).await;
    assert_eq!(response.status, 200, "{:?}", response.body_json());
    assert_eq!(response.body_json()["rows_done"], 4997);
    assert_eq!(
        api.storage.vehicles(&"acme".into()).await.unwrap().len(),
        2 + 4997
    );
    // Another entity's manager cannot import into Nord's... and North's manager cannot into Sud.
    let response = import(
        &api,
        NORTH_MANAGER,
        "kind=vehicles",
        workbook(&[[
            "XY-001-ZZ",
            "FRA",
            "Renault",
            "Clio",
            "Sud",
            "01/02/2026",
            "",
        ]]),
    )
    .await;
    assert_eq!(response.status, 422);
    assert!(response.body_json()["errors"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("Sud"));
}

#[tokio::test]
async fn fleet_refresh_shows_the_diff_then_applies_it_once() {
    let (api, north, ..) = world().await;
    // Nord's vehicle AB-123-CD is gone from the upload, one vehicle is new.
    let body = workbook(&[[
        "GH-222-JK",
        "FRA",
        "Peugeot",
        "Partner",
        "Nord",
        "01/11/2026",
        "",
    ]]);
    let response = import(&api, NORTH_MANAGER, "kind=fleet_refresh", body).await;
    assert_eq!(response.status, 200, "{:?}", response.body_json());
    let record = response.body_json();
    assert_eq!(record["status"], "awaiting_apply");
    assert_eq!(
        record["diff"],
        json!({ "added": 1, "changed": 0, "leaving": 1 })
    );
    assert_eq!(
        record["changes"]["leaving"][0]["vehicle_id"],
        north.vehicle.as_str()
    );
    let id = record["import_id"].as_str().unwrap();
    let apply = call(
        &api,
        NORTH_MANAGER,
        "POST",
        &format!("/imports/{id}/apply"),
        json!({ "exit_on": "2026-11-30" }),
    )
    .await;
    assert_eq!(apply.status, 200, "{:?}", apply.body_json());
    assert_eq!(apply.body_json()["status"], "applied");
    let again = call(
        &api,
        NORTH_MANAGER,
        "POST",
        &format!("/imports/{id}/apply"),
        Value::Null,
    )
    .await;
    assert_eq!(again.status, 200);
    let vehicles = api.storage.vehicles(&"acme".into()).await.unwrap();
    assert_eq!(vehicles.len(), 3, "applied once");
    let left = vehicles
        .iter()
        .find(|v| v.vehicle_id == north.vehicle)
        .unwrap();
    assert_eq!(left.exit_on, NaiveDate::from_ymd_opt(2026, 11, 30));
}

#[tokio::test]
async fn notices_are_filtered_paged_by_deadline_and_hide_the_scale_once_answered() {
    let (api, north, ..) = world().await;
    let mut batch = Vec::new();
    for i in 0..7u32 {
        let status = if i == 3 {
            NoticeStatus::AnswerPending
        } else {
            NoticeStatus::Open
        };
        batch.push(notice(
            &format!("P{i:04}"),
            "AB-123-CD",
            "acme",
            &north.entity,
            &north.vehicle,
            NaiveDate::from_ymd_opt(2026, 10, 10 + i).unwrap(),
            status,
        ));
    }
    api.storage.put_notices(&batch).await.unwrap();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/notices?entity_id={}&limit=3&cursor={c}", north.entity),
            None => format!("/notices?entity_id={}&limit=3", north.entity),
        };
        let page = call(&api, NORTH_MANAGER, "GET", &path, Value::Null)
            .await
            .body_json();
        for n in page["notices"].as_array().unwrap() {
            seen.push((
                n["notice_number"].as_str().unwrap().to_string(),
                n["deadline"].as_str().unwrap().to_string(),
                n["scale"].is_null(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 8);
    let deadlines: Vec<&String> = seen.iter().map(|s| &s.1).collect();
    assert!(
        deadlines.windows(2).all(|w| w[0] <= w[1]),
        "sorted by deadline"
    );
    assert!(
        seen.iter().all(|(n, _, hidden)| *hidden == (n == "P0003")),
        "{seen:?}"
    );
    let due = call(
        &api,
        NORTH_MANAGER,
        "GET",
        "/notices?due_within_days=0&status=OPEN",
        Value::Null,
    )
    .await
    .body_json();
    // 2026-11-20: deadlines 45 days after 10..16 October are 24..30 November.
    assert_eq!(due["notices"].as_array().unwrap().len(), 0);
    let due = call(
        &api,
        NORTH_MANAGER,
        "GET",
        "/notices?due_within_days=5",
        Value::Null,
    )
    .await
    .body_json();
    assert_eq!(due["notices"].as_array().unwrap().len(), 2);
    let detail = call(&api, NORTH_MANAGER, "GET", "/notices/P0000", Value::Null)
        .await
        .body_json();
    assert_eq!(
        detail["suggested_drivers"][0]["driver_id"],
        north.driver.as_str()
    );
    assert_eq!(
        call(
            &api,
            NORTH_MANAGER,
            "GET",
            "/notices?status=LOST",
            Value::Null
        )
        .await
        .status,
        422
    );
}

#[tokio::test]
async fn pool_vehicles_take_several_drivers_and_others_refuse_overlaps() {
    let (api, north, ..) = world().await;
    let second = call(&api, ADMIN, "POST", "/drivers", json!({ "entity_id": north.entity, "last_name": "Petit", "first_name": "Jo",
        "address": { "line1": "4 rue Fictive", "line2": null, "postcode": "31000", "city": "Toulouse", "country": "FRA" } })).await;
    let second = second.body_json()["driver_id"]
        .as_str()
        .unwrap()
        .to_string();
    let overlap =
        json!({ "vehicle_id": north.vehicle, "driver_id": second, "from": "2026-11-01T00:00:00Z" });
    assert_eq!(
        call(&api, ADMIN, "POST", "/assignments", overlap.clone())
            .await
            .status,
        409
    );
    let vehicle = call(
        &api,
        ADMIN,
        "GET",
        &format!("/vehicles/{}", north.vehicle),
        Value::Null,
    )
    .await
    .body_json();
    let mut input = json!({ "plate": vehicle["plate"]["normalized"], "make": "Renault", "model": "Clio",
        "entity_id": north.entity, "entry_on": "2026-01-01", "pool": true });
    let updated = call(
        &api,
        ADMIN,
        "PUT",
        &format!("/vehicles/{}", north.vehicle),
        input.clone(),
    )
    .await;
    assert_eq!(updated.status, 200, "{:?}", updated.body_json());
    assert_eq!(
        call(&api, ADMIN, "POST", "/assignments", overlap)
            .await
            .status,
        201
    );
    let who = call(
        &api,
        ADMIN,
        "GET",
        &format!("/vehicles/{}/drivers?at=2026-11-02T08:30", north.vehicle),
        Value::Null,
    )
    .await
    .body_json();
    assert_eq!(who["drivers"].as_array().unwrap().len(), 2);
    input["plate"] = json!("XX-111-XX");
    assert_eq!(
        call(
            &api,
            ADMIN,
            "PUT",
            &format!("/vehicles/{}", north.vehicle),
            input
        )
        .await
        .status,
        422
    );
}

#[tokio::test]
async fn reads_of_driver_data_and_every_write_are_journaled_for_a_year() {
    let (api, north, ..) = world().await;
    call(
        &api,
        NORTH_MANAGER,
        "GET",
        &format!("/drivers/{}", north.driver),
        Value::Null,
    )
    .await;
    let entries = api
        .storage
        .records(&"acme".into(), RecordKind::Journal)
        .await
        .unwrap();
    let last = entries
        .iter()
        .find(|e| {
            e.data["action"] == "read" && e.data["target"] == format!("driver:{}", north.driver)
        })
        .expect("the read is journaled");
    assert_eq!(last.data["user_id"], "north");
    assert_eq!(last.data["request_id"], "req-test");
    let year = chrono::Duration::days(365).num_seconds();
    assert_eq!(last.expires_at, Some(api.clock.now().timestamp() + year));
    // Writes: entity, vehicle, driver, assignment, user, per seeded tenant.
    assert!(
        entries
            .iter()
            .filter(|e| e.data["action"] == "create")
            .count()
            >= 8
    );
    let journal = call(&api, ADMIN, "GET", "/journal?limit=2", Value::Null)
        .await
        .body_json();
    assert_eq!(journal["entries"].as_array().unwrap().len(), 2);
    assert_eq!(
        call(&api, NORTH_MANAGER, "GET", "/journal", Value::Null)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn concurrent_edits_conflict_instead_of_overwriting() {
    let (api, north, ..) = world().await;
    let stale = api
        .storage
        .record(&"acme".into(), RecordKind::Driver, &north.driver)
        .await
        .unwrap()
        .unwrap();
    let body = json!({ "entity_id": north.entity, "last_name": "Martin", "first_name": "Alexis",
        "address": { "line1": "2 place Fictive", "line2": null, "postcode": "69001", "city": "Lyon", "country": "FRA" } });
    assert_eq!(
        call(
            &api,
            ADMIN,
            "PUT",
            &format!("/drivers/{}", north.driver),
            body
        )
        .await
        .status,
        200
    );
    let result = designa::app::records::save(
        &api.storage,
        &"acme".into(),
        RecordKind::Driver,
        &north.driver,
        &stale.data,
        Some(stale.version),
        None,
    )
    .await;
    assert!(matches!(
        result,
        Err(designa::app::AppError::Conflict { .. })
    ));
}

fn planning(rows: &[[&str; 7]]) -> Vec<u8> {
    designa::excel::text_workbook(&designa::excel::assignments::COLUMNS, rows).unwrap()
}

#[tokio::test]
async fn drivers_import_from_their_workbook_without_duplicates() {
    use designa::domain::address::PostalAddress;
    use designa::excel::drivers::{write_drivers, DriverRow};
    let (api, ..) = world().await;
    let row = |n: usize, last: &str, city: &str, postcode: &str| DriverRow {
        row: n,
        entity: "Nord".into(),
        last_name: last.into(),
        first_name: "Lou".into(),
        address: PostalAddress {
            line1: "5 rue Fictive".into(),
            line2: None,
            postcode: postcode.into(),
            city: city.into(),
            country: "FRA".into(),
        },
        personal_email: None,
        professional_email: Some(format!("{}@example.com", last.to_lowercase())),
    };
    let body = write_drivers(&[
        row(2, "Bernard", "Lille", "59000"),
        row(3, "Robert", "Nantes", "4400"),
    ])
    .unwrap();
    let response = import(&api, ADMIN, "kind=drivers", body.clone()).await;
    assert_eq!(response.status, 422);
    let errors = response.body_json()["errors"].clone();
    assert_eq!(errors.as_array().unwrap().len(), 1, "{errors}");
    assert_eq!(errors[0]["row"], 3);
    assert_eq!(errors[0]["column"], "Code postal");
    let fixed = write_drivers(&[
        row(2, "Bernard", "Lille", "59000"),
        row(3, "Robert", "Nantes", "44000"),
    ])
    .unwrap();
    for _ in 0..2 {
        let response = import(&api, ADMIN, "kind=drivers", fixed.clone()).await;
        assert_eq!(response.status, 200, "{:?}", response.body_json());
    }
    let drivers = call(&api, ADMIN, "GET", "/drivers", Value::Null)
        .await
        .body_json();
    let names: Vec<&str> = drivers["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["last_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.iter().filter(|n| **n == "Bernard").count(),
        1,
        "imported twice, stored once: {names:?}"
    );
    let template = call(&api, ADMIN, "GET", "/drivers/template", Value::Null).await;
    assert_eq!(
        (template.status, template.content_type.as_str()),
        (200, http::XLSX)
    );
}

#[tokio::test]
async fn a_planning_workbook_assigns_drivers_and_reports_ambiguities() {
    let (api, north, south, _) = world().await;
    // Two drivers named Sam Durand, told apart by their e-mails.
    let mut ids = Vec::new();
    for (entity, email) in [
        (&north.entity, "sam.durand@nord.example"),
        (&south.entity, "sam.durand@sud.example"),
    ] {
        let driver = call(&api, ADMIN, "POST", "/drivers", json!({ "entity_id": entity, "last_name": "Durand", "first_name": "Sam",
            "address": { "line1": "9 rue Fictive", "postcode": "33000", "city": "Bordeaux", "country": "FRA" },
            "professional_email": email })).await;
        assert_eq!(driver.status, 201);
        ids.push(
            driver.body_json()["driver_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let rows = [
        [
            "AB-123-CD",
            "FRA",
            "Durand",
            "Sam",
            "sam.durand@nord.example",
            "01/09/2026",
            "15/09/2026",
        ],
        [
            "AB-123-CD",
            "FRA",
            "Durand",
            "Sam",
            "",
            "16/09/2026",
            "20/09/2026",
        ],
        [
            "EF-456-GH",
            "FRA",
            "DURAND",
            "sam",
            "Sam.Durand@sud.example",
            "01/08/2026",
            "10/08/2026",
        ],
        [
            "ZZ-999-ZZ",
            "FRA",
            "Durand",
            "Sam",
            "sam.durand@nord.example",
            "01/08/2026",
            "",
        ],
        [
            "AB-123-CD",
            "FRA",
            "Durand",
            "Sam",
            "sam.durand@nord.example",
            "05/10/2026",
            "",
        ],
    ];
    let response = import(&api, ADMIN, "kind=assignments", planning(&rows)).await;
    assert_eq!(response.status, 422, "{:?}", response.body_json());
    let errors: Vec<(u64, String)> = response.body_json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].0 == 3 && errors[0].1.contains("several drivers"),
        "{errors:?}"
    );
    assert!(
        errors[1].0 == 5 && errors[1].1.contains("not one of your vehicles"),
        "{errors:?}"
    );
    assert!(
        errors[2].0 == 6 && errors[2].1.contains("already assigned to another driver"),
        "{errors:?}"
    );
    let response = import(
        &api,
        ADMIN,
        "kind=assignments&partial=true",
        planning(&rows),
    )
    .await;
    assert_eq!(response.body_json()["rows_done"], 2);
    // Who had AB-123-CD on 15 September at 23:00, Paris time: Sam Durand of
    // the North (the last day is included), and nobody just after midnight.
    let who_at = |at: &'static str| {
        let path = format!("/vehicles/{}/drivers?at={at}", north.vehicle);
        let api = &api;
        async move { call(api, ADMIN, "GET", &path, Value::Null).await }
    };
    let who = who_at("2026-09-15T23:00").await.body_json();
    assert_eq!(who["drivers"][0]["driver_id"], ids[0].as_str());
    let who = who_at("2026-09-16T00:30").await.body_json();
    assert!(who["drivers"].as_array().unwrap().is_empty(), "{who}");
    // The same planning again adds nothing.
    let again = import(
        &api,
        ADMIN,
        "kind=assignments&partial=true",
        planning(&rows),
    )
    .await;
    assert_eq!(again.body_json()["rows_done"], 0);
    let template = call(&api, ADMIN, "GET", "/assignments/template", Value::Null).await;
    assert_eq!(template.status, 200);
}

fn typed_driver() -> Value {
    json!({ "designation": { "driver": {
        "last_name": "Fictif", "first_name": "Dominique",
        "address": { "line1": "4 allée de l'Essai", "line2": null, "postcode": "59000", "city": "Lille", "country": "FRA" },
        "personal_email": null, "professional_email": "dominique.fictif@example.com" } } })
}

#[tokio::test]
async fn a_designation_hides_the_scale_stays_editable_in_its_window_then_cannot_change() {
    let (api, north, ..) = world().await;
    let path = format!("/notices/{}/answer", north.notice);
    let given = call(
        &api,
        NORTH_MANAGER,
        "PUT",
        &path,
        json!({ "designation": { "driver_id": north.driver } }),
    )
    .await;
    assert_eq!(given.status, 200, "{:?}", given.body_json());
    let body = given.body_json();
    assert_eq!(body["notice"]["status"], "ANSWER_PENDING");
    assert!(
        body["notice"]["scale"].is_null(),
        "the scale is hidden once designated"
    );
    assert_eq!(body["answer"]["body"]["last_name"], "Martin");
    assert_eq!(body["answer"]["editable"], true);
    assert_eq!(body["answer"]["window_ends_at"], "2026-11-20T13:00:00Z");
    assert_eq!(
        body["answer"]["transmission_id"],
        format!("{}-1", north.notice)
    );
    let version = body["version"].as_u64().unwrap();

    // A second first answer is refused: the notice is answered.
    let again = call(&api, ADMIN, "PUT", &path, typed_driver()).await;
    assert_eq!(again.status, 409);
    assert_eq!(
        again.body_json()["error"]["current"]["notice"]["status"],
        "ANSWER_PENDING"
    );

    // An edit names the version it read; a stale one is refused.
    let mut edit = typed_driver();
    edit["version"] = json!(version);
    let edited = call(&api, NORTH_MANAGER, "PUT", &path, edit.clone()).await;
    assert_eq!(edited.status, 200, "{:?}", edited.body_json());
    assert_eq!(edited.body_json()["answer"]["body"]["last_name"], "Fictif");
    assert_eq!(
        call(&api, NORTH_MANAGER, "PUT", &path, edit).await.status,
        409
    );

    // The detail shows the answer's state without personal data.
    let detail = call(
        &api,
        NORTH_MANAGER,
        "GET",
        &format!("/notices/{}", north.notice),
        Value::Null,
    )
    .await;
    assert_eq!(detail.body_json()["answer"]["kind"], "designation");
    assert!(!String::from_utf8_lossy(&detail.body).contains("Fictif"));

    // Withdrawn in the window: open again, the history keeps every step.
    let cancelled = call(&api, NORTH_MANAGER, "DELETE", &path, Value::Null).await;
    assert_eq!(cancelled.status, 200, "{:?}", cancelled.body_json());
    assert_eq!(cancelled.body_json()["notice"]["status"], "OPEN");
    let events: Vec<String> = cancelled.body_json()["answer"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(events, ["submitted", "edited", "cancelled"]);

    // Answered again, then the window passes: no more edits or withdrawal.
    let other = json!({ "other": { "reason": "vehicle_stolen", "on": "2026-11-01", "complaint_reference": "PV-2026-000123" } });
    assert_eq!(
        call(&api, NORTH_MANAGER, "PUT", &path, other).await.status,
        200
    );
    api.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 20, 13, 0, 1).unwrap());
    let late = call(&api, NORTH_MANAGER, "DELETE", &path, Value::Null).await;
    assert_eq!(late.status, 409);
    assert_eq!(
        late.body_json()["error"]["current"]["reason"]["code"],
        "window_closed"
    );
    let journal = api
        .storage
        .records(&"acme".into(), RecordKind::Journal)
        .await
        .unwrap();
    let answers = journal
        .iter()
        .filter(|r| r.data["target"] == format!("notice:{}:answer", north.notice))
        .count();
    assert_eq!(answers, 4, "each of the four answer writes is journaled");
}

#[tokio::test]
async fn answer_errors_name_each_field_with_a_code_and_a_french_message() {
    let (api, north, ..) = world().await;
    let path = format!("/notices/{}/answer", north.notice);
    let mut bad = typed_driver();
    bad["designation"]["driver"]["address"]["postcode"] = json!("590");
    bad["designation"]["driver"]["first_name"] = json!("");
    let response = call(&api, NORTH_MANAGER, "PUT", &path, bad).await;
    assert_eq!(response.status, 422);
    let fields = response.body_json()["error"]["fields"].clone();
    assert_eq!(fields[0]["field"], "designation.driver.first_name");
    assert_eq!(fields[0]["code"], "required");
    assert_eq!(fields[1]["field"], "designation.driver.address.postcode");
    assert_eq!(fields[1]["code"], "invalid_postcode");
    assert!(fields[1]["reason"]
        .as_str()
        .unwrap()
        .contains("code postal"));
    let sold_late = json!({ "other": { "reason": "vehicle_sold", "on": "2026-11-10" } });
    let response = call(&api, NORTH_MANAGER, "PUT", &path, sold_late).await;
    assert_eq!(
        response.body_json()["error"]["fields"][0]["code"],
        "after_offence"
    );
    let both = json!({ "designation": { "driver_id": north.driver }, "other": { "reason": "vehicle_unknown" } });
    let response = call(&api, NORTH_MANAGER, "PUT", &path, both).await;
    assert_eq!(
        response.body_json()["error"]["fields"][0]["code"],
        "one_of_designation_or_other"
    );
    // Nothing was stored.
    let n = api.storage.notice(&north.notice).await.unwrap().unwrap();
    assert_eq!(n.status, NoticeStatus::Open);
}

/// Fifty users answer the same notice at the same moment: exactly one is
/// accepted, every other gets 409 with the notice as it now stands.
#[tokio::test]
async fn fifty_concurrent_answers_to_one_notice_accept_exactly_one() {
    let (api, north, ..) = world().await;
    let path = format!("/notices/{}/answer", north.notice);
    let bodies: Vec<Value> = (0..50)
        .map(|i| {
            let mut b = typed_driver();
            b["designation"]["driver"]["last_name"] = json!(format!(
                "Fictif-{}",
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
                    .chars()
                    .nth(i)
                    .unwrap()
            ));
            b
        })
        .collect();
    let responses = futures::future::join_all(
        bodies
            .into_iter()
            .map(|b| call(&api, NORTH_MANAGER, "PUT", &path, b)),
    )
    .await;
    let accepted = responses.iter().filter(|r| r.status == 200).count();
    let conflicts: Vec<&Reply> = responses.iter().filter(|r| r.status == 409).collect();
    assert_eq!(accepted, 1);
    assert_eq!(conflicts.len(), 49);
    for c in conflicts {
        assert_eq!(
            c.body_json()["error"]["current"]["notice"]["status"],
            "ANSWER_PENDING"
        );
    }
    let n = api.storage.notice(&north.notice).await.unwrap().unwrap();
    assert_eq!(
        n.answer.unwrap().history.len(),
        1,
        "one submission recorded"
    );
}

#[tokio::test]
async fn each_user_sets_their_own_notification_preferences() {
    let (api, ..) = world().await;
    let got = call(
        &api,
        NORTH_MANAGER,
        "GET",
        "/me/notification-preferences",
        Value::Null,
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(
        got.body_json()["preferences"]["new_notices"],
        "daily_digest"
    );
    assert_eq!(got.body_json()["version"], 0);
    let wanted = json!({ "new_notices": "never", "reminders": "weekly_digest",
        "deadline_approaching": "immediately", "answer_in_error": "daily_digest" });
    let put = call(
        &api,
        NORTH_MANAGER,
        "PUT",
        "/me/notification-preferences",
        wanted.clone(),
    )
    .await;
    assert_eq!(put.status, 200, "{:?}", put.body_json());
    let got = call(
        &api,
        NORTH_MANAGER,
        "GET",
        "/me/notification-preferences",
        Value::Null,
    )
    .await;
    assert_eq!(got.body_json()["preferences"], wanted);
    // Another user's preferences are untouched.
    let admin = call(
        &api,
        ADMIN,
        "GET",
        "/me/notification-preferences",
        Value::Null,
    )
    .await;
    assert_eq!(
        admin.body_json()["preferences"]["new_notices"],
        "daily_digest"
    );
    let bad = call(&api, NORTH_MANAGER, "PUT", "/me/notification-preferences",
        json!({ "new_notices": "hourly", "reminders": "never", "deadline_approaching": "never", "answer_in_error": "never" })).await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.body_json()["error"]["fields"][0]["field"],
        "new_notices"
    );
}

/// The journal is a hash chain: an altered, re-hashed or removed entry shows.
#[tokio::test]
async fn an_altered_journal_entry_is_detected() {
    let (api, north, ..) = world().await;
    // A few more writes and personal-data reads.
    call(
        &api,
        ADMIN,
        "GET",
        &format!("/drivers/{}", north.driver),
        Value::Null,
    )
    .await;
    call(&api, ADMIN, "PUT", "/me/notification-preferences", json!({ "new_notices": "never",
        "reminders": "never", "deadline_approaching": "immediately", "answer_in_error": "immediately" })).await;
    let verify = || call(&api, ADMIN, "GET", "/journal/verify", Value::Null);
    let report = verify().await.body_json();
    assert_eq!(report["intact"], true, "{report}");
    let count = report["entries"].as_u64().unwrap();
    assert!(count >= 10, "{report}");
    assert_eq!(report["first_seq"], 1);
    assert_eq!(report["last_seq"], count);

    let tenant: TenantId = "acme".into();
    let stored = api
        .storage
        .record(&tenant, RecordKind::Journal, "000000000005")
        .await
        .unwrap()
        .unwrap();
    let mut entry: designa::app::journal::JournalEntry = stored.decode().unwrap();
    // Someone edits entry 5 in the table to hide who read what.
    entry.user_id = "someone-else".into();
    let mut altered = Record::new(&entry.entry_id, stored.version + 1, &entry);
    altered.expires_at = stored.expires_at;
    assert!(api
        .storage
        .put_record(&tenant, RecordKind::Journal, &altered, Some(stored.version))
        .await
        .unwrap());
    let report = verify().await.body_json();
    assert_eq!(report["intact"], false);
    assert_eq!(report["problems"][0]["seq"], 5);
    assert!(report["problems"][0]["problem"]
        .as_str()
        .unwrap()
        .contains("altered"));

    // Re-hashing the edited entry does not help: the next link breaks.
    entry.hash = entry.compute_hash();
    let rehashed = Record::new(&entry.entry_id, altered.version + 1, &entry);
    assert!(api
        .storage
        .put_record(
            &tenant,
            RecordKind::Journal,
            &rehashed,
            Some(altered.version)
        )
        .await
        .unwrap());
    let report = verify().await.body_json();
    assert_eq!(report["problems"].as_array().unwrap().len(), 1);
    assert_eq!(report["problems"][0]["seq"], 6);
    assert!(report["problems"][0]["problem"]
        .as_str()
        .unwrap()
        .contains("chain broken"));

    // Removing an entry shows as a gap.
    api.storage
        .delete_record(&tenant, RecordKind::Journal, "000000000003")
        .await
        .unwrap();
    let report = verify().await.body_json();
    assert!(report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["problem"]
            .as_str()
            .unwrap()
            .contains("entries 3 to 3 are missing")));

    // New entries keep chaining; the export carries the hashes; only admins see it.
    let export = call(&api, ADMIN, "GET", "/journal/export", Value::Null).await;
    assert_eq!(export.status, 200);
    let csv = String::from_utf8(export.body).unwrap();
    assert!(csv.starts_with("\u{feff}seq;at;user_id;action;target;request_id;prev_hash;hash\n"));
    // The header and every entry but the removed one (the export is journaled after).
    assert_eq!(csv.lines().count() as u64, count);
    assert_eq!(
        call(&api, NORTH_MANAGER, "GET", "/journal/verify", Value::Null)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn concurrent_journal_appends_take_every_number_once() {
    let api = api();
    let tenant: TenantId = "acme".into();
    let at = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let appends = (0..30).map(|i| {
        designa::app::journal::append(
            &api.storage,
            &tenant,
            at,
            "u-1",
            "read",
            format!("driver:{i}"),
            "req",
        )
    });
    let entries: Vec<_> = futures::future::join_all(appends)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let mut seqs: Vec<u64> = entries.iter().map(|e| e.seq).collect();
    seqs.sort();
    assert_eq!(seqs, (1..=30).collect::<Vec<_>>());
    // The head is only a hint: with it gone, appends still find the end.
    api.storage
        .delete_record(&tenant, RecordKind::Journal, "~head")
        .await
        .unwrap();
    let next =
        designa::app::journal::append(&api.storage, &tenant, at, "u-1", "read", "x".into(), "req")
            .await
            .unwrap();
    assert_eq!(next.seq, 31);
    let all: Vec<designa::app::journal::JournalEntry> = api
        .storage
        .records(&tenant, RecordKind::Journal)
        .await
        .unwrap()
        .iter()
        .filter(|r| !r.id.starts_with('~'))
        .map(|r| r.decode().unwrap())
        .collect();
    assert!(designa::app::journal::verify(&all).is_empty());
}

async fn journal_length(api: &TestApi) -> usize {
    call(api, ADMIN, "GET", "/journal?limit=500", Value::Null)
        .await
        .body_json()["entries"]
        .as_array()
        .unwrap()
        .len()
}

/// Journal entries are kept one year: past it, reads no longer return them,
/// even before DynamoDB's TTL deletes them.
#[tokio::test]
async fn journal_entries_leave_after_a_year() {
    let (api, ..) = world().await;
    let before = journal_length(&api).await;
    assert!(before > 5);
    api.storage
        .set_now(Utc.with_ymd_and_hms(2027, 11, 19, 9, 0, 0).unwrap());
    assert_eq!(
        journal_length(&api).await,
        before,
        "364 days later, all still there"
    );
    api.storage
        .set_now(Utc.with_ymd_and_hms(2027, 11, 21, 9, 0, 0).unwrap());
    assert_eq!(journal_length(&api).await, 0, "366 days later, none");
}

/// The router itself: what no handler decides.
mod routing {
    use super::*;

    fn error(reply: &Reply) -> (u16, String, String) {
        let body = reply.body_json();
        (
            reply.status,
            body["error"]["code"].as_str().unwrap_or_default().into(),
            body["error"]["message"].as_str().unwrap_or_default().into(),
        )
    }

    #[tokio::test]
    async fn unknown_paths_are_404_and_other_methods_405_in_the_error_body() {
        let (api, ..) = world().await;
        let reply = call(&api, ADMIN, "GET", "/nowhere", Value::Null).await;
        assert_eq!(
            error(&reply),
            (404, "not_found".into(), "route not found".into())
        );
        let reply = call(&api, ADMIN, "PATCH", "/entities", Value::Null).await;
        assert_eq!(
            error(&reply),
            (
                405,
                "method_not_allowed".into(),
                "method not allowed".into()
            )
        );
    }

    #[tokio::test]
    async fn literal_segments_win_over_parameters() {
        let (api, ..) = world().await;
        let export = call(&api, ADMIN, "GET", "/drivers/export", Value::Null).await;
        assert_eq!(
            (export.status, export.content_type.as_str()),
            (200, http::XLSX)
        );
        let unknown = call(&api, ADMIN, "GET", "/drivers/d-unknown", Value::Null).await;
        assert_eq!(error(&unknown).2, "driver not found");
    }

    #[tokio::test]
    async fn parameters_are_percent_decoded_and_200_characters_at_most() {
        let (api, ..) = world().await;
        let spaced = call(&api, ADMIN, "GET", "/notices/N%2001", Value::Null).await;
        assert_eq!(
            error(&spaced).2,
            "notice not found",
            "decoded, then looked up"
        );
        let long = format!(
            "/notices/{}",
            "9".repeat(crate::extract::MAX_PARAMETER_LENGTH + 1)
        );
        let long = call(&api, ADMIN, "GET", &long, Value::Null).await;
        assert_eq!(error(&long).2, "route not found");
        let longest = format!(
            "/notices/{}",
            "9".repeat(crate::extract::MAX_PARAMETER_LENGTH)
        );
        let longest = call(&api, ADMIN, "GET", &longest, Value::Null).await;
        assert_eq!(error(&longest).2, "notice not found");
    }

    #[tokio::test]
    async fn only_a_route_without_a_caller_answers_without_a_token() {
        let (api, ..) = world().await;
        let anonymous = |method: &str, path: &str| Call {
            method: method.into(),
            path: path.into(),
            content_type: Some("application/json".into()),
            body: br#"{"password":"Un-Mot-De-Passe-7"}"#.to_vec(),
            ..Default::default()
        };
        let invitation = api
            .handle(anonymous("POST", "/invitations/acme.unknown"))
            .await;
        assert_eq!(
            invitation.status,
            404,
            "reached the handler: {:?}",
            invitation.body_json()
        );
        for route in crate::router::all_routes() {
            if crate::router::public_routes().contains(&route) {
                continue;
            }
            let path = route.path.replace(['{', '}'], "");
            let reply = api.handle(anonymous(route.method, &path)).await;
            assert_eq!(
                reply.status, 401,
                "{} {} without a token",
                route.method, route.path
            );
        }
    }

    #[tokio::test]
    async fn every_response_carries_its_request_id() {
        let (api, ..) = world().await;
        let reply = call(&api, ADMIN, "GET", "/me", Value::Null).await;
        assert_eq!(reply.header("x-request-id"), Some("req-test"));
        let generated = api
            .handle(Call {
                method: "GET".into(),
                path: "/me".into(),
                claims: Some(claims(ADMIN.0, ADMIN.1)),
                ..Default::default()
            })
            .await;
        assert_eq!(generated.status, 200);
        assert_eq!(
            generated.header("x-request-id").map(str::len),
            Some(36),
            "a UUID"
        );
    }
}
