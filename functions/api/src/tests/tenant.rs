//! The tenant's settings: bounds checked field by field, the idle time the
//! web app signs out after shown to every user in `GET /me`.

use super::*;

fn settings(idle: Option<u32>) -> Value {
    json!({ "answer_grace_hours": 4, "smart_exit_grace_days": 60, "auto_designation": false,
            "session_idle_minutes": idle })
}

#[tokio::test]
async fn the_session_idle_time_is_a_tenant_setting_every_user_reads() {
    let (api, ..) = world().await;
    let me = call(&api, NORTH_MANAGER, "GET", "/me", Value::Null)
        .await
        .body_json();
    assert_eq!(
        me["tenant"]["session_idle_minutes"], 30,
        "30 minutes until a tenant chooses"
    );
    let refused = call(&api, ADMIN, "PUT", "/tenant/settings", settings(Some(2))).await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .body_json()
        .to_string()
        .contains("session_idle_minutes"));
    let forbidden = call(
        &api,
        NORTH_MANAGER,
        "PUT",
        "/tenant/settings",
        settings(Some(15)),
    )
    .await;
    assert_eq!(forbidden.status, 403);
    assert_eq!(
        call(&api, ADMIN, "PUT", "/tenant/settings", settings(Some(15)))
            .await
            .status,
        200
    );
    let me = call(&api, NORTH_MANAGER, "GET", "/me", Value::Null)
        .await
        .body_json();
    assert_eq!(me["tenant"]["session_idle_minutes"], 15);
    // Left out, the setting keeps its value.
    assert_eq!(
        call(&api, ADMIN, "PUT", "/tenant/settings", settings(None))
            .await
            .status,
        200
    );
    let tenant = call(&api, ADMIN, "GET", "/tenant", Value::Null)
        .await
        .body_json();
    assert_eq!(tenant["settings"]["session_idle_minutes"], 15);
}

/// A tenant that requires a second factor: its admin must have one to turn
/// it on; a user without one may read `/me` only, and gets a code the web
/// app understands; enrolled, they go on.
#[tokio::test]
async fn a_required_second_factor_holds_users_without_one_to_its_enrolment() {
    let (api, ..) = world().await;
    let mut body = settings(None);
    body["second_factor_required"] = json!(true);
    let refused = call(&api, ADMIN, "PUT", "/tenant/settings", body.clone()).await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.body_json()["error"]["fields"][0]["field"],
        "second_factor_required"
    );

    let factors = |email: &str| {
        api.identity
            .second_factors
            .lock()
            .unwrap()
            .insert(email.into())
    };
    factors("admin@acme.example");
    let turned_on = call(&api, ADMIN, "PUT", "/tenant/settings", body).await;
    assert_eq!(turned_on.status, 200, "{:?}", turned_on.body_json());
    assert_eq!(
        turned_on.body_json()["settings"]["second_factor_required"],
        true
    );

    let held = call(&api, NORTH_MANAGER, "GET", "/notices", Value::Null).await;
    assert_eq!(held.status, 403);
    assert_eq!(held.body_json()["error"]["code"], "second_factor_required");
    let me = call(&api, NORTH_MANAGER, "GET", "/me", Value::Null).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body_json()["tenant"]["second_factor_required"], true);
    factors("north@acme.example");
    assert_eq!(
        call(&api, NORTH_MANAGER, "GET", "/notices", Value::Null)
            .await
            .status,
        200
    );
}
