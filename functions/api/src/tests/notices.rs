//! Notices: filters, deadline paging, the scale hidden once answered.

use super::*;
use designa::ports::NoticeStore;

/// Seven more notices of the North's vehicle, `P0000` to `P0006`, issued
/// on 10 to 16 October; the fourth, `P0003`, is answered.
async fn seven_notices_of_the_north(api: &TestApi, north: &Ids) {
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
}

/// Every notice of `entity` the North manager sees, three a page, following
/// the cursors: each notice's number, deadline, and whether its scale is
/// hidden.
async fn notices_page_by_page(api: &TestApi, entity: &str) -> Vec<(String, String, bool)> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/notices?entity_id={entity}&limit=3&cursor={c}"),
            None => format!("/notices?entity_id={entity}&limit=3"),
        };
        let page = call(api, NORTH_MANAGER, "GET", &path, Value::Null)
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
    seen
}

#[tokio::test]
async fn notices_are_filtered_paged_by_deadline_and_hide_the_scale_once_answered() {
    let (api, north, ..) = world().await;
    seven_notices_of_the_north(&api, &north).await;
    let seen = notices_page_by_page(&api, &north.entity).await;
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

/// The numbers the North manager's search lists.
async fn found(api: &TestApi, search: &str) -> Vec<String> {
    let path = format!("/notices?search={search}");
    let page = call(api, NORTH_MANAGER, "GET", &path, Value::Null)
        .await
        .body_json();
    page["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["notice_number"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_search_box_finds_a_plate_as_typed_or_a_notice_by_the_start_of_its_number() {
    let (api, north, ..) = world().await;
    seven_notices_of_the_north(&api, &north).await;
    assert_eq!(
        found(&api, "ab%20123%20cd").await.len(),
        8,
        "the plate, spaces and case ignored"
    );
    assert_eq!(found(&api, "P0003").await, ["P0003"]);
    assert_eq!(found(&api, "P000").await.len(), 7, "the start of a number");
    assert!(found(&api, "ZZ-999-ZZ").await.is_empty());
}
