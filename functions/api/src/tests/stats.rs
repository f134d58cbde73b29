//! The dashboard's figures: what each counts, the 12-month window, the
//! caller's scope, and nothing per driver.

use super::*;
use designa::domain::answer::{
    Answer, AnswerBody, AnswerEvent, AnswerHistoryEntry, AnswerState, OtherAnswer,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A notice of the North's vehicle issued on `issued`, received the next day.
fn north_notice(
    north: &Ids,
    number: &str,
    issued: NaiveDate,
    status: NoticeStatus,
) -> StoredNotice {
    let mut n = notice(
        number,
        "AB-123-CD",
        "acme",
        &north.entity,
        &north.vehicle,
        issued,
        status,
    );
    n.received_at =
        Utc.from_utc_datetime(&issued.succ_opt().unwrap().and_hms_opt(6, 0, 0).unwrap());
    n
}

/// An answer whose history ends with ANTAI's acknowledgement on `on`.
fn acknowledged(mut n: StoredNotice, on: NaiveDate) -> StoredNotice {
    let at = Utc.from_utc_datetime(&on.and_hms_opt(10, 0, 0).unwrap());
    n.answer = Some(Answer {
        body: AnswerBody::Other(OtherAnswer::VehicleUnknown),
        driver_id: None,
        state: AnswerState::Acknowledged,
        answered_by: "admin".into(),
        answered_at: at,
        window_ends_at: at,
        notify_driver: false,
        transmission: 1,
        batch_id: None,
        history: vec![AnswerHistoryEntry {
            at,
            transmission_id: "T1".into(),
            event: AnswerEvent::Acknowledged { processed_at: at },
        }],
        sealed: None,
    });
    n
}

/// The North's history on 20 November 2026, beside the seeded open notice
/// (deadline 19 December): one of each figure, and one notice too old to count.
async fn north_history(api: &TestApi, north: &Ids) {
    use NoticeStatus::*;
    let notices = vec![
        north_notice(north, "S1", day(2026, 10, 8), Open), // deadline 22 Nov
        north_notice(north, "S2", day(2026, 10, 12), Open), // deadline 26 Nov
        north_notice(north, "S3", day(2026, 11, 1), AnswerPending),
        north_notice(north, "S4", day(2026, 10, 20), AnswerInError),
        acknowledged(
            north_notice(north, "S5", day(2026, 10, 1), Acknowledged),
            day(2026, 11, 10),
        ),
        acknowledged(
            north_notice(north, "S6", day(2026, 9, 1), Acknowledged),
            day(2026, 10, 5),
        ),
        north_notice(north, "S7", day(2026, 3, 1), GoneToPaper),
        north_notice(north, "S8", day(2025, 3, 1), GoneToPaper), // before December 2025
    ];
    api.storage.put_notices(&notices).await.unwrap();
}

fn month<'a>(figures: &'a Value, label: &str) -> &'a Value {
    figures["months"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == label)
        .unwrap_or_else(|| panic!("no month {label}"))
}

#[tokio::test]
async fn the_dashboard_counts_each_figure_over_twelve_months() {
    let (api, north, ..) = world().await;
    north_history(&api, &north).await;
    let reply = call(&api, NORTH_MANAGER, "GET", "/stats", Value::Null).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body_json());
    let body = reply.body_json();
    assert_eq!(body["today"], "2026-11-20");
    assert_eq!(body["history_from"], "2025-12-01");
    let total = &body["total"];
    let expected = json!({
        "open": 3, "due_within_2_days": 1, "due_within_7_days": 2, "answers_pending": 1,
        "answers_in_error": 1, "acknowledged_this_month": 1, "gone_to_paper": 1,
        "answered_in_time": { "answered": 4, "decided": 5, "percent": 80 },
    });
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&total[key], value, "{key}");
    }
    let months: Vec<&str> = total["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(
        (months.len(), months[0], months[11]),
        (12, "2025-12", "2026-11")
    );
    assert_eq!(
        month(total, "2026-11"),
        &json!({ "month": "2026-11", "open": 1, "answered": 1, "acknowledged": 0, "in_error": 0, "gone_to_paper": 0 })
    );
    assert_eq!(
        month(total, "2026-10"),
        &json!({ "month": "2026-10", "open": 2, "answered": 0, "acknowledged": 1, "in_error": 1, "gone_to_paper": 0 })
    );
    assert_eq!(month(total, "2026-03")["gone_to_paper"], 1);
    // The North manager sees the North only: one entity, the same figures.
    let entities = body["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0]["entity_id"], north.entity.as_str());
    assert_eq!(&entities[0]["figures"], total);
}

#[tokio::test]
async fn the_dashboard_keeps_to_the_callers_scope_and_names_no_driver() {
    let (api, north, south, rival) = world().await;
    north_history(&api, &north).await;
    let admin = call(&api, ADMIN, "GET", "/stats", Value::Null)
        .await
        .body_json();
    assert_eq!(
        admin["total"]["open"], 4,
        "the North's three and the South's one"
    );
    assert_eq!(admin["entities"].as_array().unwrap().len(), 2);
    let only_south = format!("/stats?entity_id={}", south.entity);
    let south_only = call(&api, ADMIN, "GET", &only_south, Value::Null)
        .await
        .body_json();
    assert_eq!(
        (
            south_only["total"]["open"].as_u64(),
            south_only["entities"].as_array().unwrap().len()
        ),
        (Some(1), 1)
    );
    assert_eq!(
        call(&api, NORTH_MANAGER, "GET", &only_south, Value::Null)
            .await
            .status,
        404
    );
    let foreign = format!("/stats?entity_id={}", rival.entity);
    assert_eq!(
        call(&api, ADMIN, "GET", &foreign, Value::Null).await.status,
        404
    );
    let text = serde_json::to_string(&admin).unwrap();
    assert!(
        !text.contains("driver") && !text.contains(&north.driver),
        "{text}"
    );
}
