//! Reminder steps with a controllable clock: the most urgent one, never
//! twice, nothing after an answer or after paper.

use super::*;
use chrono::{Duration, NaiveDate, TimeZone};
use designa::answering::{go_to_paper, submit, Submission};
use designa::domain::answer::{AnswerBody, OtherAnswer};
use designa::domain::notice::Notice;
use designa::domain::plate::Plate;
use designa::domain::tenant::Tenant;
use designa::memory::{FixedClock, MemoryQueue, MemoryStorage};
use designa::ports::{NoticeStore, TenantStore};

type TestReminders = Reminders<MemoryStorage, MemoryQueue, FixedClock>;

fn issued_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
}

/// Received two days after issue; last day 17/12/2026.
fn received_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 4, 7, 0, 0).unwrap()
}

async fn reminders(numbers: &[&str]) -> TestReminders {
    let r = Reminders {
        storage: MemoryStorage::default(),
        queue: MemoryQueue::default(),
        clock: FixedClock::at(received_at()),
        config: Config {
            notifications_queue_url: "https://sqs.test/notifications".into(),
        },
    };
    r.storage
        .create_tenant(&Tenant {
            ended_on: None,
            tenant_id: "acme".into(),
            name: "Transports Exemple".into(),
            settings: TenantSettings {
                remind_open_after_days: 5,
                ..TenantSettings::default()
            },
        })
        .await
        .unwrap();
    let notices: Vec<StoredNotice> = numbers
        .iter()
        .map(|n| {
            StoredNotice::routed(
                Notice::sample(n, Plate::parse("AB-123-CD", "FRA").unwrap(), issued_on()),
                "acme".into(),
                "e-lyon".into(),
                "v1".into(),
                received_at(),
                "inbound/f.txt".into(),
            )
        })
        .collect();
    r.storage.put_notices(&notices).await.unwrap();
    r
}

/// 09:00 Paris on a day of November or December 2026.
fn morning(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 8, 0, 0).unwrap()
}

fn steps(report: &ReminderReport) -> Vec<ReminderStep> {
    report.sent.iter().map(|(_, s)| *s).collect()
}

#[tokio::test]
async fn each_step_comes_once_on_its_day() {
    let r = reminders(&["7400000001"]).await;
    let mut seen = Vec::new();
    let mut day = morning(11, 4);
    while day < morning(12, 20) {
        r.clock.set(day);
        let report = r.run().await.unwrap();
        for s in steps(&report) {
            seen.push((paris_date(day), s));
        }
        day += Duration::days(1);
    }
    let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    assert_eq!(
        seen,
        [
            (d(11, 9), ReminderStep::StillOpen),
            (d(12, 10), ReminderStep::DeadlineIn7Days),
            (d(12, 15), ReminderStep::DeadlineIn2Days),
        ],
        "still open after 5 days (tenant setting), then 7 and 2 days before 17/12, each once"
    );
    let bodies = r.queue.bodies();
    assert_eq!(bodies.len(), 3);
    assert_eq!(bodies[2]["type"], "REMINDER");
    assert_eq!(
        bodies[2]["idempotency_key"],
        "7400000001#deadline_in_2_days"
    );
    // Running twice the same day sends nothing more.
    r.clock.set(morning(12, 15));
    let again = r.run().await.unwrap();
    assert!(again.sent.is_empty());
    assert_eq!(again.already_sent, 1);
}

#[tokio::test]
async fn nothing_after_an_answer_or_after_paper() {
    let r = reminders(&["7400000002", "7400000003", "7400000004"]).await;
    // One answered, one gone to paper (forced here), one left open.
    let mut answered = r.storage.load_notice("7400000002").await.unwrap().unwrap();
    submit(
        &mut answered,
        Submission {
            body: AnswerBody::Other(OtherAnswer::VehicleUnknown),
            driver_id: None,
            by: "u-manager".into(),
            notify_driver: None,
        },
        &TenantSettings::default(),
        morning(11, 5),
    )
    .unwrap();
    let mut paper = r.storage.load_notice("7400000003").await.unwrap().unwrap();
    assert!(go_to_paper(&mut paper, morning(12, 19)));
    r.storage.put_notices(&[answered, paper]).await.unwrap();
    r.clock.set(morning(12, 16));
    let report = r.run().await.unwrap();
    assert_eq!(
        report.sent,
        [("7400000004".to_string(), ReminderStep::DeadlineIn2Days)]
    );
    // After the deadline nothing is reminded any more.
    r.clock.set(morning(12, 18));
    assert!(r.run().await.unwrap().sent.is_empty());
}

/// An answer ANTAI refused and nobody corrected goes to paper at the
/// deadline like an unanswered notice: its deadline reminders come (the
/// refusal itself was told when it arrived).
#[tokio::test]
async fn a_refused_answer_left_uncorrected_gets_its_deadline_reminders() {
    let r = reminders(&["7400000005"]).await;
    let mut refused = r.storage.load_notice("7400000005").await.unwrap().unwrap();
    refused.status = NoticeStatus::AnswerInError;
    r.storage.put_notices(&[refused]).await.unwrap();
    r.clock.set(morning(11, 10));
    assert!(
        r.run().await.unwrap().sent.is_empty(),
        "no 'still open' step"
    );
    r.clock.set(morning(12, 10));
    assert_eq!(
        steps(&r.run().await.unwrap()),
        [ReminderStep::DeadlineIn7Days]
    );
    r.clock.set(morning(12, 15));
    assert_eq!(
        steps(&r.run().await.unwrap()),
        [ReminderStep::DeadlineIn2Days]
    );
}

#[test]
fn the_template_schedules_the_reminders_daily() {
    assert!(include_str!("../../../template.yaml").contains(SCHEDULE));
}

#[test]
fn the_sample_event_is_the_schedules_input() {
    let event: serde_json::Value =
        serde_json::from_str(include_str!("../../../events/reminders-daily.json")).unwrap();
    assert_eq!(event, serde_json::json!({}));
    assert!(include_str!("../../../template.yaml").contains("Input: '{}'"));
}
