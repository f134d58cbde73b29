//! Answers: the grace window, field errors in French with codes, concurrent
//! answers.

use super::*;
use designa::ports::{NoticeStore, RecordStore};

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
    assert_designated_scale_hidden_and_editable(&body, &north);
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
    assert_eq!(
        history_events(&cancelled.body_json()),
        ["submitted", "edited", "cancelled"]
    );

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
    assert_eq!(
        journaled_answer_writes(&api, &north).await,
        4,
        "each of the four answer writes is journaled"
    );
}

/// The answer of the seeded notice, just given with its seeded driver: the
/// notice awaits sending, hides its scale, and the answer is editable until
/// the window closes.
fn assert_designated_scale_hidden_and_editable(body: &Value, ids: &Ids) {
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
        format!("{}-1", ids.notice)
    );
}

/// The events of an answer's history, oldest first.
fn history_events(body: &Value) -> Vec<String> {
    body["answer"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap().to_string())
        .collect()
}

/// How many journal entries are about the seeded notice's answer.
async fn journaled_answer_writes(api: &TestApi, ids: &Ids) -> usize {
    let journal = api
        .storage
        .records(&"acme".into(), RecordKind::Journal)
        .await
        .unwrap();
    journal
        .iter()
        .filter(|r| r.data["target"] == format!("notice:{}:answer", ids.notice))
        .count()
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
    // A field the designation does not have is refused by name, not dropped.
    let mut licence = typed_driver();
    licence["designation"]["driver"]["licence_number"] = json!("123456789012");
    let response = call(&api, NORTH_MANAGER, "PUT", &path, licence).await;
    assert_eq!(response.status, 422, "{:?}", response.body_json());
    let field = &response.body_json()["error"]["fields"][0];
    assert_eq!(field["field"], "designation.driver.licence_number");
    assert_eq!(field["code"], "malformed");
    let mut in_address = typed_driver();
    in_address["designation"]["driver"]["address"]["floor"] = json!("3");
    let response = call(&api, NORTH_MANAGER, "PUT", &path, in_address).await;
    assert_eq!(
        response.body_json()["error"]["fields"][0]["field"],
        "designation.driver.address.floor"
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
