//! Notifications on the local stack: the ingest's "notices received"
//! message becomes an SES template e-mail at once for one user and a daily
//! digest for another; the reminder run queues a deadline reminder that is
//! mailed; an SES bounce (through the feedback queue) suppresses the address.

use designa::notifications::{Delivery, Preferences};
use designa::ports::{RecordStore, SystemClock};
use designa::store::{Record, RecordKind};
use designa_integration_tests::world::{batch, unique_number, world, World};
use designa_integration_tests::{emulator_http, exclusive, local_stack, recorded_ses_requests};
use designa_tools::runner::drain_queue;
use designa_tools::simulator::{generate_notices, notice_file};
use notifier::{DigestPeriod, Notifier};
use std::collections::HashMap;

fn notifier(
    w: &World,
) -> Notifier<designa::aws::SealedDynamoStorage, designa::aws::SesMailer, SystemClock> {
    let env = local_stack().function_env("NotificationFunction").unwrap();
    let var = |name: &str| env.get(name).unwrap().clone();
    Notifier {
        storage: w.storage(),
        mailer: designa::aws::SesMailer::new(w.aws.ses().clone(), var("SENDER_ADDRESS")),
        clock: SystemClock,
        config: notifier::Config {
            template_new_notices: var("TEMPLATE_NEW_NOTICES"),
            template_reminder: var("TEMPLATE_REMINDER"),
            template_deadline: var("TEMPLATE_DEADLINE"),
            template_answer_refused: var("TEMPLATE_ANSWER_REFUSED"),
            template_gone_to_paper: var("TEMPLATE_GONE_TO_PAPER"),
            template_answer_acknowledged: var("TEMPLATE_ANSWER_ACKNOWLEDGED"),
            template_digest: var("TEMPLATE_DIGEST"),
            app_url: var("APP_URL"),
        },
    }
}

async fn user(w: &World, id: &str, preferences: Preferences) -> String {
    let email = w.add_designation_user(id).await;
    w.storage()
        .put_record(
            &w.tenant.as_str().into(),
            RecordKind::NotificationPreferences,
            &Record::new(id, 1, &preferences),
            None,
        )
        .await
        .unwrap();
    email
}

async fn drain_notifications(
    w: &World,
    n: &Notifier<designa::aws::SealedDynamoStorage, designa::aws::SesMailer, SystemClock>,
) {
    let stats = drain_queue(w.aws.sqs(), &w.notifications_queue, 20, |e| {
        n.handle_event(e)
    })
    .await
    .unwrap();
    assert_eq!(stats.failed, 0);
}

