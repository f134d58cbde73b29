//! Unit tests of the handler with in-memory adapters and a fixed clock.

use super::*;
use aws_lambda_events::event::sqs::SqsMessage;
use chrono::{NaiveDate, TimeZone};
use designa::domain::notice::{Offence, Scale};
use designa::domain::time::PARIS;
use designa::domain::Plate;
use designa::exchange::write_file;
use designa::memory::{FixedClock, MemoryBlobStore, MemoryMailer, MemoryQueue, MemoryStorage};
use designa::ports::{FleetStore, NoticeStore, RecordStore, TenantStore};
use designa::store::Vehicle;

const BUCKET: &str = "exchange";

type TestIngest = Ingest<MemoryBlobStore, MemoryStorage, MemoryQueue, FixedClock, MemoryMailer>;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn handler() -> TestIngest {
    let h = Ingest {
        blobs: MemoryBlobStore::default(),
        storage: MemoryStorage::default(),
        queue: MemoryQueue::default(),
        clock: FixedClock::at(now()),
        mailer: MemoryMailer::default(),
        config: Config::for_tests(),
    };
    fleet(&h.storage).await;
    h
}

/// Acme's Lyon van and Paris car, and Globex's car until 31 October.
async fn fleet(storage: &impl FleetStore) {
    let fleet = [
        ("acme", "acme-lyon", "AB-123-CD", day(2025, 1, 1), None),
        ("acme", "acme-paris", "123 ABC 75", day(2025, 1, 1), None),
        (
            "globex",
            "globex-hq",
            "EF-456-GH",
            day(2025, 1, 1),
            Some(day(2026, 10, 31)),
        ),
    ];
    for (tenant, entity, plate, entry, exit) in fleet {
        storage
            .put_vehicle(
                &Vehicle {
                    tenant_id: tenant.into(),
                    entity_id: entity.into(),
                    vehicle_id: format!("{tenant}-{plate}"),
                    plate: Plate::parse(plate, "FRA").unwrap(),
                    make: "RENAULT".into(),
                    model: "KANGOO".into(),
                    entry_on: entry,
                    exit_on: exit,
                    pool: false,
                    removed_on: None,
                },
                now(),
            )
            .await
            .unwrap()
            .expect("the plate is free");
    }
}

fn notice(number: &str, plate: &str, offence: (u32, u32, u32)) -> Notice {
    Notice {
        notice_number: number.into(),
        plate: Plate::parse(plate, "FRA").unwrap(),
        make: "RENAULT".into(),
        model: "KANGOO".into(),
        offence_at: PARIS
            .with_ymd_and_hms(2026, offence.0, offence.1, offence.2, 30, 0)
            .unwrap(),
        offence: Offence {
            natinf_code: 11300,
            label: "EXCES DE VITESSE INFERIEUR A 20 KM/H".into(),
        },
        scale: Scale {
            class: 4,
            fixed_amount_cents: 13500,
            reduced_amount_cents: Some(9000),
            points: Some(1),
        },
        issued_on: day(2026, 11, 16),
    }
}

/// Five notices: two for acme (two entities), one for globex before its exit,
/// one after globex's exit, one for an unknown plate.
fn standard_notices() -> Vec<Notice> {
    vec![
        notice("7000000001", "AB-123-CD", (11, 2, 8)),
        notice("7000000002", "123 ABC 75", (11, 3, 9)),
        notice("7000000003", "EF-456-GH", (10, 30, 17)),
        notice("7000000004", "EF-456-GH", (11, 4, 10)),
        notice("7000000005", "ZZ-999-ZZ", (11, 5, 11)),
    ]
}

fn drop_file(h: &TestIngest, name: &str, bytes: Vec<u8>) -> InboundObject {
    let key = format!("inbound/{name}");
    h.blobs.insert(BUCKET, &key, bytes);
    InboundObject {
        bucket: BUCKET.into(),
        key,
        version: "v1".into(),
    }
}

