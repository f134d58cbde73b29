//! Deliveries per preference, digests and the reminder re-check, with a
//! controllable clock and in-memory ports.

use super::*;
use chrono::{NaiveDate, TimeZone};
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::notice::Notice;
use designa::domain::plate::Plate;
use designa::domain::{EntityId, NoticeStatus};
use designa::memory::{FixedClock, MemoryMailer, MemoryStorage};
use designa::notifications::ReminderStep;
use designa::ports::{NoticeStore, RecordStore, TenantStore};
use designa::store::StoredNotice;

type TestNotifier = Notifier<MemoryStorage, MemoryMailer, FixedClock>;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap()
}

fn grant(role: Role, entities: &[&str]) -> Grant {
    Grant {
        role,
        scope: if entities.is_empty() {
            Scope::AllEntities
        } else {
            Scope::Entities(entities.iter().map(|e| EntityId((*e).into())).collect())
        },
        until: None,
    }
}

async fn notifier() -> TestNotifier {
    let n = Notifier {
        storage: MemoryStorage::default(),
        mailer: MemoryMailer::default(),
        clock: FixedClock::at(now()),
        config: Config::for_tests(),
    };
    team(&n.storage).await;
    n
}

/// Acme's users: Lyon's and Paris's designation users, and an admin.
async fn team(storage: &impl TenantStore) {
    for (id, grants) in [
        ("lyon", vec![grant(Role::Designation, &["e-lyon"])]),
        ("paris", vec![grant(Role::Designation, &["e-paris"])]),
        ("boss", vec![grant(Role::Admin, &[])]),
    ] {
        storage
            .put_user(&User {
                tenant_id: "acme".into(),
                user_id: id.into(),
                email: format!("{id}@transports-exemple.example"),
                first_name: "Camille".into(),
                last_name: "Exemple".into(),
                active: true,
                grants,
                sealed: None,
            })
            .await
            .unwrap();
    }
}

async fn set_preferences(storage: &impl RecordStore, user: &str, preferences: Preferences) {
    storage
        .put_record(
            &"acme".into(),
            RecordKind::NotificationPreferences,
            &Record::new(user, 1, &preferences),
            None,
        )
        .await
        .unwrap();
}

fn refused(key: &str) -> Notification {
    Notification::AnswerRefused {
        idempotency_key: key.into(),
        tenant_id: "acme".into(),
        entity_id: "e-lyon".into(),
        notice_number: "7100000002".into(),
        transmission_id: "7100000002-1".into(),
        code: "E017".into(),
        field: Some("code_postal".into()),
        label: "Code postal inconnu".into(),
        deadline: NaiveDate::from_ymd_opt(2026, 12, 21).unwrap(),
    }
}

fn received(key: &str, count: usize) -> Notification {
    Notification::NoticesReceived {
        idempotency_key: key.into(),
        tenant_id: "acme".into(),
        entity_id: "e-lyon".into(),
        notice_count: count,
        earliest_deadline: NaiveDate::from_ymd_opt(2027, 1, 8).unwrap(),
        source_file: "exchange/inbound/f.txt#v1".into(),
    }
}

