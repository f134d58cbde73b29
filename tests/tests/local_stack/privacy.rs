//! Field-level encryption and erasure on the local stack: a driver
//! designated through the API goes out to ANTAI and is acknowledged; the
//! table never holds it in the clear; once erased, a scan of every item of
//! every table and every version of every object in every bucket finds its
//! name and address nowhere, while the acknowledgement stays as proof.

use designa::domain::access::Role;
use designa::domain::NoticeStatus;
use designa::ports::AnswerStore;
use designa_integration_tests::exclusive;
use designa_integration_tests::world::{batch, call, create_entity, unique_number, world, World};
use designa_tools::answer_loop::{acknowledge_outbound, send_due_answers};
use designa_tools::simulator::{generate_notices, notice_file};
use serde_json::json;

/// The fictional driver's distinctive name and street.
const LAST_NAME: &str = "Zorglub-Fictif";
const STREET: &str = "17 chemin de l'Oubli";

/// Every place that holds `needle` in readable form: table items (every
/// attribute, binary ones included) and object versions.
async fn readable_copies(w: &World, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let tables = w.aws.dynamodb().list_tables().send().await.unwrap();
    for table in tables.table_names() {
        let mut start = None;
        loop {
            let page = w
                .aws
                .dynamodb()
                .scan()
                .table_name(table)
                .set_exclusive_start_key(start)
                .send()
                .await
                .unwrap();
            for item in page.items() {
                let text = format!("{item:?}");
                let binary: Vec<u8> = item
                    .values()
                    .filter_map(|v| v.as_b().ok())
                    .flat_map(|b| b.as_ref().to_vec())
                    .collect();
                let binary = String::from_utf8_lossy(&binary);
                if needles
                    .iter()
                    .any(|n| text.contains(n) || binary.contains(n))
                {
                    found.push(format!(
                        "{table}: {:?}",
                        item.get("pk").or(item.get("subject"))
                    ));
                }
            }
            start = page.last_evaluated_key().cloned();
            if start.is_none() {
                break;
            }
        }
    }
    let buckets = w.aws.s3().list_buckets().send().await.unwrap();
    for bucket in buckets.buckets().iter().filter_map(|b| b.name()) {
        let mut key_marker = None;
        let mut version_marker = None;
        loop {
            let page = w
                .aws
                .s3()
                .list_object_versions()
                .bucket(bucket)
                .set_key_marker(key_marker.take())
                .set_version_id_marker(version_marker.take())
                .send()
                .await
                .unwrap();
            for version in page.versions() {
                let key = version.key().unwrap();
                let body = w
                    .aws
                    .s3()
                    .get_object()
                    .bucket(bucket)
                    .key(key)
                    .set_version_id(version.version_id().map(str::to_string))
                    .send()
                    .await
                    .unwrap()
                    .body
                    .collect()
                    .await
                    .unwrap()
                    .into_bytes();
                let text = readable_text(&body);
                if needles.iter().any(|n| text.contains(n)) {
                    found.push(format!(
                        "s3://{bucket}/{key}?versionId={:?}",
                        version.version_id()
                    ));
                }
            }
            if page.is_truncated() != Some(true) {
                break;
            }
            key_marker = page.next_key_marker().map(str::to_string);
            version_marker = page.next_version_id_marker().map(str::to_string);
        }
    }
    found
}

/// An object as a person could read it: the cells of a workbook (zipped,
/// so its bytes never show a name), the bytes of anything else.
fn readable_text(body: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut text = String::from_utf8_lossy(body).into_owned();
    if body.starts_with(b"PK\x03\x04") {
        if let Ok(mut workbook) =
            calamine::open_workbook_from_rs::<Xlsx<_>, _>(std::io::Cursor::new(body))
        {
            for name in workbook.sheet_names() {
                if let Ok(sheet) = workbook.worksheet_range(&name) {
                    for cell in sheet.rows().flatten() {
                        text.push('\n');
                        text.push_str(&cell.to_string());
                    }
                }
            }
        }
    }
    text
}