fn file(notices: &[Notice]) -> Vec<u8> {
    write_file("ANTAI-000001", now(), notices)
}

fn processed(outcome: Outcome) -> FileReport {
    match outcome {
        Outcome::Processed(r) => *r,
        other => panic!("expected processed, got {other:?}"),
    }
}

fn quarantined(outcome: Outcome) -> FileReport {
    match outcome {
        Outcome::Quarantined(r) => *r,
        other => panic!("expected quarantined, got {other:?}"),
    }
}

#[tokio::test]
async fn notices_are_routed_to_the_fleet_that_held_the_plate() {
    let h = handler().await;
    let obj = drop_file(&h, "a.txt", file(&standard_notices()));
    let report = processed(h.ingest_object(&obj).await.unwrap());

    assert_eq!(
        report.counts,
        FileCounts {
            read: 5,
            routed: 3,
            unrouted: 2,
            rejected: 0,
            duplicate: 0
        }
    );
    let stored = h.storage.notices();
    let owners: Vec<(&str, &str, &str)> = stored
        .iter()
        .map(|n| {
            (
                n.notice.notice_number.as_str(),
                n.tenant_id.0.as_str(),
                n.entity_id.0.as_str(),
            )
        })
        .collect();
    assert_eq!(
        owners,
        vec![
            ("7000000001", "acme", "acme-lyon"),
            ("7000000002", "acme", "acme-paris"),
            ("7000000003", "globex", "globex-hq")
        ]
    );
    assert!(stored
        .iter()
        .all(|n| n.status == NoticeStatus::Open && n.deadline == day(2026, 12, 31)));
    let reasons: Vec<_> = report.unrouted.iter().map(|u| (u.line, u.reason)).collect();
    assert_eq!(
        reasons,
        vec![
            (5, designa::domain::UnroutedReason::OffenceAfterExit),
            (6, designa::domain::UnroutedReason::UnknownPlate)
        ]
    );
    assert_eq!(h.storage.unrouted().len(), 2);

    // One message per tenant and entity, without personal data.
    let messages = h.queue.bodies();
    assert_eq!(messages.len(), 3);
    assert!(messages
        .iter()
        .all(|m| m["type"] == "NOTICES_RECEIVED" && m["notice_count"] == 1));
    assert_eq!(messages[0]["tenant_id"], "acme");
    assert_eq!(messages[0]["earliest_deadline"], "2026-12-31");

    // The report is stored beside the inbound file.
    let stored_report: serde_json::Value =
        serde_json::from_slice(&h.blobs.get(BUCKET, "reports/a.txt.report.json").unwrap()).unwrap();
    assert_eq!(stored_report["counts"]["routed"], 3);
    assert_eq!(stored_report["status"], "PROCESSED");
    assert_eq!(
        h.storage.file_status(&obj.file_key()),
        Some(FileStatus::Processed)
    );
}

#[tokio::test]
async fn replaying_the_same_delivery_changes_nothing() {
    let h = handler().await;
    let obj = drop_file(&h, "a.txt", file(&standard_notices()));
    processed(h.ingest_object(&obj).await.unwrap());
    let notices = h.storage.notices();
    let messages = h.queue.bodies().len();
    for _ in 0..3 {
        assert!(matches!(
            h.ingest_object(&obj).await.unwrap(),
            Outcome::AlreadyDone(_)
        ));
    }
    assert_eq!(h.storage.notices(), notices);
    assert_eq!(h.queue.bodies().len(), messages);
}

#[tokio::test]
async fn the_same_notice_in_another_file_is_a_reported_duplicate() {
    let h = handler().await;
    let first = drop_file(&h, "a.txt", file(&standard_notices()));
    processed(h.ingest_object(&first).await.unwrap());
    let again = [
        standard_notices()[0].clone(),
        notice("7000000009", "AB-123-CD", (11, 6, 7)),
        standard_notices()[0].clone(),
    ];
    let second = drop_file(&h, "b.txt", write_file("ANTAI-000002", now(), &again));
    let report = processed(h.ingest_object(&second).await.unwrap());
    assert_eq!(report.counts.duplicate, 2);
    assert_eq!(report.counts.routed, 1);
    let dups: Vec<(usize, &str)> = report
        .duplicates
        .iter()
        .map(|d| (d.line, d.first_seen_in.as_str()))
        .collect();
    assert_eq!(dups, vec![(4, "this file"), (2, first.file_key().as_str())]);
    assert_eq!(h.storage.notices().len(), 4);
}