fn mailed_to(n: &TestNotifier) -> Vec<(String, String)> {
    n.mailer
        .templated
        .lock()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m.to.split('@').next().unwrap().to_string(),
                m.template.clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_refusal_goes_at_once_to_the_entitys_designation_users_once() {
    let n = notifier().await;
    let d = n.notify(&refused("N2-1|refused")).await.unwrap();
    assert_eq!((d.emailed, d.queued_for_digest), (2, 0));
    assert_eq!(
        mailed_to(&n),
        [
            ("boss".to_string(), "t-answer-refused".to_string()),
            ("lyon".to_string(), "t-answer-refused".to_string())
        ]
    );
    let data = n.mailer.templated.lock().unwrap()[0].data.clone();
    assert_eq!(data["code"], "E017");
    assert_eq!(data["deadline"], "21/12/2026");
    assert_eq!(data["first_name"], "Camille");
    // The same message again (SQS delivers at least once): no second e-mail.
    let again = n
        .handle_message(&serde_json::to_string(&refused("N2-1|refused")).unwrap())
        .await
        .unwrap();
    assert_eq!(again.emailed, 0);
    assert_eq!(mailed_to(&n).len(), 2);
}

#[tokio::test]
async fn never_means_never_and_digests_group_per_user() {
    let n = notifier().await;
    set_preferences(
        &n.storage,
        "boss",
        Preferences {
            answer_in_error: Delivery::Never,
            new_notices: Delivery::WeeklyDigest,
            ..Preferences::default()
        },
    )
    .await;
    n.notify(&refused("N2-1|refused")).await.unwrap();
    assert_eq!(
        mailed_to(&n),
        [("lyon".to_string(), "t-answer-refused".to_string())]
    );

    // New notices: lyon's default is the daily digest, boss chose weekly.
    n.notify(&received("f1|acme|e-lyon", 3)).await.unwrap();
    n.notify(&received("f2|acme|e-lyon", 2)).await.unwrap();
    n.notify(&received("f2|acme|e-lyon", 2)).await.unwrap();
    assert_eq!(mailed_to(&n).len(), 1, "nothing more is mailed at once");

    n.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 25, 6, 30, 0).unwrap());
    let daily = n.send_digests(DigestPeriod::Daily).await.unwrap();
    assert_eq!(daily.emailed, 1);
    let digest = n.mailer.templated.lock().unwrap().last().cloned().unwrap();
    assert_eq!(digest.to, "lyon@transports-exemple.example");
    assert_eq!(digest.template, "t-digest");
    assert_eq!(digest.data["count"], 2, "two events, the repeated one once");
    assert!(digest.data["items"][0]["line"]
        .as_str()
        .unwrap()
        .contains("3 nouvel(s) avis"));
    // The daily digest ran: nothing is left for it; the weekly one still waits.
    assert_eq!(
        n.send_digests(DigestPeriod::Daily).await.unwrap().emailed,
        0
    );
    let weekly = n.send_digests(DigestPeriod::Weekly).await.unwrap();
    assert_eq!(weekly.emailed, 1);
    let digest = n.mailer.templated.lock().unwrap().last().cloned().unwrap();
    assert_eq!(digest.to, "boss@transports-exemple.example");
    assert_eq!(digest.data["period"], "de la semaine");
}

async fn open_notice(storage: &impl NoticeStore, number: &str) {
    let notice = Notice::sample(
        number,
        Plate::parse("AB-123-CD", "FRA").unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
    );
    storage
        .put_notices(&[StoredNotice::routed(
            notice,
            "acme".into(),
            "e-lyon".into(),
            "v1".into(),
            now(),
            "inbound/f.txt".into(),
        )])
        .await
        .unwrap();
}

fn reminder(number: &str, step: ReminderStep) -> Notification {
    Notification::Reminder {
        idempotency_key: format!("{number}#{}", step.as_str()),
        tenant_id: "acme".into(),
        entity_id: "e-lyon".into(),
        notice_number: number.into(),
        plate: "AB-123-CD".into(),
        step,
        deadline: NaiveDate::from_ymd_opt(2026, 12, 17).unwrap(),
    }
}

async fn answer(n: &TestNotifier, number: &str) {
    let mut notice = n.storage.notice(number).await.unwrap().unwrap();
    notice.status = NoticeStatus::AnswerPending;
    n.storage.put_notices(&[notice]).await.unwrap();
}

