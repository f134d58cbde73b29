//! Notices: filters, deadline paging, the scale hidden once answered.

use super::*;
use designa::ports::NoticeStore;
use designa::store::earliest_live_deadline;

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

/// `count` notices of the North, statuses in turn, deadlines spread over
/// sixty days, offences over thirty, plates over three.
async fn many_notices_of_the_north(api: &TestApi, north: &Ids, count: u32) {
    let plates = ["AB-123-CD", "GH-456-JK", "LM-789-NP"];
    let notices: Vec<StoredNotice> = (0..count)
        .map(|i| {
            let status = NoticeStatus::ALL[i as usize % NoticeStatus::ALL.len()];
            let issued =
                NaiveDate::from_ymd_opt(2026, 10, 1).unwrap() + chrono::Days::new((i % 60).into());
            let mut n = notice(
                &format!("M{i:06}"),
                plates[i as usize % 3],
                "acme",
                &north.entity,
                &north.vehicle,
                issued,
                status,
            );
            n.notice.offence_at = chrono_tz::Europe::Paris
                .with_ymd_and_hms(2026, 9, 1 + i % 30, 23, 30, 0)
                .unwrap();
            n
        })
        .collect();
    for chunk in notices.chunks(designa::ports::MAX_BATCH_WRITE) {
        api.storage.put_notices(chunk).await.unwrap();
    }
}

/// The items one request read from the table, as DynamoDB bills them.
async fn items_read_by(api: &TestApi, who: (&str, &str), path: &str) -> usize {
    let before = api.storage.items_read();
    let reply = call(api, who, "GET", path, Value::Null).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body_json());
    api.storage.items_read() - before
}

#[tokio::test]
async fn a_page_of_notices_reads_as_much_in_a_tenant_of_180_notices_as_in_one_of_6000() {
    let mut read = Vec::new();
    for count in [180, 6000] {
        let (api, north, ..) = world().await;
        many_notices_of_the_north(&api, &north, count).await;
        let everyone = items_read_by(&api, ADMIN, "/notices?limit=25").await;
        let open = items_read_by(&api, ADMIN, "/notices?limit=25&status=OPEN").await;
        let scoped = items_read_by(&api, NORTH_MANAGER, "/notices?limit=25").await;
        read.push((everyone, open, scoped));
    }
    assert_eq!(
        read[0], read[1],
        "the cost of a page does not grow with the tenant"
    );
    // One page and one more item per status read: never the tenant.
    let (everyone, open, scoped) = read[1];
    assert!(everyone <= 6 * 26 && scoped <= 6 * 26, "{read:?}");
    assert_eq!(open, 26);
}

/// Which notices a query should list.
type Keep = Box<dyn Fn(&StoredNotice) -> bool>;

/// Every page of `query` for `who`, following the cursors: the numbers seen.
async fn every_page(api: &TestApi, who: (&str, &str), query: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..1000 {
        let path = match &cursor {
            Some(c) => format!("/notices?limit=7&{query}&cursor={c}"),
            None => format!("/notices?limit=7&{query}"),
        };
        let page = call(api, who, "GET", &path, Value::Null).await.body_json();
        let numbers = page["notices"].as_array().expect("a page");
        seen.extend(
            numbers
                .iter()
                .map(|n| n["notice_number"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return seen,
        }
    }
    panic!("the cursors of {query} never end");
}

#[tokio::test]
async fn following_the_cursors_shows_each_matching_notice_once_in_deadline_order() {
    let (api, north, south, _) = world().await;
    many_notices_of_the_north(&api, &north, 300).await;
    let everything = api.storage.tenant_notices("acme").await.unwrap();
    // The memory table never deletes what DynamoDB's TTL would have.
    let read_on = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let live = |n: &StoredNotice| n.deadline >= earliest_live_deadline(n.status, read_on);
    let expected = |keep: &dyn Fn(&StoredNotice) -> bool, entity: Option<&str>| -> Vec<String> {
        let mut kept: Vec<&StoredNotice> = everything
            .iter()
            .filter(|n| entity.is_none_or(|e| n.entity_id.0 == e) && live(n) && keep(n))
            .collect();
        kept.sort_by_key(|n| (n.deadline, n.notice.notice_number.clone()));
        kept.iter()
            .map(|n| n.notice.notice_number.clone())
            .collect()
    };
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
    let cases: Vec<(&str, Keep)> = vec![
        ("", Box::new(|_| true)),
        (
            "status=ANSWER_SENT",
            Box::new(|n| n.status == NoticeStatus::AnswerSent),
        ),
        (
            "plate=gh456jk",
            Box::new(|n| n.notice.plate.normalized == "GH456JK"),
        ),
        (
            "search=M0001",
            Box::new(|n| n.notice.notice_number.starts_with("M0001")),
        ),
        (
            "offence_from=2026-09-10&offence_to=2026-09-12",
            Box::new(move |n| (day(10)..=day(12)).contains(&n.notice.offence_at.date_naive())),
        ),
        (
            "due_within_days=30&status=OPEN",
            Box::new(|n| {
                n.status == NoticeStatus::Open
                    && n.deadline <= chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap()
            }),
        ),
    ];
    for (query, keep) in &cases {
        let all = expected(keep.as_ref(), None);
        assert!(!all.is_empty(), "{query} selects some notices");
        assert_eq!(every_page(&api, ADMIN, query).await, all, "{query}");
        let north_only = expected(keep.as_ref(), Some(&north.entity));
        assert_eq!(
            every_page(&api, NORTH_MANAGER, query).await,
            north_only,
            "{query}, North"
        );
    }
    let south_for_north =
        every_page(&api, NORTH_MANAGER, &format!("entity_id={}", south.entity)).await;
    assert!(
        south_for_north.is_empty(),
        "an entity out of scope shows nothing"
    );
}

#[tokio::test]
async fn a_list_leaves_out_the_notices_whose_retention_has_passed() {
    let (api, north, ..) = world().await;
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let put = |number: &str, issued: NaiveDate, status: NoticeStatus| {
        notice(
            number,
            "AB-123-CD",
            "acme",
            &north.entity,
            &north.vehicle,
            issued,
            status,
        )
    };
    let batch = [
        // Unanswered, its deadline (16 October) a month gone: TTL has passed.
        put("R0001", day(9, 1), NoticeStatus::Open),
        // Answered on time: kept a year after its deadline.
        put("R0002", day(9, 1), NoticeStatus::AnswerSent),
        put("R0003", day(11, 1), NoticeStatus::Open),
    ];
    api.storage.put_notices(&batch).await.unwrap();
    let numbers = |reply: Reply| -> Vec<String> {
        let page = reply.body_json();
        page["notices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["notice_number"].as_str().unwrap().to_string())
            .filter(|n| n.starts_with('R'))
            .collect()
    };
    let listed = numbers(call(&api, ADMIN, "GET", "/notices?limit=200", Value::Null).await);
    assert_eq!(listed, ["R0002", "R0003"]);
    let open = numbers(
        call(
            &api,
            ADMIN,
            "GET",
            "/notices?status=OPEN&limit=200",
            Value::Null,
        )
        .await,
    );
    assert_eq!(open, ["R0003"]);
}
