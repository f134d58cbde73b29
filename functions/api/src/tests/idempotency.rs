//! Idempotency keys: a retried POST or answer is done once and answered as
//! the first time; a key names one request of one caller for 24 hours.

use super::*;
use designa::app::idempotency::{self, Begun, KeyedRequest};

const KEY: &str = "9b2f6a0e-6c1d-4e8a-9f3b-2d7c1e5a4b60";

async fn keyed(
    api: &TestApi,
    who: (&str, &str),
    method: &str,
    path: &str,
    body: &Value,
    key: &str,
) -> Reply {
    api.handle(Call {
        method: method.into(),
        path: path.into(),
        content_type: Some("application/json".into()),
        headers: vec![("Idempotency-Key".into(), key.into())],
        body: serde_json::to_vec(body).unwrap(),
        claims: Some(claims(who.0, who.1)),
        request_id: "req-keyed".into(),
        ..Default::default()
    })
    .await
}

fn new_driver(entity: &str, last_name: &str) -> Value {
    json!({ "entity_id": entity, "last_name": last_name, "first_name": "Zoé",
        "address": { "line1": "3 allée Fictive", "line2": null, "postcode": "59000", "city": "Lille", "country": "FRA" } })
}

async fn drivers_named(api: &TestApi, last_name: &str) -> usize {
    let list = call(api, ADMIN, "GET", "/drivers", Value::Null)
        .await
        .body_json();
    list["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["last_name"] == last_name)
        .count()
}

#[tokio::test]
async fn the_same_post_with_the_same_key_twice_creates_one_driver_and_answers_the_same() {
    let (api, north, ..) = world().await;
    let body = new_driver(&north.entity, "Rejouée");
    let first = keyed(&api, ADMIN, "POST", "/drivers", &body, KEY).await;
    assert_eq!(first.status, 201, "{:?}", first.body_json());
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = keyed(&api, ADMIN, "POST", "/drivers", &body, KEY).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body, first.body, "the first response, byte for byte");
    assert_eq!(again.content_type, "application/json");
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(drivers_named(&api, "Rejouée").await, 1);
    // Without a key, the same POST is a new request.
    assert_eq!(
        call(&api, ADMIN, "POST", "/drivers", body).await.status,
        201
    );
    assert_eq!(drivers_named(&api, "Rejouée").await, 2);
}

#[tokio::test]
async fn the_same_key_with_another_body_or_path_is_refused_in_french_with_its_code() {
    let (api, north, ..) = world().await;
    let first = keyed(
        &api,
        ADMIN,
        "POST",
        "/drivers",
        &new_driver(&north.entity, "Une"),
        KEY,
    )
    .await;
    assert_eq!(first.status, 201);
    let other = keyed(
        &api,
        ADMIN,
        "POST",
        "/drivers",
        &new_driver(&north.entity, "Autre"),
        KEY,
    )
    .await;
    assert_eq!(other.status, 422);
    assert_eq!(other.body_json()["error"]["code"], "idempotency_key_reused");
    assert!(other.body_json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("clé d'idempotence"));
    let elsewhere = keyed(
        &api,
        ADMIN,
        "POST",
        "/entities",
        &legal_entity("Ailleurs"),
        KEY,
    )
    .await;
    assert_eq!(
        elsewhere.body_json()["error"]["code"],
        "idempotency_key_reused"
    );
    assert_eq!(drivers_named(&api, "Autre").await, 0);
}

#[tokio::test]
async fn an_answer_sent_twice_with_one_key_is_given_once() {
    let (api, north, ..) = world().await;
    let path = format!("/notices/{}/answer", north.notice);
    let answer = json!({ "designation": { "driver_id": north.driver } });
    let first = keyed(&api, NORTH_MANAGER, "PUT", &path, &answer, KEY).await;
    assert_eq!(first.status, 200, "{:?}", first.body_json());
    let again = keyed(&api, NORTH_MANAGER, "PUT", &path, &answer, KEY).await;
    assert_eq!(
        (again.status, again.body.clone()),
        (200, first.body.clone())
    );
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let history = api.storage.notice(&north.notice).await.unwrap().unwrap();
    assert_eq!(history.answer.unwrap().history.len(), 1, "submitted once");
    // Without the key the retry meets the answer already given.
    assert_eq!(
        call(&api, NORTH_MANAGER, "PUT", &path, answer).await.status,
        409
    );
}