#[tokio::test]
async fn reminders_are_dropped_once_the_notice_is_answered_at_once_or_at_digest_time() {
    let n = notifier().await;
    open_notice(&n.storage, "7300000001").await;
    open_notice(&n.storage, "7300000002").await;
    set_preferences(
        &n.storage,
        "lyon",
        Preferences {
            reminders: Delivery::DailyDigest,
            ..Preferences::default()
        },
    )
    .await;
    // Lyon gets the "still open" reminders in the digest; boss at once.
    n.notify(&reminder("7300000001", ReminderStep::StillOpen))
        .await
        .unwrap();
    n.notify(&reminder("7300000002", ReminderStep::StillOpen))
        .await
        .unwrap();
    assert_eq!(mailed_to(&n).len(), 2);
    assert_eq!(
        n.mailer.templated.lock().unwrap()[0].data["plate"],
        "AB-123-CD"
    );
    // One is answered before the digest: only the other is in it.
    answer(&n, "7300000001").await;
    n.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 25, 6, 30, 0).unwrap());
    n.send_digests(DigestPeriod::Daily).await.unwrap();
    let digest = n.mailer.templated.lock().unwrap().last().cloned().unwrap();
    assert_eq!(digest.data["count"], 1);
    assert!(digest.data["items"][0]["line"]
        .as_str()
        .unwrap()
        .contains("7300000002"));
    // A deadline reminder about an answered notice is not sent at all.
    let d = n
        .notify(&reminder("7300000001", ReminderStep::DeadlineIn2Days))
        .await
        .unwrap();
    assert_eq!((d.emailed, d.queued_for_digest), (0, 0));
}

/// A refused answer nobody corrected still awaits an answer: its deadline
/// reminder is mailed.
#[tokio::test]
async fn a_deadline_reminder_about_a_refused_answer_is_mailed() {
    let n = notifier().await;
    open_notice(&n.storage, "7300000003").await;
    let mut refused = n.storage.notice("7300000003").await.unwrap().unwrap();
    refused.status = NoticeStatus::AnswerInError;
    n.storage.put_notices(&[refused]).await.unwrap();
    let d = n
        .notify(&reminder("7300000003", ReminderStep::DeadlineIn2Days))
        .await
        .unwrap();
    assert!(d.emailed > 0, "{d:?}");
}

#[tokio::test]
async fn a_permanent_bounce_or_a_complaint_suppresses_the_address() {
    let n = notifier().await;
    let ses = serde_json::json!({ "eventType": "Bounce", "bounce": { "bounceType": "Permanent",
        "bouncedRecipients": [ { "emailAddress": "Lyon@Transports-Exemple.example" } ] } });
    let sns = serde_json::json!({ "Type": "Notification", "Message": ses.to_string() });
    n.handle_message(&sns.to_string()).await.unwrap();
    let transient = serde_json::json!({ "eventType": "Bounce", "bounce": { "bounceType": "Transient",
        "bouncedRecipients": [ { "emailAddress": "boss@transports-exemple.example" } ] } });
    n.handle_message(&transient.to_string()).await.unwrap();
    n.notify(&refused("N2-1|refused")).await.unwrap();
    assert_eq!(
        mailed_to(&n),
        [("boss".to_string(), "t-answer-refused".to_string())]
    );
    let complaint = serde_json::json!({ "notificationType": "Complaint", "complaint": {
        "complainedRecipients": [ { "emailAddress": "boss@transports-exemple.example" } ] } });
    n.handle_message(&complaint.to_string()).await.unwrap();
    n.notify(&refused("N9-1|refused")).await.unwrap();
    assert_eq!(mailed_to(&n).len(), 1, "both addresses are suppressed now");
}

#[tokio::test]
async fn an_unreadable_message_fails_alone_in_its_batch() {
    let n = notifier().await;
    let event: SqsEvent = serde_json::from_value(serde_json::json!({ "Records": [
        { "messageId": "good", "body": serde_json::to_string(&refused("N2-1|refused")).unwrap() },
        { "messageId": "bad", "body": "{\"what\": 1}" }
    ] }))
    .unwrap();
    let response = n.handle_event(event).await;
    let failed: Vec<_> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.clone())
        .collect();
    assert_eq!(failed, ["bad"]);
    assert_eq!(mailed_to(&n).len(), 2);
}

