//! Idempotency keys on the local stack: the kept response goes through
//! DynamoDB and KMS sealed, and a retried POST is answered from it; after an
//! erasure the day's replay key is made again, and the response kept before
//! still replays, without its body.

use designa::domain::access::Role;
use designa_integration_tests::exclusive;
use designa_integration_tests::world::{call, create_entity, world, TestApi};
use serde_json::{json, Map, Value};

async fn keyed(
    api: &TestApi,
    claims: &Map<String, Value>,
    body: &Value,
    key: &str,
) -> api::testing::Reply {
    api.handle(api::testing::Call {
        method: "POST".into(),
        path: "/drivers".into(),
        content_type: Some("application/json".into()),
        headers: vec![("Idempotency-Key".into(), key.into())],
        body: serde_json::to_vec(body).unwrap(),
        claims: Some(claims.clone()),
        request_id: format!("it-keyed-{key}"),
        ..Default::default()
    })
    .await
}

fn new_driver(entity: &str, last_name: &str) -> Value {
    json!({ "entity_id": entity, "last_name": last_name, "first_name": "Ilan",
        "address": { "line1": "5 impasse Fictive", "line2": null, "postcode": "69000", "city": "Lyon", "country": "FRA" } })
}

#[tokio::test]
async fn a_retried_post_is_replayed_from_the_table_and_survives_an_erasure_without_its_body() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    w.create_tenant("Rejeu Fictif SAS").await;
    w.add_user("admin", Role::Admin).await;
    let admin = w.claims_of("admin");
    let api = w.api();
    let entity = create_entity(&api, &admin, "Agence Rejeu").await;

    let first_body = new_driver(&entity, "Rejoué-Fictif");
    let first = keyed(&api, &admin, &first_body, "0").await;
    assert_eq!(first.status, 201, "{:?}", first.body_json());
    let replay = keyed(&api, &admin, &first_body, "0").await;
    assert_eq!(replay.status, 201, "{:?}", replay.body);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(replay.body_json(), first.body_json());

    let driver = first.body_json()["driver_id"].as_str().unwrap().to_string();
    let erasure = json!({ "right": "erasure", "subject": { "type": "driver", "id": driver } });
    let erased = call(&api, &admin, "POST", "/privacy/requests", erasure).await;
    assert_eq!(erased.status, 201, "{:?}", erased.body_json());
    let second = keyed(&api, &admin, &new_driver(&entity, "Suivant-Fictif"), "1").await;
    assert_eq!(second.status, 201, "{:?}", second.body_json());

    let after = keyed(&api, &admin, &first_body, "0").await;
    assert_eq!(after.status, 201, "{:?}", after.body);
    assert_eq!(after.header("idempotent-body-kept"), Some("false"));
}