/// (recipient, template suffix, template data) of the recorded SES template e-mails.
async fn templated_emails() -> Vec<(String, String, serde_json::Value)> {
    recorded_ses_requests("SendTemplatedEmail")
        .await
        .into_iter()
        .map(|f: HashMap<String, String>| {
            (
                f["Destination.ToAddresses.member.1"].clone(),
                f["Template"]
                    .rsplit("designa-local-")
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                serde_json::from_str(&f["TemplateData"]).unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn notices_received_are_mailed_at_once_or_in_the_digest_and_bounces_suppress() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    w.create_tenant("Notifications Fictives").await;
    let at_once = user(
        &w,
        "at-once",
        Preferences {
            new_notices: Delivery::Immediately,
            ..Preferences::default()
        },
    )
    .await;
    let digest = user(&w, "digest", Preferences::default()).await;
    let n = notifier(&w);
    emulator_http("POST", "/moto-api/recorder/reset-recording")
        .await
        .unwrap();
    emulator_http("POST", "/moto-api/recorder/start-recording")
        .await
        .unwrap();

    // Notices arrive: the ingest queues "notices received" per entity.
    let fleet = w.seed_fleet(2).await;
    let notices = generate_notices(&fleet, &batch(4, unique_number()));
    let file = notice_file("SIM-NOTIF", chrono::Utc::now(), &notices);
    w.drop_file(&file.name, file.bytes).await;
    w.run_ingest().await;
    drain_notifications(&w, &n).await;
    let mails = templated_emails().await;
    // seed_fleet puts even vehicles in e-north, odd ones in e-south.
    let entities: std::collections::BTreeSet<usize> = notices
        .iter()
        .map(|n| fleet.iter().position(|v| v.plate == n.plate).unwrap() % 2)
        .collect();
    let to_at_once: Vec<_> = mails.iter().filter(|m| m.0 == at_once).collect();
    assert_eq!(
        to_at_once.len(),
        entities.len(),
        "one e-mail per entity's message: {mails:?}"
    );
    assert!(to_at_once.iter().all(|m| m.1.ends_with("new-notices")));
    assert!(mails.iter().all(|m| m.0 != digest), "the digest user waits");

    // The daily digest groups the entities' arrivals into one e-mail.
    n.send_digests(DigestPeriod::Daily).await.unwrap();
    let mails = templated_emails().await;
    let digests: Vec<_> = mails.iter().filter(|m| m.0 == digest).collect();
    assert_eq!(digests.len(), 1, "{mails:?}");
    assert!(digests[0].1.ends_with("digest"));
    assert_eq!(digests[0].2["count"], entities.len());

    // SES reports a permanent bounce of the first address (SES → SNS → SQS).
    let bounce = serde_json::json!({ "eventType": "Bounce", "bounce": { "bounceType": "Permanent",
        "bouncedRecipients": [ { "emailAddress": at_once } ] } });
    let envelope = serde_json::json!({ "Type": "Notification", "Message": bounce.to_string() });
    let feedback_queue = local_stack().resource("EmailFeedbackQueue").unwrap();
    w.aws
        .sqs()
        .send_message()
        .queue_url(feedback_queue)
        .message_body(envelope.to_string())
        .send()
        .await
        .unwrap();
    let stats = drain_queue(w.aws.sqs(), feedback_queue, 5, |e| n.handle_event(e))
        .await
        .unwrap();
    assert_eq!(stats.failed, 0);

    // More notices: the bounced address is not mailed any more.
    let more = generate_notices(&fleet, &batch(2, unique_number()));
    let file = notice_file("SIM-NOTIF-2", chrono::Utc::now(), &more);
    w.drop_file(&file.name, file.bytes).await;
    w.run_ingest().await;
    drain_notifications(&w, &n).await;
    emulator_http("POST", "/moto-api/recorder/stop-recording")
        .await
        .unwrap();
    let mails = templated_emails().await;
    assert_eq!(
        mails.iter().filter(|m| m.0 == at_once).count(),
        entities.len(),
        "no e-mail after the bounce"
    );
    // And no e-mail carries a driver's personal data: only numbers, plates, dates.
    for (_, _, data) in &mails {
        assert!(!data.to_string().contains("Fictif"), "{data}");
    }
}

#[tokio::test]
async fn a_deadline_two_days_away_is_reminded_once_by_email() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    w.create_tenant("Rappels Fictifs").await;
    let email = user(&w, "reminded", Preferences::default()).await;
    let n = notifier(&w);
    let fleet = w.seed_fleet(1).await;
    // Issued 43 days ago: its last day is the day after tomorrow.
    let issued = batch(1, unique_number());
    let issued = designa_tools::simulator::NoticeBatch {
        issued_on: issued.issued_on - chrono::Days::new(42),
        ..issued
    };
    let notices = generate_notices(&fleet, &issued);
    let file = notice_file("SIM-REMIND", chrono::Utc::now(), &notices);
    w.drop_file(&file.name, file.bytes).await;
    w.run_ingest().await;
    drain_notifications(&w, &n).await;

    // The reminder run, today: two days before the last day.
    let reminders = reminders::Reminders {
        storage: w.storage(),
        queue: designa::aws::SqsQueue::new(w.aws.sqs().clone()),
        clock: SystemClock,
        config: reminders::Config {
            notifications_queue_url: w.notifications_queue.clone(),
        },
    };
    emulator_http("POST", "/moto-api/recorder/reset-recording")
        .await
        .unwrap();
    emulator_http("POST", "/moto-api/recorder/start-recording")
        .await
        .unwrap();
    let first = reminders.run().await.unwrap();
    assert!(first
        .sent
        .iter()
        .any(|(number, _)| *number == notices[0].notice_number));
    let second = reminders.run().await.unwrap();
    assert!(
        !second
            .sent
            .iter()
            .any(|(number, _)| *number == notices[0].notice_number),
        "never twice"
    );
    drain_notifications(&w, &n).await;
    emulator_http("POST", "/moto-api/recorder/stop-recording")
        .await
        .unwrap();
    let mails: Vec<_> = templated_emails()
        .await
        .into_iter()
        .filter(|m| m.0 == email)
        .collect();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].1.ends_with("deadline"));
    assert_eq!(
        mails[0].2["notice_number"],
        notices[0].notice_number.as_str()
    );
}