#[tokio::test]
async fn a_crash_before_the_end_is_taken_over_without_double_writes() {
    let h = handler().await;
    let obj = drop_file(&h, "a.txt", file(&standard_notices()));
    h.storage.fail_next("finish_file");
    assert!(h.ingest_object(&obj).await.is_err());
    assert_eq!(
        h.storage.notices().len(),
        3,
        "notices were written before the crash"
    );

    // While the lease runs, another delivery backs off.
    assert!(matches!(
        h.ingest_object(&obj).await,
        Err(IngestError::Busy { .. })
    ));
    // After it, the redelivery finishes the job; the notices are recognised as ours.
    h.clock.set(now() + chrono::Duration::minutes(6));
    let report = processed(h.ingest_object(&obj).await.unwrap());
    assert_eq!(report.counts.routed, 3);
    assert_eq!(report.counts.duplicate, 0);
    assert_eq!(h.storage.notices().len(), 3);
    // Notifications are at least once: the repeat carries the same idempotency key.
    let keys: HashSet<String> = h
        .queue
        .bodies()
        .iter()
        .map(|m| m["idempotency_key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys.len(), 3);
}

fn corrupt(bytes: Vec<u8>, f: impl Fn(String) -> String) -> Vec<u8> {
    f(String::from_utf8(bytes).unwrap()).into_bytes()
}

#[tokio::test]
async fn refused_files_are_quarantined_with_a_report_and_nothing_is_stored() {
    let good = file(&standard_notices());
    let latin1 = {
        let mut n = standard_notices();
        n[2].offence.label = "STATIONNEMENT GÊNANT".into();
        String::from_utf8(file(&n))
            .unwrap()
            .chars()
            .map(|c| c as u32 as u8)
            .collect::<Vec<u8>>()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "checksum.txt",
            corrupt(good.clone(), |t| t.replace("KANGOO", "MASTER")),
            "checksum mismatch",
        ),
        (
            "truncated.txt",
            good[..good.len() - 20].to_vec(),
            "line 7: bad trailer",
        ),
        (
            "no-trailer.txt",
            corrupt(good.clone(), |t| t[..t.rfind("FIN").unwrap()].to_string()),
            "truncated",
        ),
        ("latin1.txt", latin1, "line 4: not valid UTF-8"),
        (
            "version.txt",
            corrupt(good.clone(), |t| {
                t.replacen(";1;DEMANDES", ";7;DEMANDES", 1)
            }),
            "unknown format version 7",
        ),
        ("empty.txt", Vec::new(), "the file is empty"),
    ];
    for (name, bytes, expected) in cases {
        let h = handler().await;
        let obj = drop_file(&h, name, bytes.clone());
        let report = quarantined(h.ingest_object(&obj).await.unwrap());
        let message = &report.file_error.as_ref().unwrap().message;
        assert!(message.contains(expected), "{name}: {message}");
        assert!(h.storage.notices().is_empty(), "{name}");
        assert!(
            h.blobs.get(BUCKET, &obj.key).is_none(),
            "{name}: left in inbound"
        );
        assert_eq!(
            h.blobs.get(BUCKET, &format!("quarantine/{name}")).unwrap(),
            bytes,
            "{name}: kept intact"
        );
        let stored: serde_json::Value = serde_json::from_slice(
            &h.blobs
                .get(BUCKET, &format!("quarantine/{name}.report.json"))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(stored["status"], "QUARANTINED");
        assert_eq!(stored["file_error"]["message"], message.as_str());
        // A redelivery of the quarantined file is recognised.
        assert!(
            matches!(
                h.ingest_object(&obj).await.unwrap(),
                Outcome::AlreadyDone(_)
            ),
            "{name}"
        );
    }
}

#[tokio::test]
async fn garbage_lines_are_reported_and_good_lines_kept() {
    use sha2::{Digest, Sha256};
    let good = String::from_utf8(file(&standard_notices()[..2])).unwrap();
    let body = &good[..good.rfind("FIN;").unwrap()];
    let mut lines: Vec<String> = body.lines().map(str::to_string).collect();
    lines.insert(2, "\u{1}\u{2}garbage".into());
    lines.push(lines[1].replace("11300", "ONZE"));
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let sum = hex::encode(Sha256::digest(body.as_bytes()));
    let bytes = format!("{body}FIN;{};{sum}\n", lines.len() - 1).into_bytes();

    let h = handler().await;
    let obj = drop_file(&h, "garbage.txt", bytes);
    let report = processed(h.ingest_object(&obj).await.unwrap());
    assert_eq!(
        report.counts,
        FileCounts {
            read: 4,
            routed: 2,
            unrouted: 0,
            rejected: 2,
            duplicate: 0
        }
    );
    let rejected: Vec<(usize, Option<&str>)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.field.as_deref()))
        .collect();
    assert_eq!(rejected, vec![(3, None), (5, Some("codeNatinf"))]);
    assert_eq!(h.storage.notices().len(), 2);
}

