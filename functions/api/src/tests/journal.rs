//! The access journal: what is journaled, the hash chain, concurrent appends,
//! the one-year retention.

use super::*;
use designa::app::journal::JournalEntry;
use designa::ports::RecordStore;

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

/// A few more writes and personal-data reads, as a tenant admin.
async fn read_the_driver_and_change_preferences(api: &TestApi, ids: &Ids) {
    call(
        api,
        ADMIN,
        "GET",
        &format!("/drivers/{}", ids.driver),
        Value::Null,
    )
    .await;
    call(api, ADMIN, "PUT", "/me/notification-preferences", json!({ "new_notices": "never",
        "reminders": "never", "deadline_approaching": "immediately", "answer_in_error": "immediately" })).await;
}

/// Someone edits entry 5 in the table to hide who read what, keeping its
/// hash and its expiry. Returns the entry as edited and the record stored.
async fn edit_entry_5_to_hide_who_read_what(api: &TestApi) -> (JournalEntry, Record) {
    let tenant: TenantId = "acme".into();
    let stored = api
        .storage
        .record(&tenant, RecordKind::Journal, "000000000005")
        .await
        .unwrap()
        .unwrap();
    let mut entry: JournalEntry = stored.decode().unwrap();
    entry.user_id = "someone-else".into();
    let mut altered = Record::new(&entry.entry_id, stored.version + 1, &entry);
    altered.expires_at = stored.expires_at;
    assert!(api
        .storage
        .put_record(&tenant, RecordKind::Journal, &altered, Some(stored.version))
        .await
        .unwrap());
    (entry, altered)
}

/// The edited `entry` given a hash of its own, stored over `altered`.
async fn rehash_the_edited_entry(api: &TestApi, mut entry: JournalEntry, altered: &Record) {
    entry.hash = entry.compute_hash();
    let rehashed = Record::new(&entry.entry_id, altered.version + 1, &entry);
    assert!(api
        .storage
        .put_record(
            &"acme".into(),
            RecordKind::Journal,
            &rehashed,
            Some(altered.version)
        )
        .await
        .unwrap());
}

/// The journal is a hash chain: an altered, re-hashed or removed entry shows.
#[tokio::test]
async fn an_altered_journal_entry_is_detected() {
    let (api, north, ..) = world().await;
    read_the_driver_and_change_preferences(&api, &north).await;
    let verify = || call(&api, ADMIN, "GET", "/journal/verify", Value::Null);
    let report = verify().await.body_json();
    assert_eq!(report["intact"], true, "{report}");
    let count = report["entries"].as_u64().unwrap();
    assert!(count >= 10, "{report}");
    assert_eq!(report["first_seq"], 1);
    assert_eq!(report["last_seq"], count);

    let (entry, altered) = edit_entry_5_to_hide_who_read_what(&api).await;
    let report = verify().await.body_json();
    assert_eq!(report["intact"], false);
    assert_eq!(report["problems"][0]["seq"], 5);
    assert!(report["problems"][0]["problem"]
        .as_str()
        .unwrap()
        .contains("modifié"));

    // Re-hashing the edited entry does not help: the next link breaks.
    rehash_the_edited_entry(&api, entry, &altered).await;
    let report = verify().await.body_json();
    assert_eq!(report["problems"].as_array().unwrap().len(), 1);
    assert_eq!(report["problems"][0]["seq"], 6);
    assert!(report["problems"][0]["problem"]
        .as_str()
        .unwrap()
        .contains("chaîne rompue"));

    // Removing an entry shows as a gap.
    api.storage
        .delete_record(&"acme".into(), RecordKind::Journal, "000000000003")
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
            .contains("les entrées 3 à 3 manquent")));

    // New entries keep chaining; the export carries the hashes; only admins see it.
    let export = call(&api, ADMIN, "GET", "/journal/export", Value::Null).await;
    assert_eq!(export.status, 200);
    let csv = String::from_utf8(export.body).unwrap();
    // The product's one CSV writer (excel::csv): BOM, `;`, CRLF, guarded cells.
    assert!(csv.starts_with("\u{feff}seq;at;user_id;action;target;request_id;prev_hash;hash\r\n"));
    assert_eq!(
        csv.matches("\r\n").count() as u64,
        count,
        "every line ends with CRLF"
    );
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

/// `count` more entries in the tenant's journal.
async fn journal_of(api: &TestApi, count: usize) {
    for i in 0..count {
        designa::app::journal::append(
            &api.storage,
            &"acme".into(),
            api.clock.now(),
            "admin",
            "read",
            format!("driver:d{i}"),
            "req-bench",
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn a_journal_page_reads_one_page_however_long_the_journal_and_the_pages_cover_it_once() {
    let mut read = Vec::new();
    for count in [20, 2000] {
        let (api, ..) = world().await;
        journal_of(&api, count).await;
        let before = api.storage.items_read();
        let page = call(&api, ADMIN, "GET", "/journal?limit=10", Value::Null).await;
        assert_eq!(page.status, 200);
        read.push(api.storage.items_read() - before);
    }
    assert_eq!(
        read,
        vec![11, 11],
        "a page and one more entry, whatever the length"
    );

    let (api, ..) = world().await;
    journal_of(&api, 95).await;
    let mut seqs = Vec::new();
    let mut path = "/journal?limit=10".to_string();
    loop {
        let page = call(&api, ADMIN, "GET", &path, Value::Null)
            .await
            .body_json();
        seqs.extend(
            page["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["seq"].as_u64().unwrap()),
        );
        match page["next_before"].as_str() {
            Some(id) => path = format!("/journal?limit=10&before={id}"),
            None => break,
        }
    }
    let total = seqs[0];
    assert_eq!(
        seqs,
        (1..=total).rev().collect::<Vec<_>>(),
        "every entry once, newest first"
    );
}

#[tokio::test]
async fn a_journal_page_from_a_made_up_position_is_refused_in_french() {
    let (api, ..) = world().await;
    let reply = call(&api, ADMIN, "GET", "/journal?before=~head", Value::Null).await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.body_json()["error"]["fields"][0]["field"], "before");
}
