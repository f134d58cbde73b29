//! Notification preferences: each user's own.

use super::*;

#[tokio::test]
async fn each_user_sets_their_own_notification_preferences() {
    let (api, ..) = world().await;
    let got = call(
        &api,
        NORTH_MANAGER,
        "GET",
        "/me/notification-preferences",
        Value::Null,
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(
        got.body_json()["preferences"]["new_notices"],
        "daily_digest"
    );
    assert_eq!(got.body_json()["version"], 0);
    let wanted = json!({ "new_notices": "never", "reminders": "weekly_digest",
        "deadline_approaching": "immediately", "answer_in_error": "daily_digest",
        "gone_to_paper": "weekly_digest", "answer_acknowledged": "never" });
    let put = call(
        &api,
        NORTH_MANAGER,
        "PUT",
        "/me/notification-preferences",
        wanted.clone(),
    )
    .await;
    assert_eq!(put.status, 200, "{:?}", put.body_json());
    let got = call(
        &api,
        NORTH_MANAGER,
        "GET",
        "/me/notification-preferences",
        Value::Null,
    )
    .await;
    assert_eq!(got.body_json()["preferences"], wanted);
    // An older client that knows only the first four kinds: the newer two take their defaults.
    let older = json!({ "new_notices": "never", "reminders": "weekly_digest",
        "deadline_approaching": "immediately", "answer_in_error": "daily_digest" });
    let put = call(
        &api,
        NORTH_MANAGER,
        "PUT",
        "/me/notification-preferences",
        older,
    )
    .await;
    assert_eq!(put.status, 200, "{:?}", put.body_json());
    assert_eq!(
        put.body_json()["preferences"]["gone_to_paper"],
        "immediately"
    );
    assert_eq!(
        put.body_json()["preferences"]["answer_acknowledged"],
        "daily_digest"
    );
    // Another user's preferences are untouched.
    let admin = call(
        &api,
        ADMIN,
        "GET",
        "/me/notification-preferences",
        Value::Null,
    )
    .await;
    assert_eq!(
        admin.body_json()["preferences"]["new_notices"],
        "daily_digest"
    );
    let bad = call(&api, NORTH_MANAGER, "PUT", "/me/notification-preferences",
        json!({ "new_notices": "hourly", "reminders": "never", "deadline_approaching": "never", "answer_in_error": "never" })).await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.body_json()["error"]["fields"][0]["field"],
        "new_notices"
    );
}