#[test]
fn a_workbook_is_read_cell_by_cell() {
    let bytes = designa::excel::text_workbook(&["Nom"], [[LAST_NAME]]).expect("a workbook");
    assert!(
        !String::from_utf8_lossy(&bytes).contains(LAST_NAME),
        "zipped"
    );
    assert!(readable_text(&bytes).contains(LAST_NAME));
}

#[tokio::test]
async fn an_erased_driver_is_unreadable_in_every_item_and_object_and_the_proof_stays() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    w.create_tenant("Oubli Fictif SAS").await;
    w.add_user("dpo", Role::Admin).await;
    let admin = w.claims_of("dpo");
    let api = w.api();

    let entity_id = create_entity(&api, &admin, "Agence Fictive").await;
    let driver = call(&api, &admin, "POST", "/drivers", json!({
        "entity_id": entity_id, "last_name": LAST_NAME, "first_name": "Oriane",
        "address": { "line1": STREET, "line2": null, "postcode": "59000", "city": "Lille", "country": "FRA" },
        "professional_email": "oriane.fictif@example.com" })).await;
    assert_eq!(driver.status, 201, "{:?}", driver.body_json());
    let driver_id = driver.body_json()["driver_id"]
        .as_str()
        .unwrap()
        .to_string();

    // A notice arrives and the driver is designated from the base.
    let fleet = w.seed_fleet(1).await;
    let notices = generate_notices(&fleet, &batch(1, unique_number()));
    let file = notice_file("SIM-OUBLI", chrono::Utc::now(), &notices);
    w.drop_file(&file.name, file.bytes).await;
    w.run_ingest().await;
    let number = notices[0].notice_number.clone();
    let path = format!("/notices/{number}/answer");
    let given = call(
        &api,
        &admin,
        "PUT",
        &path,
        json!({ "designation": { "driver_id": driver_id } }),
    )
    .await;
    assert_eq!(given.status, 200, "{:?}", given.body_json());

    // The table holds the driver sealed only; the outbound file for ANTAI
    // names it in the clear, as the exchange requires.
    let needles = [LAST_NAME, STREET];
    let sent = send_after_grace_window(&w).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    let before = readable_copies(&w, &needles).await;
    assert_eq!(
        before,
        vec![format!(
            "s3://{}/{}?versionId={:?}",
            w.bucket,
            sent[0].file_key,
            before_version(&w, &sent[0].file_key).await
        )],
        "only the outbound file names the driver"
    );

    // Erasure is refused while the answer waits for ANTAI's acknowledgement.
    let erase = json!({ "right": "erasure", "subject": { "type": "driver", "id": driver_id } });
    let early = call(&api, &admin, "POST", "/privacy/requests", erase.clone()).await;
    assert_eq!(early.status, 409, "{:?}", early.body_json());

    acknowledge_outbound(&w.aws, &w.bucket, &sent[0].file_key, 0.0, 3)
        .await
        .unwrap();
    w.run_ingest().await;
    let storage = w.storage();
    assert_eq!(
        storage.load_notice(&number).await.unwrap().unwrap().status,
        NoticeStatus::Acknowledged
    );

    let access = call(
        &api,
        &admin,
        "POST",
        "/privacy/requests",
        json!({ "right": "access", "subject": { "type": "driver", "id": driver_id } }),
    )
    .await;
    assert_eq!(access.status, 201, "{:?}", access.body_json());
    assert_eq!(
        access.body_json()["data"]["designations"][0]["answer"]["designated_as"]["last_name"],
        LAST_NAME
    );

    let erased = call(&api, &admin, "POST", "/privacy/requests", erase).await;
    assert_eq!(erased.status, 201, "{:?}", erased.body_json());
    assert_eq!(
        erased.body_json()["request"]["details"]["outbound_files_deleted"],
        json!([sent[0].file_key])
    );

    let left = readable_copies(&w, &needles).await;
    assert!(left.is_empty(), "still readable after erasure: {left:?}");
    // The sealed designation is still in the table (as in any backup), but
    // its key is gone: the answer reads as erased, its proof intact.
    let raw = w.raw_storage().load_notice(&number).await.unwrap().unwrap();
    assert!(raw.answer.as_ref().unwrap().sealed.is_some());
    let proof = call(&api, &admin, "GET", &path, serde_json::Value::Null)
        .await
        .body_json();
    assert_eq!(proof["answer"]["state"], "ACKNOWLEDGED");
    assert_eq!(proof["answer"]["body"]["last_name"], "[effacé]");
    let history = proof["answer"]["history"].to_string();
    assert!(
        history.contains("\"acknowledged\"") && history.contains(&sent[0].file_key),
        "{history}"
    );
    // The register has both requests, and no personal data.
    let register = call(
        &api,
        &admin,
        "GET",
        "/privacy/requests",
        serde_json::Value::Null,
    )
    .await;
    let text = String::from_utf8_lossy(&register.body).to_string();
    assert_eq!(
        register.body_json()["requests"].as_array().unwrap().len(),
        3
    );
    assert!(!text.contains(LAST_NAME) && !text.contains(STREET));
}