fn sqs_message(id: &str, body: &str) -> SqsMessage {
    let mut m = SqsMessage::default();
    m.message_id = Some(id.into());
    m.body = Some(body.into());
    m
}

fn s3_event_body(key: &str) -> String {
    serde_json::json!({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-3",
        "eventTime": "2026-11-20T09:00:00.000Z", "eventName": "ObjectCreated:Put",
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "ingest",
               "bucket": {"name": BUCKET, "arn": "arn:aws:s3:::exchange"},
               "object": {"key": key, "size": 10, "eTag": "abc", "versionId": "v1", "sequencer": "01"}}
    }]})
    .to_string()
}

#[tokio::test]
async fn a_batch_reports_only_the_messages_that_failed() {
    let h = handler().await;
    drop_file(&h, "a b.txt", file(&standard_notices()));
    let mut event = SqsEvent::default();
    event.records = vec![
        sqs_message("good", &s3_event_body("inbound/a+b.txt")),
        sqs_message("poison", "this is not JSON"),
        sqs_message("missing", &s3_event_body("inbound/nothing-here.txt")),
        sqs_message(
            "test-event",
            r#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"exchange"}"#,
        ),
    ];
    let response = h.handle_event(event).await;
    let failed: Vec<&str> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert_eq!(failed, vec!["poison", "missing"]);
    assert_eq!(h.storage.notices().len(), 3);
}

#[test]
fn event_keys_are_url_decoded() {
    assert_eq!(
        decode_event_key("inbound/a+b%C3%A9.txt"),
        "inbound/a bé.txt"
    );
    assert_eq!(decode_event_key("inbound/100%"), "inbound/100%");
    assert_eq!(decode_event_key("inbound/%zz"), "inbound/%zz");
}

