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
    // The head names the last entry; deleted, it shows, and appends still
    // find the end (the anchors then prove what came before).
    let head = designa::app::journal::head(&api.storage, &tenant)
        .await
        .unwrap();
    assert_eq!(head.map(|h| h.seq), Some(30));
    api.storage
        .delete_record(&tenant, RecordKind::Journal, "~head")
        .await
        .unwrap();
    let entries = designa::app::journal::entries(&api.storage, &tenant)
        .await
        .unwrap();
    let headless = designa::app::journal::Evidence {
        head: None,
        anchors: &[],
        now: at,
    };
    let found = designa::app::journal::verify(&entries, &headless);
    assert!(
        found[0].problem.contains("la tête du journal manque"),
        "{found:?}"
    );
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
    let head = designa::app::journal::head(&api.storage, &tenant)
        .await
        .unwrap();
    let evidence = designa::app::journal::Evidence {
        head: head.as_ref(),
        anchors: &[],
        now: at,
    };
    assert!(designa::app::journal::verify(&all, &evidence).is_empty());
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

/// Removes entries `from..=to` of the tenant's journal, as someone with
/// access to the table could, and makes the head name the last one kept.
async fn cut_the_journal(api: &TestApi, from: u64, to: u64, forge_head: bool) {
    let tenant: TenantId = "acme".into();
    for seq in from..=to {
        api.storage
            .delete_record(&tenant, RecordKind::Journal, &format!("{seq:012}"))
            .await
            .unwrap();
    }
    if !forge_head {
        return;
    }
    let entries = designa::app::journal::entries(&api.storage, &tenant)
        .await
        .unwrap();
    let last = entries.last().unwrap();
    let head = api
        .storage
        .record(&tenant, RecordKind::Journal, "~head")
        .await
        .unwrap()
        .unwrap();
    let forged = Record {
        data: json!({ "seq": last.seq, "hash": last.hash, "at": last.at }),
        version: head.version + 1,
        ..head.clone()
    };
    assert!(api
        .storage
        .put_record(&tenant, RecordKind::Journal, &forged, Some(head.version))
        .await
        .unwrap());
}

/// Anchors the head as the stream function does once a day.
async fn anchor_today(api: &TestApi) -> u64 {
    let tenant: TenantId = "acme".into();
    let head = designa::app::journal::head(&api.storage, &tenant)
        .await
        .unwrap()
        .unwrap();
    let bucket = &api.config.journal_anchors;
    designa::app::journal_anchors::anchor_head(
        &*api.blobs,
        bucket,
        &tenant,
        &head,
        api.clock.now(),
    )
    .await
    .unwrap();
    head.seq
}

#[tokio::test]
async fn a_cut_journal_shows_against_its_head_and_its_anchors_even_with_the_head_forged() {
    let (api, north, ..) = world().await;
    read_the_driver_and_change_preferences(&api, &north).await;
    let verify = || async {
        call(&api, ADMIN, "GET", "/journal/verify", Value::Null)
            .await
            .body_json()
    };
    let last = anchor_today(&api).await;

    // The newest entries deleted: the head still names the last one.
    cut_the_journal(&api, last - 1, last, false).await;
    let report = verify().await;
    assert_eq!(report["intact"], false);
    assert_eq!(report["anchors_checked"], 1);
    let problems = report["problems"].to_string();
    assert!(
        problems.contains("la fin du journal a été coupée"),
        "{report}"
    );
    // The head forged to the last entry kept: the anchor still knows.
    cut_the_journal(&api, last - 2, last - 2, true).await;
    let report = verify().await;
    assert_eq!(report["head_seq"], last - 3);
    let problems = report["problems"].to_string();
    assert!(
        problems.contains("alors qu'elles ont été ancrées le 2026-11-20"),
        "{report}"
    );
}

#[tokio::test]
async fn the_oldest_entries_deleted_are_told_from_their_expiry() {
    let (api, north, ..) = world().await;
    read_the_driver_and_change_preferences(&api, &north).await;
    // Without an anchor of them, entries gone at the start read as expired.
    cut_the_journal(&api, 1, 2, false).await;
    let report = call(&api, ADMIN, "GET", "/journal/verify", Value::Null)
        .await
        .body_json();
    assert_eq!(
        (report["intact"].clone(), report["expired_up_to"].clone()),
        (json!(true), json!(2))
    );

    // An anchor of entry 3 today: entries after it are younger than a year.
    let (api, north, ..) = world().await;
    let tenant: TenantId = "acme".into();
    let third = api
        .storage
        .record(&tenant, RecordKind::Journal, "000000000003")
        .await
        .unwrap()
        .unwrap();
    let third: designa::app::journal::JournalEntry = third.decode().unwrap();
    let anchor = designa::app::journal::Head {
        seq: 3,
        hash: third.hash,
        at: Some(third.at),
    };
    designa::app::journal_anchors::anchor_head(
        &*api.blobs,
        &api.config.journal_anchors,
        &tenant,
        &anchor,
        api.clock.now(),
    )
    .await
    .unwrap();
    read_the_driver_and_change_preferences(&api, &north).await;
    cut_the_journal(&api, 1, 5, false).await;
    let report = call(&api, ADMIN, "GET", "/journal/verify", Value::Null)
        .await
        .body_json();
    assert_eq!(report["intact"], false);
    assert_eq!(report["expired_up_to"], Value::Null);
    let problems = report["problems"].to_string();
    assert!(
        problems.contains("les entrées 3 à 5 manquent alors qu'elles ont moins d'un an"),
        "{report}"
    );
}