#[tokio::test]
async fn two_callers_keys_never_meet() {
    let (api, north, _, rival) = world().await;
    let mine = keyed(
        &api,
        ADMIN,
        "POST",
        "/drivers",
        &new_driver(&north.entity, "Mienne"),
        KEY,
    )
    .await;
    assert_eq!(mine.status, 201);
    let theirs = keyed(
        &api,
        RIVAL,
        "POST",
        "/drivers",
        &new_driver(&rival.entity, "Sienne"),
        KEY,
    )
    .await;
    assert_eq!(theirs.status, 201, "{:?}", theirs.body_json());
    let colleague = keyed(
        &api,
        NORTH_MANAGER,
        "POST",
        "/drivers",
        &new_driver(&north.entity, "Collègue"),
        KEY,
    )
    .await;
    assert_eq!(colleague.status, 201, "{:?}", colleague.body_json());
}

#[tokio::test]
async fn a_key_is_forgotten_after_24_hours() {
    let (api, north, ..) = world().await;
    let body = new_driver(&north.entity, "Lendemain");
    assert_eq!(
        keyed(&api, ADMIN, "POST", "/drivers", &body, KEY)
            .await
            .status,
        201
    );
    let before = api.clock.now();
    api.clock.set(before + chrono::Duration::hours(23));
    api.storage.set_now(api.clock.now());
    let replayed = keyed(&api, ADMIN, "POST", "/drivers", &body, KEY).await;
    assert_eq!(replayed.header("idempotent-replayed"), Some("true"));
    api.clock
        .set(before + chrono::Duration::hours(24) + chrono::Duration::seconds(1));
    api.storage.set_now(api.clock.now());
    let anew = keyed(&api, ADMIN, "POST", "/drivers", &body, KEY).await;
    assert_eq!(
        (anew.status, anew.header("idempotent-replayed")),
        (201, None)
    );
    assert_eq!(drivers_named(&api, "Lendemain").await, 2);
}

#[tokio::test]
async fn a_request_still_running_holds_its_key_until_its_claim_lapses() {
    let (api, north, ..) = world().await;
    let body = new_driver(&north.entity, "Pendante");
    // A first request claimed the key, then its Lambda died.
    let claimed = KeyedRequest {
        tenant: "acme".into(),
        principal: "admin".into(),
        key: KEY.into(),
        fingerprint: idempotency::fingerprint(
            "POST",
            "/drivers",
            &serde_json::to_vec(&body).unwrap(),
        ),
    };
    let begun = idempotency::begin(&api.storage, &claimed, api.clock.now())
        .await
        .unwrap();
    assert!(matches!(begun, Begun::Claimed { .. }));
    let busy = keyed(&api, ADMIN, "POST", "/drivers", &body, KEY).await;
    assert_eq!(busy.status, 409);
    assert_eq!(busy.body_json()["error"]["code"], "idempotency_key_in_use");
    assert_eq!(busy.header("retry-after"), Some("1"));
    api.clock
        .set(api.clock.now() + chrono::Duration::seconds(idempotency::CLAIM_LEASE_SECONDS + 1));
    let taken_over = keyed(&api, ADMIN, "POST", "/drivers", &body, KEY).await;
    assert_eq!(taken_over.status, 201, "{:?}", taken_over.body_json());
    assert_eq!(drivers_named(&api, "Pendante").await, 1);
}

#[tokio::test]
async fn ten_concurrent_posts_with_one_key_create_one_driver() {
    let (api, north, ..) = world().await;
    api.storage.interleave_calls();
    let body = new_driver(&north.entity, "Simultanée");
    let replies = futures::future::join_all(
        (0..10).map(|_| keyed(&api, ADMIN, "POST", "/drivers", &body, KEY)),
    )
    .await;
    let created: Vec<_> = replies.iter().filter(|r| r.status == 201).collect();
    assert!(replies.iter().all(|r| [201, 409].contains(&r.status)));
    assert!(
        created.iter().all(|r| r.body == created[0].body),
        "one driver, answered alike"
    );
    assert_eq!(drivers_named(&api, "Simultanée").await, 1);
}

