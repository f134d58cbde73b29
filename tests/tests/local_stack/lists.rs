//! The lists on the table: a page of notices is a few Queries resumed from
//! the cursor as their `ExclusiveStartKey`, filtered on DynamoDB's side,
//! on the tenant's index or the entities'; a page of the journal is one
//! descending Query. Following the cursors shows each item once, in order.

use chrono::{Days, Utc};
use designa::app::notices::{page, NoticeQuery};
use designa::domain::access::Scope;
use designa::domain::time::{paris_date, paris_datetime};
use designa::domain::{EntityId, Notice, NoticeStatus, Offence, Plate, Scale, TenantId};
use designa::ports::NoticeStore;
use designa::store::{earliest_live_deadline, NoticeCriteria, NoticePosition, StoredNotice};
use designa_integration_tests::exclusive;
use designa_integration_tests::world::world;

const PLATES: [&str; 3] = ["AB-123-CD", "GH-456-JK", "LM-789-NP"];

/// Notice `i` of the tenant: entity, status, plate and days in turn.
fn notice(tenant: &str, i: u32) -> StoredNotice {
    let issued = paris_date(Utc::now()) - Days::new((i % 9).into());
    let offence_day = issued - Days::new((i % 5).into());
    let notice = Notice {
        notice_number: format!("{}{i:04}", &tenant[2..10]),
        plate: Plate::parse(PLATES[i as usize % 3], "FRA").unwrap(),
        make: "RENAULT".into(),
        model: "CLIO".into(),
        offence_at: paris_datetime(offence_day, 23, 30),
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
    let mut stored = StoredNotice::routed(
        notice,
        tenant.into(),
        ["e-north", "e-south"][i as usize % 2].into(),
        "v-1".into(),
        Utc::now(),
        "inbound/lists.txt".into(),
    );
    stored.status = [
        NoticeStatus::Open,
        NoticeStatus::AnswerSent,
        NoticeStatus::Acknowledged,
    ][i as usize % 3];
    stored
}

/// Every page of `query`, four notices a page: the numbers in order.
async fn every_page(
    storage: &impl NoticeStore,
    tenant: &TenantId,
    scope: &Scope,
    mut query: NoticeQuery,
) -> Vec<String> {
    query.limit = 4;
    let mut seen = Vec::new();
    for _ in 0..100 {
        let found = page(storage, tenant, scope, &query).await.unwrap();
        seen.extend(found.notices.iter().map(|n| n.notice.notice_number.clone()));
        match found.next {
            Some(next) => query.after = Some(next),
            None => return seen,
        }
    }
    panic!("the cursors never end");
}

#[tokio::test]
async fn pages_of_notices_and_of_the_journal_follow_their_cursors_on_the_table() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let storage = w.raw_storage();
    let tenant = TenantId(w.tenant.clone());
    let notices: Vec<StoredNotice> = (0..36).map(|i| notice(&w.tenant, i)).collect();
    for chunk in notices.chunks(designa::ports::MAX_BATCH_WRITE) {
        storage.put_notices(chunk).await.unwrap();
    }
    let mut sorted = notices.clone();
    sorted.sort_by(StoredNotice::by_deadline);
    let expected = |keep: &dyn Fn(&StoredNotice) -> bool| -> Vec<String> {
        sorted
            .iter()
            .filter(|n| keep(n))
            .map(|n| n.notice.notice_number.clone())
            .collect()
    };
    let all = Scope::AllEntities;
    let north: EntityId = "e-north".into();
    let plain = NoticeQuery::default();
    assert_eq!(
        every_page(&storage, &tenant, &all, plain.clone()).await,
        expected(&|_| true)
    );

    let open = NoticeQuery {
        status: Some(NoticeStatus::Open),
        ..plain.clone()
    };
    let is_open = |n: &StoredNotice| n.status == NoticeStatus::Open;
    assert_eq!(
        every_page(&storage, &tenant, &all, open).await,
        expected(&is_open)
    );

    let by_plate = NoticeQuery {
        criteria: NoticeCriteria {
            plate: Some("GH456JK".into()),
            ..NoticeCriteria::default()
        },
        ..plain.clone()
    };
    let on_plate = |n: &StoredNotice| n.notice.plate.normalized == "GH456JK";
    assert_eq!(
        every_page(&storage, &tenant, &all, by_plate).await,
        expected(&on_plate)
    );

    let day = paris_date(Utc::now()) - Days::new(6);
    let one_day = NoticeQuery {
        criteria: NoticeCriteria {
            offence_from: Some(day),
            offence_to: Some(day),
            ..NoticeCriteria::default()
        },
        ..plain.clone()
    };
    let on_day = |n: &StoredNotice| n.notice.offence_at.date_naive() == day;
    assert_eq!(
        every_page(&storage, &tenant, &all, one_day).await,
        expected(&on_day)
    );

    let scoped = Scope::Entities([north.clone()].into());
    let in_north = |n: &StoredNotice| n.entity_id == north;
    assert_eq!(
        every_page(&storage, &tenant, &scoped, plain.clone()).await,
        expected(&in_north)
    );

    let due_by = sorted[10].deadline;
    let read_on = due_by + Days::new(3);
    let later = NoticeQuery {
        read_on: Some(read_on),
        ..plain.clone()
    };
    let live = |n: &StoredNotice| n.deadline >= earliest_live_deadline(n.status, read_on);
    assert_eq!(
        every_page(&storage, &tenant, &all, later.clone()).await,
        expected(&live),
        "open notices start at the retention bound"
    );
    let first = NoticePosition::of(&sorted[0]);
    let from_an_older_cursor = NoticeQuery {
        after: Some(first.clone()),
        ..later
    };
    assert_eq!(
        every_page(&storage, &tenant, &all, from_an_older_cursor).await,
        expected(&|n| live(n) && NoticePosition::of(n) > first),
        "a cursor from before the bound starts the open stream at it"
    );

    let soon = NoticeQuery {
        due_by: Some(due_by),
        ..plain
    };
    let due = |n: &StoredNotice| n.deadline <= due_by;
    assert_eq!(
        every_page(&storage, &tenant, &all, soon).await,
        expected(&due)
    );

    for i in 0..23 {
        designa::app::journal::append(
            &storage,
            &tenant,
            Utc::now(),
            "admin",
            "read",
            format!("driver:d{i}"),
            "req-lists",
        )
        .await
        .unwrap();
    }
    let mut seqs = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let (entries, next) = designa::app::journal::page(&storage, &tenant, before.as_deref(), 5)
            .await
            .unwrap();
        seqs.extend(entries.iter().map(|e| e.seq));
        match next {
            Some(id) => before = Some(id),
            None => break,
        }
    }
    assert_eq!(seqs, (1..=23).rev().collect::<Vec<u64>>());
}
