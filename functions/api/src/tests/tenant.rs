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
