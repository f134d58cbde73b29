//! The OpenAPI document is generated from the handlers (`api::openapi`):
//! the checked-in `docs/openapi.yaml` must be that document, the router must
//! serve every operation it lists, and only the public routes drop the token.

use api::http::Claims;
use api::testing::{send, Call};
use api::{Api, AppState, Config, JobQueue};
use chrono::{TimeZone, Utc};
use designa::memory::{
    FixedClock, MemoryBlobStore, MemoryIdentity, MemoryMailer, MemoryQueue, MemoryStorage,
};
use std::sync::Arc;

const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.yaml");

#[test]
fn docs_openapi_yaml_is_the_generated_document() {
    let generated = api::openapi::yaml();
    let checked_in = std::fs::read_to_string(DOCS).unwrap_or_default();
    if checked_in != generated {
        let shorter = checked_in.lines().count().min(generated.lines().count());
        let line = checked_in
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(shorter);
        panic!(
            "docs/openapi.yaml is stale from line {}: run `make openapi` and commit it",
            line + 1
        );
    }
}

fn empty_api() -> AppState {
    AppState::from(Api {
        storage: Arc::new(designa::privacy::sealing::Sealing::new(
            MemoryStorage::default(),
            Arc::new(designa::memory::MemoryKeyVault::default()),
        )),
        blobs: Arc::new(MemoryBlobStore::default()),
        identity: Arc::new(MemoryIdentity::default()),
        mailer: Arc::new(MemoryMailer::default()),
        clock: Arc::new(FixedClock::at(
            Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap(),
        )),
        signer: Arc::new(designa::memory::MemorySigner::default()),
        config: Config::for_tests(),
        export_queue: JobQueue::new(Arc::new(MemoryQueue::default()), "memory://export-queue"),
    })
}

/// A concrete path for a template: each `{parameter}` becomes `p1`, `p2`…
fn concrete(template: &str) -> String {
    let mut n = 0;
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                n += 1;
                format!("p{n}")
            } else {
                segment.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn the_router_serves_every_documented_operation() {
    let state = empty_api();
    let routes = api::router::all_routes();
    assert!(routes.len() >= 59, "{} routes", routes.len());
    for route in routes {
        let reply = send(
            &state,
            Call {
                method: route.method.into(),
                path: concrete(&route.path),
                // No user behind these claims: a served private route answers 401.
                claims: Some(Claims::default()),
                ..Call::default()
            },
        )
        .await;
        let error = reply.body_json()["error"]["message"].clone();
        assert!(
            reply.status != 405 && error != "route not found",
            "{} {} is documented but not served: {} {error}",
            route.method,
            route.path,
            reply.status
        );
    }
}

#[tokio::test]
async fn get_openapi_json_serves_the_document_without_a_token() {
    let reply = send(
        &empty_api(),
        Call {
            method: "GET".into(),
            path: "/openapi.json".into(),
            ..Call::default()
        },
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.starts_with("application/json"));
    let served = reply.body_json();
    let documented: serde_json::Value =
        serde_yaml_ng::from_str(&api::openapi::yaml()).expect("the document is YAML");
    assert_eq!(served, documented);
    assert_eq!(served["openapi"], "3.1.0");
}

#[test]
fn only_public_routes_are_documented_without_a_token() {
    let spec = serde_json::to_value(api::router::spec()).expect("the document serializes");
    assert!(
        spec["security"][0].get("bearerAuth").is_some(),
        "the token is required by default"
    );
    let public = api::router::public_routes();
    assert_eq!(public.len(), 4, "{public:?}");
    for route in api::router::all_routes() {
        let operation = &spec["paths"][&route.path][route.method.to_lowercase()];
        let without_token = operation["security"] == serde_json::json!([{}]);
        assert_eq!(
            without_token,
            public.contains(&route),
            "{} {}: the document and the router disagree on its token",
            route.method,
            route.path
        );
        for name in route
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        {
            let declared = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p["name"] == name && p["in"] == "path");
            assert!(
                declared,
                "{} {}: {name} is not declared",
                route.method, route.path
            );
        }
    }
}
