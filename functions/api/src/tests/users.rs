//! Users: the invitation link, deactivation, reactivation and deletion.

use super::*;

#[tokio::test]
async fn invitation_link_sets_the_password_once() {
    let (api, north, ..) = world().await;
    let response = call(&api, NORTH_MANAGER, "POST", "/users", json!({
        "email": "Lea.Fictive@Example.com", "first_name": "Léa", "last_name": "Fictive",
        "grants": [ { "role": "designation", "scope": { "kind": "entities", "entities": [north.entity] } } ] })).await;
    assert_eq!(response.status, 201, "{:?}", response.body_json());
    let email = api.mailer.sent.lock().unwrap().last().cloned().unwrap();
    assert_eq!(email.to, "lea.fictive@example.com");
    assert_eq!(email.subject, "Votre accès à designa");
    assert!(email.text.contains("Bonjour Léa"));
    let link = email
        .text
        .lines()
        .find(|l| l.starts_with("https://"))
        .unwrap()
        .to_string();
    let token = link
        .strip_prefix("https://app.designa.example/invitation?token=")
        .unwrap();
    let accept = |password: &str| {
        let request = Call {
            method: "POST".into(),
            path: format!("/invitations/{token}"),
            body: serde_json::to_vec(&json!({ "password": password })).unwrap(),
            ..Default::default()
        };
        api.handle(request)
    };
    let weak = accept("short").await;
    assert_eq!(weak.status, 422);
    assert_eq!(weak.body_json()["error"]["fields"][0]["field"], "password");
    assert_eq!(accept("Un-Mot-De-Passe-7").await.status, 204);
    assert_eq!(
        api.identity.passwords.lock().unwrap()["lea.fictive@example.com"],
        "Un-Mot-De-Passe-7"
    );
    assert_eq!(
        accept("Un-Autre-Passe-8").await.status,
        404,
        "a link works once"
    );
    // An entity admin may not grant beyond its entities.
    let response = call(
        &api,
        NORTH_MANAGER,
        "POST",
        "/users",
        json!({
        "email": "x@example.com", "first_name": "X", "last_name": "Y",
        "grants": [ { "role": "admin", "scope": { "kind": "all_entities" } } ] }),
    )
    .await;
    assert_eq!(response.status, 403);
}

#[tokio::test]
async fn users_are_deactivated_reactivated_and_deleted() {
    let (api, north, ..) = world().await;
    let path = format!("/users/{}/deactivate", north.user);
    assert_eq!(
        call(&api, ADMIN, "POST", &path, Value::Null).await.status,
        200
    );
    let email = format!("dispatch-{}@example.com", north.notice).to_lowercase();
    assert!(api.identity.disabled.lock().unwrap().contains(&email));
    assert_eq!(
        call(&api, ("acme", &north.user), "GET", "/me", Value::Null)
            .await
            .status,
        403
    );
    assert_eq!(
        call(
            &api,
            ADMIN,
            "POST",
            &format!("/users/{}/reactivate", north.user),
            Value::Null
        )
        .await
        .status,
        200
    );
    assert_eq!(
        call(&api, ("acme", &north.user), "GET", "/me", Value::Null)
            .await
            .status,
        200
    );
    assert_eq!(
        call(&api, ADMIN, "POST", "/users/admin/deactivate", Value::Null)
            .await
            .status,
        403
    );
    assert_eq!(
        call(
            &api,
            ADMIN,
            "DELETE",
            &format!("/users/{}", north.user),
            Value::Null
        )
        .await
        .status,
        204
    );
    assert_eq!(
        call(
            &api,
            ADMIN,
            "GET",
            &format!("/users/{}", north.user),
            Value::Null
        )
        .await
        .status,
        404
    );
}

