//! Isolation: every route, with another tenant's or an out-of-scope entity's
//! ids, answers 404 (or 403), and a token without a user is refused.

use super::*;

/// A path and body that name `ids`' resources, for each route.
fn route_call(method: &str, template: &str, ids: &Ids) -> (String, Value) {
    let path = template
        .replace("{entityId}", &ids.entity)
        .replace("{vehicleId}", &ids.vehicle)
        .replace("{driverId}", &ids.driver)
        .replace("{assignmentId}", &ids.assignment)
        .replace("{noticeNumber}", &ids.notice)
        .replace("{userId}", &ids.user)
        .replace("{importId}", &ids.import)
        .replace("{exportId}", &ids.export)
        .replace("{requestId}", &ids.privacy_request);
    let address = json!({ "line1": "3 rue Fictive", "line2": null, "postcode": "13001", "city": "Marseille", "country": "FRA" });
    let body = match (method, template) {
        ("POST" | "PUT", "/entities/{entityId}") => legal_entity("Renamed"),
        ("POST", "/vehicles") | ("PUT", "/vehicles/{vehicleId}") => json!({
            "plate": "ZZ-999-ZZ", "make": "Peugeot", "model": "208", "entity_id": ids.entity, "entry_on": "2026-02-01" }),
        ("POST", "/drivers") | ("PUT", "/drivers/{driverId}") => json!({
            "entity_id": ids.entity, "last_name": "Durand", "first_name": "Lou", "address": address }),
        ("POST", "/assignments") | ("PUT", "/assignments/{assignmentId}") => json!({
            "vehicle_id": ids.vehicle, "driver_id": ids.driver, "from": "2027-01-01T00:00:00Z" }),
        ("POST", "/users") => {
            json!({ "email": "new@example.com", "first_name": "Noa", "last_name": "Test",
            "grants": [ { "role": "fleet_management", "scope": { "kind": "entities", "entities": [ids.entity] } } ] })
        }
        ("PUT", "/notices/{noticeNumber}/answer") => {
            json!({ "designation": { "driver_id": ids.driver } })
        }
        ("POST", "/exports") => json!({ "entity_id": ids.entity, "format": "csv" }),
        ("POST", "/privacy/requests") => {
            json!({ "right": "access", "subject": { "type": "driver", "id": ids.driver } })
        }
        ("PUT", "/users/{userId}") => json!({ "first_name": "Noa", "last_name": "Test",
            "grants": [ { "role": "designation", "scope": { "kind": "entities", "entities": [ids.entity] } } ] }),
        _ => Value::Null,
    };
    (path, body)
}