/// The outbound job as its schedule runs it once the 4-hour window ended.
async fn send_after_grace_window(w: &World) -> Vec<answer_jobs::BatchReport> {
    let later = chrono::Utc::now() + chrono::Duration::hours(5);
    send_due_answers(&w.aws, &w.config.table_name, &w.bucket, later)
        .await
        .unwrap()
}

/// The version id S3 gave the object (the scan reports it).
async fn before_version(w: &World, key: &str) -> Option<String> {
    w.aws
        .s3()
        .head_object()
        .bucket(&w.bucket)
        .key(key)
        .send()
        .await
        .unwrap()
        .version_id()
        .map(str::to_string)
}

/// The typed-in driver of a purged notice: the notice leaves by TTL, the
/// purge erases its designee key and the outbound file that carried only
/// it; nothing readable of the driver is left anywhere.
#[tokio::test]
async fn a_purged_notice_leaves_its_typed_in_driver_unreadable_everywhere() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let tenant = w.tenant.as_str();
    w.create_tenant("Purge Fictive SAS").await;
    w.add_designation_user("designer").await;
    let claims = w.claims_of("designer");
    let api = w.api();
    let fleet = w.seed_fleet(1).await;
    let notices = generate_notices(&fleet, &batch(1, unique_number()));
    let file = notice_file("SIM-PURGE", chrono::Utc::now(), &notices);
    w.drop_file(&file.name, file.bytes).await;
    w.run_ingest().await;
    let number = notices[0].notice_number.clone();
    const TYPED: &str = "Purgeable-Fictif";
    const TYPED_STREET: &str = "8 sentier de l'Expiration";
    let typed = json!({ "designation": { "driver": {
        "last_name": TYPED, "first_name": "Maël",
        "address": { "line1": TYPED_STREET, "line2": null, "postcode": "35000", "city": "Rennes", "country": "FRA" },
        "personal_email": null, "professional_email": null } } });
    let given = call(
        &api,
        &claims,
        "PUT",
        &format!("/notices/{number}/answer"),
        typed,
    )
    .await;
    assert_eq!(given.status, 200, "{:?}", given.body_json());
    let sent = send_after_grace_window(&w).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    acknowledge_outbound(&w.aws, &w.bucket, &sent[0].file_key, 0.0, 5)
        .await
        .unwrap();
    w.run_ingest().await;
    let needles = [TYPED, TYPED_STREET];
    assert_eq!(
        readable_copies(&w, &needles).await.len(),
        1,
        "the outbound file only"
    );

    // The notice's archive period ends: DynamoDB's TTL removes it and the
    // stream hands its old image to the purge.
    let removal = crate::purge::expire(
        &w,
        &designa::table::keys::notice(&number),
        designa::table::keys::NOTICE_SK,
        "900",
    )
    .await;
    let report = crate::purge::purge(&w)
        .handle_event(crate::purge::batch(&[removal]))
        .await;
    assert_eq!(report.purged, 1, "{report:?}");

    let left = readable_copies(&w, &needles).await;
    assert!(left.is_empty(), "still readable after the purge: {left:?}");
    let subject = designa::privacy::Subject::designee(&tenant.into(), &number);
    use designa::privacy::KeyVault;
    assert!(
        w.vault.key(&subject).await.unwrap().is_none(),
        "designee key erased"
    );
}
