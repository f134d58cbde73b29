//! Fictional notices for the worker's tests and its benchmark: every
//! status, designations (with an obviously fictional driver, who must never
//! appear in an export), other answers, refusals and acknowledgements.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use designa::domain::address::PostalAddress;
use designa::domain::answer::{
    Answer, AnswerBody, AnswerEvent, AnswerHistoryEntry, AnswerState, DesignatedDriver, OtherAnswer,
};
use designa::domain::{Notice, NoticeStatus, Plate};
use designa::store::StoredNotice;

/// The designated driver of every fixture designation.
pub const DRIVER_LAST_NAME: &str = "Imaginaire";
pub const DRIVER_EMAIL: &str = "conducteur.imaginaire@example.com";

fn entry(number: &str, at: DateTime<Utc>, event: AnswerEvent) -> AnswerHistoryEntry {
    AnswerHistoryEntry {
        at,
        transmission_id: format!("{number}-1"),
        event,
    }
}

/// `count` notices of `tenant`, spread over `entities` and received over the
/// 360 days before `now`, in five kinds by `i % 5`: open, designated and
/// acknowledged, vehicle sold and sent, designation refused by ANTAI, gone
/// to paper. Numbers are `<prefix><i, 8 digits>`.
pub fn notices(
    prefix: &str,
    count: usize,
    tenant: &str,
    entities: &[&str],
    now: DateTime<Utc>,
) -> Vec<StoredNotice> {
    (0..count)
        .map(|i| {
            let number = format!("{prefix}{i:08}");
            let received_at = now - Duration::minutes(1 + (i as i64 * 7919) % (360 * 24 * 60));
            let issued_on: NaiveDate = (received_at - Duration::days(1)).date_naive();
            let plate = Plate::parse(&designa::domain::plate::sample_siv_plate(i), "FRA")
                .expect("sample plates parse");
            let mut n = StoredNotice::routed(
                Notice::sample(&number, plate, issued_on),
                tenant.into(),
                entities[i % entities.len()].into(),
                format!("v-{}", i % 500),
                received_at,
                "inbound/DEMANDES_DESIGNATION_FIXTURE.txt#1".into(),
            );
            let answered_at = received_at + Duration::hours(2);
            let (status, answer) = fate(i, issued_on, answered_at);
            n.status = status;
            n.answer = answer
                .map(|(body, state, events)| answer_of(&number, answered_at, body, state, events));
            n
        })
        .collect()
}

/// The fictional driver of every designation.
fn designation() -> AnswerBody {
    AnswerBody::Designation(DesignatedDriver {
        last_name: DRIVER_LAST_NAME.into(),
        first_name: "Claude".into(),
        address: PostalAddress {
            line1: "1 chemin de Nulle-Part".into(),
            line2: None,
            postcode: "99999".into(),
            city: "Fictiveville".into(),
            country: "FRA".into(),
        },
        personal_email: Some(DRIVER_EMAIL.into()),
        professional_email: None,
    })
}

type Answered = (AnswerBody, AnswerState, Vec<AnswerEvent>);

/// What became of the `i`-th notice: its status and, if answered, the
/// answer's body, state and events after its submission.
fn fate(
    i: usize,
    issued_on: NaiveDate,
    answered_at: DateTime<Utc>,
) -> (NoticeStatus, Option<Answered>) {
    let sent = |file: &str| AnswerEvent::Sent {
        file_id: file.into(),
        file_key: format!("outbound/{file}"),
    };
    let processed_at = answered_at + Duration::days(1);
    match i % 5 {
        0 => (NoticeStatus::Open, None),
        1 => (
            NoticeStatus::Acknowledged,
            Some((
                designation(),
                AnswerState::Acknowledged,
                vec![sent("F1"), AnswerEvent::Acknowledged { processed_at }],
            )),
        ),
        2 => (
            NoticeStatus::AnswerSent,
            Some((
                AnswerBody::Other(OtherAnswer::VehicleSold {
                    on: issued_on - chrono::Days::new(30),
                }),
                AnswerState::Sent,
                vec![sent("F2")],
            )),
        ),
        3 => (
            NoticeStatus::AnswerInError,
            Some((
                designation(),
                AnswerState::InError,
                vec![
                    sent("F3"),
                    AnswerEvent::Rejected {
                        processed_at,
                        code: "E07".into(),
                        field: Some("codePostal".into()),
                        label: "Code postal inconnu".into(),
                    },
                ],
            )),
        ),
        _ => (NoticeStatus::GoneToPaper, None),
    }
}

/// The answer, submitted at `answered_at`, then its events a day apart.
fn answer_of(
    number: &str,
    answered_at: DateTime<Utc>,
    body: AnswerBody,
    state: AnswerState,
    events: Vec<AnswerEvent>,
) -> Answer {
    let submitted = AnswerEvent::Submitted {
        by: "u-gestionnaire".into(),
        automatic: false,
    };
    let mut history = vec![entry(number, answered_at, submitted)];
    for (k, event) in events.into_iter().enumerate() {
        let at = answered_at + Duration::hours(5 + k as i64 * 24);
        history.push(entry(number, at, event));
    }
    Answer {
        body,
        driver_id: None,
        state,
        answered_by: "u-gestionnaire".into(),
        answered_at,
        window_ends_at: answered_at + Duration::hours(4),
        notify_driver: false,
        transmission: 1,
        batch_id: Some("b-fixture".into()),
        history,
        sealed: None,
    }
}