#[test]
fn the_digest_schedules_in_the_template_are_the_ones_named_here() {
    let template = include_str!("../../../template.yaml");
    assert!(template.contains(DAILY_DIGEST_SCHEDULE));
    assert!(template.contains(WEEKLY_DIGEST_SCHEDULE));
    let daily: NotifierEvent = serde_json::from_str(r#"{"digest": "daily"}"#).unwrap();
    assert!(matches!(
        daily,
        NotifierEvent::Digest(DigestRequest {
            digest: DigestPeriod::Daily
        })
    ));
}

#[tokio::test]
async fn the_sample_events_are_served() {
    let n = notifier().await;
    let batch: NotifierEvent =
        serde_json::from_str(include_str!("../../../events/notifier-sqs-event.json")).unwrap();
    let NotifierEvent::Queue(batch) = batch else {
        panic!("an SQS batch")
    };
    assert!(n.handle_event(batch).await.batch_item_failures.is_empty());
    let bounce: NotifierEvent =
        serde_json::from_str(include_str!("../../../events/notifier-ses-bounce.json")).unwrap();
    let NotifierEvent::Queue(bounce) = bounce else {
        panic!("an SQS batch")
    };
    assert!(n.handle_event(bounce).await.batch_item_failures.is_empty());
    assert!(
        is_suppressed(&n.storage, "inconnu@transports-exemple.example")
            .await
            .unwrap(),
        "the bounced address of the sample is suppressed"
    );
    let digest: NotifierEvent =
        serde_json::from_str(include_str!("../../../events/notifier-daily-digest.json")).unwrap();
    assert!(matches!(digest, NotifierEvent::Digest(_)));
}

fn gone_to_paper(number: &str) -> Notification {
    Notification::GoneToPaper {
        idempotency_key: format!("{number}|gone_to_paper"),
        tenant_id: "acme".into(),
        entity_id: "e-lyon".into(),
        notice_number: number.into(),
        plate: "AB-123-CD".into(),
        deadline: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
    }
}

fn acknowledged(number: &str) -> Notification {
    Notification::AnswerAcknowledged {
        idempotency_key: format!("{number}-1|acknowledged"),
        tenant_id: "acme".into(),
        entity_id: "e-lyon".into(),
        notice_number: number.into(),
        plate: "AB-123-CD".into(),
        acknowledged_on: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    }
}

/// By default a notice gone to paper is mailed at once ("surveillez le
/// courrier"), an acknowledgement goes in the daily digest.
#[tokio::test]
async fn gone_to_paper_is_mailed_at_once_and_an_acknowledgement_goes_in_the_digest() {
    let n = notifier().await;
    let d = n.notify(&gone_to_paper("7100000005")).await.unwrap();
    assert_eq!((d.emailed, d.queued_for_digest), (2, 0));
    let mails = n.mailer.templated.lock().unwrap().clone();
    assert!(mails.iter().all(|m| m.template == "t-gone-to-paper"));
    assert_eq!(mails[0].data["deadline"], "23/11/2026");
    assert_eq!(mails[0].data["plate"], "AB-123-CD");

    let d = n.notify(&acknowledged("7100000006")).await.unwrap();
    assert_eq!((d.emailed, d.queued_for_digest), (0, 2));
    n.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 25, 6, 30, 0).unwrap());
    assert_eq!(
        n.send_digests(DigestPeriod::Daily).await.unwrap().emailed,
        2
    );
    let digest = n.mailer.templated.lock().unwrap().last().cloned().unwrap();
    let line = digest.data["items"][0]["line"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        line.contains("7100000006") && line.contains("reçue par l'ANTAI le 24/11/2026"),
        "{line}"
    );
}

/// Preferences stored before the two newer kinds existed read with their defaults.
#[test]
fn preferences_stored_before_the_newer_kinds_read_with_their_defaults() {
    let stored = serde_json::json!({ "new_notices": "never", "reminders": "immediately",
        "deadline_approaching": "immediately", "answer_in_error": "weekly_digest" });
    let read: Preferences = serde_json::from_value(stored).unwrap();
    assert_eq!(read.new_notices, Delivery::Never);
    assert_eq!(read.gone_to_paper, Delivery::Immediately);
    assert_eq!(read.answer_acknowledged, Delivery::DailyDigest);
}

// Every call failing in turn, then the queues' redeliveries and the digest's retries.
mod fault_matrix;
