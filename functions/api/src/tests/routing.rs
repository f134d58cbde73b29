//! The router itself: what no handler decides.

use super::*;
use crate::http::Resource;

fn error(reply: &Reply) -> (u16, String, String) {
    let body = reply.body_json();
    (
        reply.status,
        body["error"]["code"].as_str().unwrap_or_default().into(),
        body["error"]["message"].as_str().unwrap_or_default().into(),
    )
}

#[tokio::test]
async fn unknown_paths_are_404_and_other_methods_405_in_the_error_body() {
    let (api, ..) = world().await;
    let reply = call(&api, ADMIN, "GET", "/nowhere", Value::Null).await;
    assert_eq!(
        error(&reply),
        (404, "not_found".into(), Resource::Route.not_found())
    );
    let reply = call(&api, ADMIN, "PATCH", "/entities", Value::Null).await;
    assert_eq!(
        error(&reply),
        (
            405,
            "method_not_allowed".into(),
            "Cette adresse n'accepte pas cette méthode HTTP.".into()
        )
    );
}

#[tokio::test]
async fn a_trailing_slash_is_the_same_route() {
    let (api, ..) = world().await;
    let plain = call(&api, ADMIN, "GET", "/entities", Value::Null).await;
    let slashed = call(&api, ADMIN, "GET", "/entities/", Value::Null).await;
    assert_eq!(plain.status, 200);
    assert_eq!(slashed.status, 200);
    assert_eq!(plain.body_json(), slashed.body_json());
}

#[tokio::test]
async fn literal_segments_win_over_parameters() {
    let (api, ..) = world().await;
    let export = call(&api, ADMIN, "GET", "/drivers/export", Value::Null).await;
    assert_eq!(
        (export.status, export.content_type.as_str()),
        (200, http::XLSX)
    );
    let unknown = call(&api, ADMIN, "GET", "/drivers/d-unknown", Value::Null).await;
    assert_eq!(error(&unknown).2, Resource::Driver.not_found());
}

#[tokio::test]
async fn parameters_are_percent_decoded_and_200_characters_at_most() {
    let (api, ..) = world().await;
    let spaced = call(&api, ADMIN, "GET", "/notices/N%2001", Value::Null).await;
    assert_eq!(
        error(&spaced).2,
        Resource::Notice.not_found(),
        "decoded, then looked up"
    );
    let long = format!(
        "/notices/{}",
        "9".repeat(crate::extract::MAX_PARAMETER_LENGTH + 1)
    );
    let long = call(&api, ADMIN, "GET", &long, Value::Null).await;
    assert_eq!(error(&long).2, Resource::Route.not_found());
    let longest = format!(
        "/notices/{}",
        "9".repeat(crate::extract::MAX_PARAMETER_LENGTH)
    );
    let longest = call(&api, ADMIN, "GET", &longest, Value::Null).await;
    assert_eq!(error(&longest).2, Resource::Notice.not_found());
}

#[tokio::test]
async fn only_a_route_without_a_caller_answers_without_a_token() {
    let (api, ..) = world().await;
    let anonymous = |method: &str, path: &str| Call {
        method: method.into(),
        path: path.into(),
        content_type: Some("application/json".into()),
        body: br#"{"password":"Un-Mot-De-Passe-7"}"#.to_vec(),
        ..Default::default()
    };
    let invitation = api
        .handle(anonymous("POST", "/invitations/acme.unknown"))
        .await;
    assert_eq!(
        invitation.status,
        404,
        "reached the handler: {:?}",
        invitation.body_json()
    );
    for route in crate::router::all_routes() {
        if crate::router::public_routes().contains(&route) {
            continue;
        }
        let path = route.path.replace(['{', '}'], "");
        let reply = api.handle(anonymous(route.method, &path)).await;
        assert_eq!(
            reply.status, 401,
            "{} {} without a token",
            route.method, route.path
        );
    }
}

#[tokio::test]
async fn every_response_carries_its_request_id() {
    let (api, ..) = world().await;
    let reply = call(&api, ADMIN, "GET", "/me", Value::Null).await;
    assert_eq!(reply.header("x-request-id"), Some("req-test"));
    let generated = api
        .handle(Call {
            method: "GET".into(),
            path: "/me".into(),
            claims: Some(claims(ADMIN.0, ADMIN.1)),
            ..Default::default()
        })
        .await;
    assert_eq!(generated.status, 200);
    assert_eq!(
        generated.header("x-request-id").map(str::len),
        Some(36),
        "a UUID"
    );
}