#[test]
fn the_sample_event_in_events_is_a_valid_ingest_trigger() {
    let text = include_str!("../../../events/ingest-sqs-event.json");
    let event: SqsEvent = serde_json::from_str(text).unwrap();
    let objects = objects_from_message(event.records[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(objects.len(), 1);
    assert!(objects[0].key.starts_with("inbound/DEMANDES_DESIGNATION_"));
    assert_eq!(objects[0].version, "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
}

// ---------------------------------------------------------------- acknowledgements

mod acknowledgements {
    use super::*;
    use designa::answering::{mark_sent, submit, Submission};
    use designa::domain::address::PostalAddress;
    use designa::domain::answer::{AnswerBody, AnswerEvent, AnswerState, DesignatedDriver};
    use designa::domain::tenant::TenantSettings;
    use designa::exchange::{AckOutcome, AckRecord};
    use designa::ports::AnswerStore;

    fn driver() -> DesignatedDriver {
        DesignatedDriver {
            last_name: "Fictif".into(),
            first_name: "Dominique".into(),
            address: PostalAddress {
                line1: "4 allée de l'Essai".into(),
                line2: None,
                postcode: "59000".into(),
                city: "Lille".into(),
                country: "FRA".into(),
            },
            personal_email: None,
            professional_email: Some("dominique.fictif@example.com".into()),
        }
    }

    /// A notice of acme whose designation went out in batch `B1`.
    pub(super) async fn sent_notice(storage: &impl NoticeStore, number: &str, notify_driver: bool) {
        let mut n = StoredNotice::routed(
            notice(number, "AB-123-CD", (11, 2, 8)),
            "acme".into(),
            "acme-lyon".into(),
            "acme-AB-123-CD".into(),
            now(),
            "inbound/f.txt".into(),
        );
        submit(
            &mut n,
            Submission {
                body: AnswerBody::Designation(driver()),
                driver_id: None,
                by: "u-manager".into(),
                notify_driver: Some(notify_driver),
            },
            &TenantSettings::default(),
            now(),
        )
        .unwrap();
        let a = n.answer.as_mut().unwrap();
        a.window_ends_at = now();
        a.batch_id = Some("B1".into());
        assert!(mark_sent(&mut n, "B1", "B1", "outbound/f.txt", now()));
        storage.put_notices(&[n]).await.unwrap();
    }

    pub(super) fn ack(number: &str, transmission: u32, outcome: AckOutcome) -> AckRecord {
        AckRecord {
            answer_id: format!("{number}-{transmission}"),
            notice_number: number.into(),
            outcome,
            processed_at: now(),
        }
    }

    pub(super) fn refused() -> AckOutcome {
        AckOutcome::Error {
            code: "E017".into(),
            field: Some("code_postal".into()),
            message: "Code postal inconnu".into(),
        }
    }

    /// Notice `number` is acknowledged after being in progress, and its
    /// driver, who asked to be told, got the one e-mail. Returns the notice.
    async fn assert_acknowledged_and_its_driver_told(h: &TestIngest, number: &str) -> StoredNotice {
        let n = h.storage.load_notice(number).await.unwrap().unwrap();
        assert_eq!(n.status, NoticeStatus::Acknowledged);
        let events: Vec<_> = n
            .answer
            .clone()
            .unwrap()
            .history
            .into_iter()
            .map(|h| h.event)
            .collect();
        assert!(matches!(
            events[events.len() - 3],
            AnswerEvent::InProgress { .. }
        ));
        assert!(matches!(
            events[events.len() - 2],
            AnswerEvent::Acknowledged { .. }
        ));
        assert_eq!(events[events.len() - 1], AnswerEvent::DriverTold);
        let mails = h.mailer.templated.lock().unwrap().clone();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].to, "dominique.fictif@example.com");
        assert_eq!(mails[0].template, "designa-test-driver-designated");
        assert_eq!(mails[0].data["plate"], "AB-123-CD");
        assert_eq!(mails[0].data["offence_date"], "02/11/2026");
        n
    }

    /// Notice `number`'s answer was refused: it is in error, and one
    /// notification without personal data tells its entity's users why.
    async fn assert_in_error_and_its_users_told(h: &TestIngest, number: &str) {
        let n = h.storage.load_notice(number).await.unwrap().unwrap();
        assert_eq!(n.status, NoticeStatus::AnswerInError);
        assert_eq!(n.answer.unwrap().state, AnswerState::InError);
        let refusals: Vec<_> = h
            .queue
            .bodies()
            .into_iter()
            .filter(|b| b["type"] == "ANSWER_REFUSED")
            .collect();
        assert_eq!(refusals.len(), 1);
        assert_eq!(refusals[0]["entity_id"], "acme-lyon");
        assert_eq!(refusals[0]["field"], "code_postal");
        assert_eq!(
            refusals[0]["idempotency_key"],
            format!("{number}-1|refused")
        );
        assert!(
            !refusals[0].to_string().contains("Fictif"),
            "notifications carry no personal data"
        );
    }

    #[tokio::test]
    async fn acknowledgements_update_answers_tell_users_of_refusals_and_drivers_of_success() {
        let h = handler().await;
        sent_notice(&h.storage, "7100000001", true).await;
        sent_notice(&h.storage, "7100000002", false).await;
        sent_notice(&h.storage, "7100000003", false).await;
        let records = [
            ack("7100000001", 1, AckOutcome::InProgress),
            ack("7100000001", 1, AckOutcome::Acknowledged),
            ack("7100000002", 1, refused()),
            ack("7100000003", 7, AckOutcome::Acknowledged),
            ack("7199999999", 1, AckOutcome::Acknowledged),
        ];
        let bytes = write_file("ANTAI-ACK-01", now(), &records);
        let object = drop_file(&h, "ACCUSES_RECEPTION_1.v1.txt", bytes);
        let report = processed(h.ingest_object(&object).await.unwrap());

        let counts = report.acknowledgements.clone().unwrap();
        assert_eq!(
            (counts.acknowledged, counts.refused, counts.in_progress),
            (1, 1, 1)
        );
        assert_eq!(counts.drivers_told, 1);
        let rejected: Vec<_> = report
            .rejected
            .iter()
            .map(|e| (e.line, e.field.clone().unwrap()))
            .collect();
        assert_eq!(
            rejected,
            [
                (5, "identifiantDesignation".into()),
                (6, "numero_aco".into())
            ],
            "an unknown answer and an unknown notice are reported by line"
        );

        let n1 = assert_acknowledged_and_its_driver_told(&h, "7100000001").await;
        assert_in_error_and_its_users_told(&h, "7100000002").await;
        assert_its_users_told_of_the_acknowledgement(&h).await;
        let answers = system_journal(&h).await;
        assert_answers_journaled_by_the_system(&answers);

        // The same file again (another delivery, a new version of the object):
        // nothing changes, no second driver e-mail.
        let again = InboundObject {
            version: "v2".into(),
            ..drop_file(
                &h,
                "ACCUSES_RECEPTION_1.v1.txt",
                write_file("ANTAI-ACK-01", now(), &records),
            )
        };
        let report = processed(h.ingest_object(&again).await.unwrap());
        assert_eq!(report.acknowledgements.unwrap().already_applied, 3);
        assert_eq!(h.mailer.templated.lock().unwrap().len(), 1);
        let n1_again = h.storage.load_notice("7100000001").await.unwrap().unwrap();
        assert_eq!(n1_again.version, n1.version, "no write on a repeated file");
        assert_eq!(
            system_journal(&h).await.len(),
            3,
            "nor a second journal entry"
        );
    }

    /// The acknowledgement is news for the entity's designation users too.
    async fn assert_its_users_told_of_the_acknowledgement(h: &TestIngest) {
        let acknowledged: Vec<_> = h
            .queue
            .bodies()
            .into_iter()
            .filter(|b| b["type"] == "ANSWER_ACKNOWLEDGED")
            .collect();
        assert_eq!(acknowledged.len(), 1, "{acknowledged:?}");
        assert_eq!(acknowledged[0]["notice_number"], "7100000001");
        assert_eq!(acknowledged[0]["entity_id"], "acme-lyon");
        assert_eq!(
            acknowledged[0]["idempotency_key"],
            "7100000001-1|acknowledged"
        );
        assert!(!acknowledged[0].to_string().contains("Fictif"));
    }

    /// The system actor's entries in acme's journal: action, target, request.
    async fn system_journal(h: &TestIngest) -> Vec<(String, String, String)> {
        let entries = designa::app::journal::entries(&h.storage, &"acme".into())
            .await
            .unwrap();
        entries
            .iter()
            .filter(|e| e.user_id == designa::app::journal::SYSTEM)
            .map(|e| (e.action.clone(), e.target.clone(), e.request_id.clone()))
            .collect()
    }

    /// The journal alone tells what ANTAI answered, by the system actor.
    fn assert_answers_journaled_by_the_system(answers: &[(String, String, String)]) {
        let actions: Vec<&str> = answers.iter().map(|(a, ..)| a.as_str()).collect();
        assert_eq!(actions.len(), 3, "{answers:?}");
        for expected in ["in_progress", "acknowledged", "refused"] {
            assert!(actions.contains(&expected), "{answers:?}");
        }
        assert!(answers.iter().any(|(a, t, r)| a == "acknowledged"
            && t == "answers:7100000001-1"
            && r.contains("ACCUSES_RECEPTION_1")));
    }

    #[tokio::test]
    async fn a_late_in_progress_does_not_undo_an_acknowledgement() {
        let h = handler().await;
        sent_notice(&h.storage, "7100000010", false).await;
        let bytes = write_file(
            "ANTAI-ACK-02",
            now(),
            &[
                ack("7100000010", 1, AckOutcome::Acknowledged),
                ack("7100000010", 1, AckOutcome::InProgress),
            ],
        );
        let object = drop_file(&h, "ACCUSES_RECEPTION_2.v1.txt", bytes);
        let report = processed(h.ingest_object(&object).await.unwrap());
        assert_eq!(report.acknowledgements.unwrap().stale, 1);
        let n = h.storage.load_notice("7100000010").await.unwrap().unwrap();
        assert_eq!(n.status, NoticeStatus::Acknowledged);
    }

    #[tokio::test]
    async fn a_damaged_acknowledgement_file_is_quarantined_with_its_reason() {
        let h = handler().await;
        let mut bytes = write_file(
            "ANTAI-ACK-03",
            now(),
            &[ack("7100000020", 1, AckOutcome::Acknowledged)],
        );
        bytes.truncate(bytes.len() - 20);
        let object = drop_file(&h, "ACCUSES_RECEPTION_3.v1.txt", bytes);
        match h.ingest_object(&object).await.unwrap() {
            Outcome::Quarantined(report) => {
                assert!(report.file_error.unwrap().message.contains("trailer"));
            }
            other => panic!("expected quarantine, got {other:?}"),
        }
    }
}

/// The driver of acme's Lyon entity whom automatic designation may name.
fn camille_of_lyon() -> designa::domain::driver::Driver {
    designa::domain::driver::Driver {
        tenant_id: "acme".into(),
        entity_id: "acme-lyon".into(),
        driver_id: "d-camille".into(),
        last_name: "Exemple".into(),
        first_name: "Camille".into(),
        address: designa::domain::address::PostalAddress {
            line1: "1 rue de l'Exemple".into(),
            line2: None,
            postcode: "69003".into(),
            city: "Lyon".into(),
            country: "FRA".into(),
        },
        personal_email: None,
        professional_email: None,
        restricted: false,
        objected: false,
    }
}

/// Acme opts in to automatic designation, with Camille among its drivers:
/// Camille had the Lyon van from October; the Paris car had two drivers at
/// once (Camille and another).
async fn acme_designating_automatically(storage: &(impl TenantStore + RecordStore)) {
    use designa::domain::assignment::Assignment;
    use designa::domain::tenant::{Tenant, TenantSettings};
    use designa::store::{Record, RecordKind};

    let settings = TenantSettings {
        auto_designation: true,
        ..TenantSettings::default()
    };
    storage
        .create_tenant(&Tenant {
            ended_on: None,
            tenant_id: "acme".into(),
            name: "Transports Exemple".into(),
            settings,
        })
        .await
        .unwrap();
    let tenant = "acme".into();
    storage
        .put_record(
            &tenant,
            RecordKind::Driver,
            &Record::new("d-camille", 1, &camille_of_lyon()),
            None,
        )
        .await
        .unwrap();
    let assignments = [
        ("a1", "acme-AB-123-CD", "d-camille"),
        ("a2", "acme-123 ABC 75", "d-camille"),
        ("a3", "acme-123 ABC 75", "d-other"),
    ];
    for (id, vehicle, driver_id) in assignments {
        let a = Assignment {
            assignment_id: id.into(),
            vehicle_id: vehicle.into(),
            driver_id: driver_id.into(),
            from: Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap(),
            until: None,
        };
        storage
            .put_record(
                &tenant,
                RecordKind::Assignment,
                &Record::new(id, 1, &a),
                None,
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn automatic_designation_prepares_the_answer_when_exactly_one_driver_had_the_vehicle() {
    let h = handler().await;
    acme_designating_automatically(&h.storage).await;
    let object = drop_file(&h, "auto.txt", file(&standard_notices()));
    let report = processed(h.ingest_object(&object).await.unwrap());
    assert_eq!(report.auto_designated, 1);
    let lyon = h.storage.load_notice("7000000001").await.unwrap().unwrap();
    assert_eq!(lyon.status, NoticeStatus::AnswerPending);
    let answer = lyon.answer.unwrap();
    assert_eq!(answer.answered_by, "automatic");
    assert_eq!(answer.driver_id.as_deref(), Some("d-camille"));
    assert_eq!(answer.window_ends_at, now() + chrono::Duration::hours(4));
    let paris = h.storage.load_notice("7000000002").await.unwrap().unwrap();
    assert_eq!(
        paris.status,
        NoticeStatus::Open,
        "two drivers: a suggestion, not a designation"
    );
    // Globex did not opt in.
    let globex = h.storage.load_notice("7000000003").await.unwrap().unwrap();
    assert_eq!(globex.status, NoticeStatus::Open);
}

/// A driver who objected (GDPR art. 21) is not designated automatically:
/// the notice stays open, for a manager to designate by hand.
#[tokio::test]
async fn a_driver_who_objected_is_not_designated_automatically() {
    use designa::store::{Record, RecordKind};
    let h = handler().await;
    acme_designating_automatically(&h.storage).await;
    let objected = designa::domain::driver::Driver {
        objected: true,
        ..camille_of_lyon()
    };
    h.storage
        .put_record(
            &"acme".into(),
            RecordKind::Driver,
            &Record::new("d-camille", 2, &objected),
            Some(1),
        )
        .await
        .unwrap();
    let object = drop_file(&h, "auto.txt", file(&standard_notices()));
    let report = processed(h.ingest_object(&object).await.unwrap());
    assert_eq!(report.auto_designated, 0);
    let lyon = h.storage.load_notice("7000000001").await.unwrap().unwrap();
    assert_eq!(lyon.status, NoticeStatus::Open);
}

/// The smart-exit grace is the holding tenant's setting: globex keeps the
/// plate's notices 10 days after its exit, not the stack's default 60.
#[tokio::test]
async fn the_holding_tenants_smart_exit_grace_decides() {
    use designa::domain::tenant::{Tenant, TenantSettings};
    let h = handler().await;
    let settings = TenantSettings {
        smart_exit_grace_days: 10,
        ..TenantSettings::default()
    };
    let globex = Tenant {
        ended_on: None,
        tenant_id: "globex".into(),
        name: "Globex fictive".into(),
        settings,
    };
    h.storage.create_tenant(&globex).await.unwrap();
    // Committed before the exit of 31 October, received on 20 November.
    let before_exit = notice("7000000003", "EF-456-GH", (10, 30, 17));
    let obj = drop_file(&h, "a.txt", file(&[before_exit]));
    let report = processed(h.ingest_object(&obj).await.unwrap());
    let reasons: Vec<_> = report.unrouted.iter().map(|u| u.reason).collect();
    assert_eq!(
        reasons,
        vec![designa::domain::UnroutedReason::ReceivedAfterGrace]
    );
    assert!(h.storage.notices().is_empty());
}

// Every call failing in turn, then the ingest queue's redeliveries.
mod fault_matrix;
