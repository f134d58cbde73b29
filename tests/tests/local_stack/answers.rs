//! The whole answer loop on the local stack: notice file → ingest →
//! designation through the API → outbound batch file → the simulator
//! refuses it → the refusal reaches the notifications queue → the user
//! corrects → the next batch resends → acknowledged → the driver is told
//! by an SES template e-mail.

use designa::domain::NoticeStatus;
use designa::exchange::{parse_bytes, AnswerRecord};
use designa::ports::{AnswerStore, NoticeStore};
use designa_integration_tests::world::{batch, call, unique_number, world};
use designa_integration_tests::{emulator_http, exclusive, recorded_ses_requests};
use designa_tools::answer_loop::{acknowledge_outbound, send_due_answers};
use designa_tools::simulator::{generate_notices, notice_file};
use serde_json::json;
use std::collections::HashMap;

fn typed_driver(postcode: &str) -> serde_json::Value {
    json!({ "designation": { "driver": {
        "last_name": "Fictif", "first_name": "Dominique",
        "address": { "line1": "4 allée de l'Essai", "line2": null, "postcode": postcode, "city": "Lille", "country": "FRA" },
        "personal_email": null, "professional_email": "dominique.fictif@example.com" } },
        "notify_driver": true })
}

#[tokio::test]
async fn a_designation_goes_out_is_refused_corrected_resent_and_acknowledged() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let storage = w.storage();
    w.create_tenant("Boucle Fictive SAS").await;
    w.add_designation_user("designer").await;
    let claims = w.claims_of("designer");

    // Two notices arrive for the fleet.
    let fleet = w.seed_fleet(2).await;
    let notices = generate_notices(&fleet, &batch(2, unique_number()));
    let file = notice_file("SIM-LOOP", chrono::Utc::now(), &notices);
    w.drop_file(&file.name, file.bytes).await;
    w.run_ingest().await;
    let numbers: Vec<String> = notices.iter().map(|n| n.notice_number.clone()).collect();
    for n in &numbers {
        assert_eq!(
            storage.notice(n).await.unwrap().unwrap().status,
            NoticeStatus::Open
        );
    }

    // The fleet manager answers both through the API.
    let api = w.api();
    let path = |n: &str| format!("/notices/{n}/answer");
    let first = call(
        &api,
        &claims,
        "PUT",
        &path(&numbers[0]),
        typed_driver("59999"),
    )
    .await;
    assert_eq!(first.status, 200, "{:?}", first.body_json());
    let other = json!({ "other": { "reason": "vehicle_unknown" } });
    let second = call(&api, &claims, "PUT", &path(&numbers[1]), other.clone()).await;
    assert_eq!(second.status, 200, "{:?}", second.body_json());

    // Before the window ends nothing leaves; after it, one file carries both.
    let now = chrono::Utc::now();
    let early = send_due_answers(&w.aws, &w.config.table_name, &w.bucket, now)
        .await
        .unwrap();
    assert!(early.is_empty(), "{early:?}");
    let later = now + chrono::Duration::hours(5);
    let sent = send_due_answers(&w.aws, &w.config.table_name, &w.bucket, later)
        .await
        .unwrap();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].answers, 2);
    for n in &numbers {
        assert_eq!(
            storage.load_notice(n).await.unwrap().unwrap().status,
            NoticeStatus::AnswerSent
        );
    }

    // ANTAI (the simulator) refuses every answer of that file.
    let (ack_key, ack_text) = acknowledge_outbound(&w.aws, &w.bucket, &sent[0].file_key, 1.0, 7)
        .await
        .unwrap();
    assert!(
        ack_key.starts_with("inbound/ACCUSES_RECEPTION_"),
        "{ack_key}"
    );
    assert_eq!(ack_text.matches("ERREUR").count(), 2, "{ack_text}");
    let (stats, _) = w.run_ingest().await;
    assert_eq!(stats.failed, 0);
    for n in &numbers {
        assert_eq!(
            storage.load_notice(n).await.unwrap().unwrap().status,
            NoticeStatus::AnswerInError
        );
    }
    let refusals: Vec<_> = w
        .notifications()
        .await
        .into_iter()
        .filter(|m| m["type"] == "ANSWER_REFUSED")
        .collect();
    assert_eq!(
        refusals.len(),
        2,
        "the designation users are told: {refusals:?}"
    );
    assert_eq!(refusals[0]["field"], "code_postal");

    // The user corrects; the corrections go out in the next batch.
    let corrected = call(
        &api,
        &claims,
        "PUT",
        &path(&numbers[0]),
        typed_driver("59000"),
    )
    .await;
    assert_eq!(corrected.status, 200, "{:?}", corrected.body_json());
    assert_eq!(
        corrected.body_json()["answer"]["transmission_id"],
        format!("{}-2", numbers[0])
    );
    assert_eq!(
        call(&api, &claims, "PUT", &path(&numbers[1]), other)
            .await
            .status,
        200
    );
    let resent = send_due_answers(
        &w.aws,
        &w.config.table_name,
        &w.bucket,
        later + chrono::Duration::hours(5),
    )
    .await
    .unwrap();
    assert_eq!(resent.len(), 1);
    assert_eq!(resent[0].answers, 2);

    // Acknowledged this time; the designated driver gets the template e-mail.
    emulator_http("POST", "/moto-api/recorder/reset-recording")
        .await
        .unwrap();
    emulator_http("POST", "/moto-api/recorder/start-recording")
        .await
        .unwrap();
    acknowledge_outbound(&w.aws, &w.bucket, &resent[0].file_key, 0.0, 7)
        .await
        .unwrap();
    let (stats, _) = w.run_ingest().await;
    emulator_http("POST", "/moto-api/recorder/stop-recording")
        .await
        .unwrap();
    assert_eq!(stats.failed, 0);
    for n in &numbers {
        assert_eq!(
            storage.load_notice(n).await.unwrap().unwrap().status,
            NoticeStatus::Acknowledged
        );
    }
    let emails = recorded_ses_requests("SendTemplatedEmail").await;
    assert_eq!(emails.len(), 1, "{emails:?}");
    assert_eq!(
        emails[0]["Destination.ToAddresses.member.1"],
        "dominique.fictif@example.com"
    );
    assert!(emails[0]["Template"].ends_with("-driver-acknowledged"));
    let data: serde_json::Value = serde_json::from_str(&emails[0]["TemplateData"]).unwrap();
    assert_eq!(data["notice_number"], numbers[0].as_str());
    assert_eq!(data["first_name"], "Dominique");

    // The whole history is kept, and the API shows it.
    let history = call(
        &api,
        &claims,
        "GET",
        &path(&numbers[0]),
        serde_json::Value::Null,
    )
    .await
    .body_json();
    let events: Vec<String> = history["answer"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{}:{}",
                h["transmission_id"]
                    .as_str()
                    .unwrap()
                    .rsplit('-')
                    .next()
                    .unwrap(),
                h["event"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            "1:submitted",
            "1:batched",
            "1:sent",
            "1:rejected",
            "2:submitted",
            "2:batched",
            "2:sent",
            "2:acknowledged",
            "2:driver_told"
        ]
    );

    // Each transmission is in exactly one outbound file.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for report in sent.iter().chain(&resent) {
        let bytes = w.object(&report.file_key).await.unwrap();
        for (_, r) in parse_bytes::<AnswerRecord>(&bytes).unwrap().records {
            *seen.entry(r.answer_id).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), 4);
    assert!(seen.values().all(|c| *c == 1), "{seen:?}");
}
