//! The trigger on in-memory ports, fed the sample event of `events/`.

use super::*;
use chrono::{TimeZone, Utc};
use designa::app::journal::entries;
use designa::memory::{FixedClock, MemoryStorage};

fn sample() -> PostAuthentication {
    let text = include_str!("../../../events/sign-in-post-authentication.json");
    serde_json::from_str(text).expect("the sample is Cognito's shape")
}

fn trigger() -> SignInJournal<MemoryStorage, FixedClock> {
    SignInJournal {
        storage: MemoryStorage::default(),
        clock: FixedClock::at(Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap()),
    }
}

#[tokio::test]
async fn a_sign_in_is_journaled_under_the_user_never_with_the_email_and_cognito_gets_its_event_back(
) {
    let t = trigger();
    let event = sample();
    let answer = t.handle(event.clone(), "req-sign-in").await.unwrap();
    assert_eq!(answer, event, "the trigger answers with the event");
    let journal = entries(&t.storage, &"transports-exemple".into())
        .await
        .unwrap();
    assert_eq!(journal.len(), 1);
    let entry = &journal[0];
    let sub = "5f2c0d8e-1111-4222-8333-444455556666";
    assert_eq!(
        (entry.user_id.as_str(), entry.action.as_str()),
        (sub, ACTION)
    );
    assert_eq!(entry.target, format!("user:{sub}"));
    assert_eq!(entry.request_id, "req-sign-in");
    assert_eq!(
        entry.at,
        Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap()
    );
    let stored = t.storage.everything_stored();
    assert!(
        !stored.contains("alex.fictif@example.com"),
        "no e-mail in the journal"
    );
    // Each sign-in is one more entry of the chain.
    t.handle(sample(), "req-again").await.unwrap();
    assert_eq!(
        entries(&t.storage, &"transports-exemple".into())
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn a_sign_in_that_cannot_be_journaled_fails_and_one_without_tenant_passes_unjournaled() {
    let t = trigger();
    t.storage.fail_next("put_record");
    assert!(
        t.handle(sample(), "req").await.is_err(),
        "no sign-in escapes the journal"
    );

    let mut stranger = sample();
    stranger.request.user_attributes.remove("custom:tenant_id");
    let t = trigger();
    assert_eq!(t.handle(stranger.clone(), "req").await.unwrap(), stranger);
    assert_eq!(t.storage.everything_stored(), "[[],[],[]]");
}
