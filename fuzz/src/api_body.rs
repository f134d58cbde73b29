//! The API's JSON bodies through the whole router, as an authenticated
//! admin sends them: any bytes to any route that reads a body. No body may
//! make the API fail (5xx) or panic; a refused one says why with a stable
//! code.

use api::testing::{Call, Client, Reply};
use api::{Api, AppState, Config, JobQueue};
use chrono::TimeZone;
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::memory::{
    FixedClock, MemoryBlobStore, MemoryIdentity, MemoryKeyVault, MemoryMailer, MemoryQueue,
    MemoryStorage,
};
use designa::ports::{NoticeStore, TenantStore};
use designa::privacy::sealing::Sealing;
use designa::store::StoredNotice;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::sync::Arc;

/// The routes with a body, `{…}` standing for the world's ids.
const ROUTES: [(&str, &str); 15] = [
    ("PUT", "/notices/{notice}/answer"),
    ("POST", "/entities"),
    ("PUT", "/entities/{entity}"),
    ("POST", "/vehicles"),
    ("PUT", "/vehicles/{vehicle}"),
    ("POST", "/drivers"),
    ("PUT", "/drivers/{driver}"),
    ("POST", "/assignments"),
    ("PUT", "/assignments/{assignment}"),
    ("POST", "/exports"),
    ("POST", "/uploads"),
    ("POST", "/users"),
    ("POST", "/privacy/requests"),
    ("PUT", "/tenant/settings"),
    ("PUT", "/me/notification-preferences"),
];

/// A fresh world after this many calls: what the fuzzer creates would
/// otherwise pile up in memory.
const CALLS_PER_WORLD: u32 = 5_000;

/// The first byte picks the route; the others are the body.
pub fn api_body(data: &[u8]) {
    let Some((&route, body)) = data.split_first() else {
        return;
    };
    let (method, template) = ROUTES[usize::from(route) % ROUTES.len()];
    let reply = crate::block_on(async {
        let world = world().await;
        let call = Call {
            method: method.into(),
            path: world.path(template),
            content_type: Some("application/json".into()),
            body: body.to_vec(),
            claims: Some(admin_claims()),
            request_id: "fuzz".into(),
            ..Default::default()
        };
        world.client.send(call).await
    });
    answered_with_reason(method, template, &reply);
}

fn answered_with_reason(method: &str, route: &str, reply: &Reply) {
    let body = reply.body_json();
    assert!(
        reply.status < 500,
        "{method} {route}: {} {body}",
        reply.status
    );
    if reply.status >= 400 {
        assert!(
            body["error"]["code"].is_string(),
            "{method} {route}: {} without a code: {body}",
            reply.status
        );
    }
}

/// The API over memory with a tenant, its admin, and one of everything.
#[derive(Clone)]
struct World {
    client: Client,
    ids: Vec<(&'static str, String)>,
}

impl World {
    fn path(&self, template: &str) -> String {
        self.ids
            .iter()
            .fold(template.to_string(), |path, (name, id)| {
                path.replace(&format!("{{{name}}}"), id)
            })
    }
}

thread_local! {
    static WORLD: RefCell<Option<(World, u32)>> = const { RefCell::new(None) };
}

async fn world() -> World {
    let current = WORLD.with_borrow_mut(|w| match w {
        Some((world, calls)) if *calls < CALLS_PER_WORLD => {
            *calls += 1;
            Some(world.clone())
        }
        _ => None,
    });
    if let Some(world) = current {
        return world;
    }
    let world = new_world().await;
    WORLD.with_borrow_mut(|w| *w = Some((world.clone(), 1)));
    world
}

fn admin_claims() -> serde_json::Map<String, Value> {
    let claims = json!({ "sub": "admin", "custom:tenant_id": "acme", "token_use": "id" });
    claims.as_object().expect("an object").clone()
}

async fn new_world() -> World {
    let storage = Arc::new(MemoryStorage::default());
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    storage.set_now(now);
    tenant_and_admin(&storage).await;
    let sealed = Arc::new(Sealing::new(storage, Arc::new(MemoryKeyVault::default())));
    let state = AppState::from(Api {
        storage: sealed.clone(),
        blobs: Arc::new(MemoryBlobStore::default()),
        identity: Arc::new(MemoryIdentity::default()),
        mailer: Arc::new(MemoryMailer::default()),
        clock: Arc::new(FixedClock::at(now)),
        signer: Arc::new(designa::memory::MemorySigner::default()),
        config: Config::for_tests(),
        export_queue: JobQueue::new(Arc::new(MemoryQueue::default()), "memory://export-queue"),
    });
    let mut world = World {
        client: Client::new(state),
        ids: Vec::new(),
    };
    for (name, route, pointer, body) in seed_bodies() {
        let id = created(&world, route, pointer, body).await;
        world.ids.push((name, id));
    }
    let notice = crate::seeds::notice("9000000001");
    let (entity, vehicle) = (world.id("entity"), world.id("vehicle"));
    let stored = StoredNotice::routed(
        notice,
        "acme".into(),
        entity.as_str().into(),
        vehicle.as_str().into(),
        now,
        "inbound/fuzz.txt".into(),
    );
    sealed.put_notices(&[stored]).await.expect("the notice");
    world.ids.push(("notice", "9000000001".into()));
    world
}

impl World {
    fn id(&self, name: &str) -> String {
        let found = self.ids.iter().find(|(n, _)| *n == name);
        found.map(|(_, id)| id.clone()).unwrap_or_default()
    }
}

/// The bodies that create the world's entity, vehicle, driver and
/// assignment (`{…}` replaced by the ids created before).
fn seed_bodies() -> [(&'static str, &'static str, &'static str, Value); 4] {
    [
        (
            "entity",
            "/entities",
            "/entity_id",
            crate::seeds::entity_body(),
        ),
        (
            "vehicle",
            "/vehicles",
            "/vehicle_id",
            crate::seeds::vehicle_body(),
        ),
        (
            "driver",
            "/drivers",
            "/driver_id",
            crate::seeds::driver_body(),
        ),
        (
            "assignment",
            "/assignments",
            "/assignment_id",
            crate::seeds::assignment_body(),
        ),
    ]
}

async fn created(world: &World, route: &str, pointer: &str, body: Value) -> String {
    let body = world.path(&body.to_string()).into_bytes();
    let call = Call {
        method: "POST".into(),
        path: route.into(),
        content_type: Some("application/json".into()),
        body,
        claims: Some(admin_claims()),
        request_id: "fuzz-world".into(),
        ..Default::default()
    };
    let reply = world.client.send(call).await;
    let id = reply
        .body_json()
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(String::from);
    id.unwrap_or_else(|| panic!("{route}: {} {:?}", reply.status, reply.body_json()))
}

async fn tenant_and_admin(storage: &MemoryStorage) {
    let tenant = Tenant {
        tenant_id: "acme".into(),
        name: "Transports Exemple".into(),
        settings: TenantSettings::default(),
        ended_on: None,
    };
    storage.create_tenant(&tenant).await.expect("the tenant");
    let admin = User {
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
    };
    storage.put_user(&admin).await.expect("the admin");
}