/// A holiday cover: a grant with a last day works through that day, then
/// stops; a last day already past is refused when the grant is given.
#[tokio::test]
async fn a_grant_with_an_end_date_stops_working_after_its_last_day() {
    let (api, north, ..) = world().await;
    let cover = Grant {
        until: NaiveDate::from_ymd_opt(2026, 11, 20),
        ..grant(Role::Designation, &[&north.entity])
    };
    add_user(&api, "acme", "cover", vec![cover]).await;
    let who = ("acme", "cover");
    let path = format!("/notices/{}", north.notice);
    assert_eq!(
        call(&api, who, "GET", &path, Value::Null).await.status,
        200,
        "its last day"
    );
    api.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).unwrap());
    // The day after: no grant in force, so the notice is out of sight and lists are refused.
    assert_eq!(call(&api, who, "GET", &path, Value::Null).await.status, 404);
    assert_eq!(
        call(&api, who, "GET", "/notices", Value::Null).await.status,
        403
    );

    let past = call(&api, ADMIN, "POST", "/users", json!({
        "email": "remplacant@example.com", "first_name": "Sam", "last_name": "Fictif",
        "grants": [{ "role": "designation", "scope": { "kind": "all_entities" }, "until": "2026-11-20" }] })).await;
    assert_eq!(past.status, 422);
    assert_eq!(
        past.body_json()["error"]["fields"][0]["field"],
        "grants[0].until"
    );
    let ahead = call(&api, ADMIN, "POST", "/users", json!({
        "email": "remplacant@example.com", "first_name": "Sam", "last_name": "Fictif",
        "grants": [{ "role": "designation", "scope": { "kind": "all_entities" }, "until": "2026-12-31" }] })).await;
    assert_eq!(ahead.status, 201, "{:?}", ahead.body_json());
    assert_eq!(ahead.body_json()["grants"][0]["until"], "2026-12-31");
}

/// The users' screen shows where each user stands: invited until they
/// choose their password, then active, deactivated; second factor or not.
#[tokio::test]
async fn each_user_shows_whether_invited_active_or_deactivated_and_their_second_factor() {
    let (api, north, ..) = world().await;
    let invited = call(&api, ADMIN, "POST", "/users", json!({
        "email": "sam.fictif@example.com", "first_name": "Sam", "last_name": "Fictif",
        "grants": [ { "role": "designation", "scope": { "kind": "entities", "entities": [north.entity] } } ] })).await;
    assert_eq!(invited.status, 201, "{:?}", invited.body_json());
    let (state, factor) = (
        invited.body_json()["state"].clone(),
        invited.body_json()["second_factor"].clone(),
    );
    assert_eq!((state, factor), (json!("invited"), json!(false)));
    let id = invited.body_json()["user_id"].as_str().unwrap().to_string();
    let path = format!("/users/{id}");
    let shown = || async {
        let user = call(&api, ADMIN, "GET", &path, Value::Null)
            .await
            .body_json();
        let state = user["state"].as_str().unwrap().to_string();
        (state, user["second_factor"].as_bool().unwrap())
    };
    // While invited, a new link may be sent; the first one still works until it expires.
    let resend = format!("/users/{id}/invitation");
    let sent_before = api.mailer.sent.lock().unwrap().len();
    assert_eq!(
        call(&api, ADMIN, "POST", &resend, Value::Null).await.status,
        200
    );
    let sent = api.mailer.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), sent_before + 1);
    assert!(sent.last().unwrap().text.contains("/invitation?token="));
    api.identity
        .passwords
        .lock()
        .unwrap()
        .insert("sam.fictif@example.com".into(), "Un-Mot-De-Passe-7".into());
    assert_eq!(shown().await, ("active".into(), false));
    let refused = call(&api, ADMIN, "POST", &resend, Value::Null).await;
    assert_eq!(
        refused.status, 409,
        "no invitation once the password is chosen"
    );
    api.identity
        .second_factors
        .lock()
        .unwrap()
        .insert("sam.fictif@example.com".into());
    assert_eq!(shown().await, ("active".into(), true));
    let listed = call(&api, ADMIN, "GET", "/users", Value::Null)
        .await
        .body_json();
    let sam = listed["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["user_id"] == id.as_str())
        .cloned();
    assert_eq!(
        sam.map(|u| (u["state"].clone(), u["second_factor"].clone())),
        Some((json!("active"), json!(true)))
    );
    let path = format!("/users/{id}/deactivate");
    assert_eq!(
        call(&api, ADMIN, "POST", &path, Value::Null).await.status,
        200
    );
    assert_eq!(shown().await, ("deactivated".into(), true));
}