#[tokio::test]
async fn a_malformed_key_is_refused_with_the_header_named() {
    let (api, north, ..) = world().await;
    let body = new_driver(&north.entity, "Malformée");
    for key in ["une clé avec des espaces", &"k".repeat(256)] {
        let refused = keyed(&api, ADMIN, "POST", "/drivers", &body, key).await;
        assert_eq!(refused.status, 422);
        assert_eq!(
            refused.body_json()["error"]["fields"][0]["field"],
            "Idempotency-Key"
        );
        assert_eq!(
            refused.body_json()["error"]["fields"][0]["code"],
            "malformed"
        );
    }
    assert_eq!(drivers_named(&api, "Malformée").await, 0);
}

#[tokio::test]
async fn a_kept_response_is_sealed_and_an_erasure_leaves_its_replay_without_the_person() {
    let (api, north, ..) = world().await;
    let body = new_driver(&north.entity, "Effaçable");
    let first = keyed(&api, ADMIN, "POST", "/drivers", &body, KEY).await;
    assert_eq!(first.status, 201);
    assert!(!api.storage.everything_stored().contains("Effaçable"));
    let driver = first.body_json()["driver_id"].as_str().unwrap().to_string();
    let erased = call(
        &api,
        ADMIN,
        "POST",
        "/privacy/requests",
        json!({ "right": "erasure", "subject": { "type": "driver", "id": driver } }),
    )
    .await;
    assert_eq!(erased.status, 201, "{:?}", erased.body_json());
    let replay = keyed(&api, ADMIN, "POST", "/drivers", &body, KEY).await;
    assert_eq!(
        replay.status, 201,
        "the first status, the work not done again"
    );
    assert_eq!(replay.header("idempotent-body-kept"), Some("false"));
    assert!(replay.body.is_empty());
    assert_eq!(drivers_named(&api, "Effaçable").await, 0);
}

/// An erasure erases the day's replay key; the next kept response of the
/// day makes a new one, which must not be taken for a tampered box.
#[tokio::test]
async fn a_replay_kept_before_an_erasure_stays_without_its_body_when_the_day_has_a_new_key() {
    let (api, north, ..) = world().await;
    let body = new_driver(&north.entity, "Avant");
    let first = keyed(&api, ADMIN, "POST", "/drivers", &body, KEY).await;
    assert_eq!(first.status, 201);
    let driver = first.body_json()["driver_id"].as_str().unwrap().to_string();
    let erasure = json!({ "right": "erasure", "subject": { "type": "driver", "id": driver } });
    let erased = call(&api, ADMIN, "POST", "/privacy/requests", erasure).await;
    assert_eq!(erased.status, 201, "{:?}", erased.body_json());
    let after = new_driver(&north.entity, "Après");
    let other_key = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5";
    let second = keyed(&api, ADMIN, "POST", "/drivers", &after, other_key).await;
    assert_eq!(second.status, 201, "{:?}", second.body_json());

    let replay = keyed(&api, ADMIN, "POST", "/drivers", &body, KEY).await;
    assert_eq!(replay.status, 201, "{:?}", replay.body);
    assert_eq!(replay.header("idempotent-body-kept"), Some("false"));
    let again = keyed(&api, ADMIN, "POST", "/drivers", &after, other_key).await;
    assert_eq!(again.status, 201);
    assert_eq!(
        again.body_json(),
        second.body_json(),
        "the new key still opens"
    );
}

#[tokio::test]
async fn a_failure_worth_retrying_lets_the_key_go() {
    let (api, ..) = world().await;
    let request = KeyedRequest {
        tenant: "acme".into(),
        principal: "admin".into(),
        key: KEY.into(),
        fingerprint: idempotency::fingerprint("POST", "/drivers", b"{}"),
    };
    let now = api.clock.now();
    assert!(matches!(
        idempotency::begin(&api.storage, &request, now)
            .await
            .unwrap(),
        Begun::Claimed { .. }
    ));
    idempotency::release(&api.storage, &request).await.unwrap();
    assert!(matches!(
        idempotency::begin(&api.storage, &request, now)
            .await
            .unwrap(),
        Begun::Claimed { .. }
    ));
}