/// Every route, called with another tenant's ids and with an out-of-scope
/// entity's ids, answers 404 or 403, and lists never show foreign data.
#[tokio::test]
async fn isolation_table_covers_every_route() {
    let (api, north, south, rival) = world().await;
    let mut checked = 0;
    let public = crate::router::public_routes();
    let routes = crate::router::all_routes();
    for route in routes.iter().filter(|r| !public.contains(r)) {
        for (who, others, label) in [
            (ADMIN, &rival, "another tenant"),
            (NORTH_MANAGER, &south, "an out-of-scope entity"),
        ] {
            assert_isolated(&api, who, route, others, label).await;
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * (routes.len() - public.len()));
    assert_own_data_still_answers(&api, &north).await;
}

/// A route called with `others`' ids is refused; one without ids in its path
/// (a list, an export) answers but shows none of `others`' ids or details.
async fn assert_isolated(
    api: &TestApi,
    who: (&str, &str),
    route: &crate::router::Route,
    others: &Ids,
    label: &str,
) {
    let (method, template) = (route.method, route.path.as_str());
    let (path, body) = route_call(method, template, others);
    let names_ids = template.contains('{') || !body.is_null();
    let response = call(api, who, method, &path, body).await;
    let text = if response.content_type.starts_with(http::XLSX) {
        workbook_text(&response.body)
    } else {
        String::from_utf8_lossy(&response.body).to_string()
    };
    if names_ids {
        assert!(
            [403, 404].contains(&response.status),
            "{method} {path} with {label}'s ids answered {} {text}",
            response.status
        );
        return;
    }
    assert!(
        response.status < 500,
        "{method} {path}: {} {text}",
        response.status
    );
    let shown = [others.plate.clone(), others.driver_email.clone()];
    for id in foreign_ids(others).into_iter().chain(shown) {
        assert!(
            !text.contains(&id),
            "{method} {path} as {who:?} shows {label}'s {id}"
        );
    }
}

fn foreign_ids(ids: &Ids) -> Vec<String> {
    vec![
        ids.entity.clone(),
        ids.vehicle.clone(),
        ids.driver.clone(),
        ids.assignment.clone(),
        ids.notice.clone(),
        ids.user.clone(),
        ids.import.clone(),
        ids.export.clone(),
        ids.privacy_request.clone(),
    ]
}

/// The callers' own data still answers, so the refusals above are isolation,
/// not breakage; the exports are read cell by cell.
async fn assert_own_data_still_answers(api: &TestApi, north: &Ids) {
    for template in ["/vehicles/{vehicleId}", "/notices/{noticeNumber}"] {
        let (path, _) = route_call("GET", template, north);
        let status = call(api, NORTH_MANAGER, "GET", &path, Value::Null)
            .await
            .status;
        assert_eq!(status, 200, "{path}");
    }
    let fleet = call(api, NORTH_MANAGER, "GET", "/fleet/export", Value::Null).await;
    assert!(workbook_text(&fleet.body).contains(&north.plate));
    let drivers = call(api, NORTH_MANAGER, "GET", "/drivers/export", Value::Null).await;
    assert!(workbook_text(&drivers.body).contains(&north.driver_email));
}

/// The text of every cell of a workbook answer: the fleet and drivers
/// exports hold plates, names and e-mails, never ids.
fn workbook_text(body: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(body)).expect("a workbook");
    let mut text = String::new();
    for name in workbook.sheet_names() {
        let sheet = workbook.worksheet_range(&name).expect("a sheet");
        for cell in sheet.rows().flatten() {
            text.push_str(&cell.to_string());
            text.push('\n');
        }
    }
    text
}

/// Every public route, called without a token, shows none of a tenant's
/// ids, plates or e-mails: the check of a certificate's code says what it
/// attests (the notice's number among it) and nothing else.
#[tokio::test]
async fn public_routes_show_nothing_of_a_tenants_data() {
    let (api, north, ..) = world().await;
    let code = super::certificates::issued_code(&api, &north).await;
    // The published spec is the same for everyone (its plate-format example
    // happens to be the fixture's plate): only the routes that read data.
    let routes = crate::router::public_routes()
        .into_iter()
        .filter(|route| route.path != "/openapi.json");
    for route in routes {
        let path = route
            .path
            .replace("{code}", &code)
            .replace("{token}", &format!("acme.{}", north.user));
        let body = if route.method == "POST" {
            serde_json::to_vec(&json!({ "password": "Un-Mot-De-Passe-1" })).unwrap()
        } else {
            Vec::new()
        };
        let call = Call {
            method: route.method.into(),
            path: path.clone(),
            content_type: Some("application/json".into()),
            body,
            ..Default::default()
        };
        let reply = api.handle(call).await;
        assert!(
            reply.status < 500,
            "{} {path}: {}",
            route.method,
            reply.status
        );
        let text = String::from_utf8_lossy(&reply.body);
        let ids = foreign_ids(&north)
            .into_iter()
            .filter(|id| id != &north.notice);
        for id in ids.chain([north.plate.clone(), north.driver_email.clone()]) {
            assert!(!text.contains(&id), "{} {path} shows {id}", route.method);
        }
    }
}

#[tokio::test]
async fn a_token_without_user_or_tenant_is_refused() {
    let (api, ..) = world().await;
    assert_eq!(
        call(&api, ("acme", "stranger"), "GET", "/me", Value::Null)
            .await
            .status,
        403
    );
    let mut request = Call {
        method: "GET".into(),
        path: "/me".into(),
        ..Default::default()
    };
    assert_eq!(api.handle(request.clone()).await.status, 401);
    request.claims = Some(json!({ "sub": "admin" }).as_object().unwrap().clone());
    assert_eq!(api.handle(request).await.status, 403);
    assert_eq!(
        call(&api, ADMIN, "GET", "/me", Value::Null).await.status,
        200
    );
}
