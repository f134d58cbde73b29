//! Assignments: pool vehicles and overlaps.

use super::*;

#[tokio::test]
async fn pool_vehicles_take_several_drivers_and_others_refuse_overlaps() {
    let (api, north, ..) = world().await;
    let second = call(&api, ADMIN, "POST", "/drivers", json!({ "entity_id": north.entity, "last_name": "Petit", "first_name": "Jo",
        "address": { "line1": "4 rue Fictive", "line2": null, "postcode": "31000", "city": "Toulouse", "country": "FRA" } })).await;
    let second = second.body_json()["driver_id"]
        .as_str()
        .unwrap()
        .to_string();
    let overlap =
        json!({ "vehicle_id": north.vehicle, "driver_id": second, "from": "2026-11-01T00:00:00Z" });
    let refused = call(&api, ADMIN, "POST", "/assignments", overlap.clone()).await;
    assert_eq!(refused.status, 409);
    // The assignment in the way is given whole; the message names no id.
    let current = &refused.body_json()["error"]["current"];
    assert_eq!(current["vehicle_id"], north.vehicle.as_str());
    assert_eq!(current["driver_id"], north.driver.as_str());
    assert_eq!(current["assignment_id"], north.assignment.as_str());
    let id = north.assignment.as_str();
    assert!(!refused.body_json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains(id));
    let vehicle = call(
        &api,
        ADMIN,
        "GET",
        &format!("/vehicles/{}", north.vehicle),
        Value::Null,
    )
    .await
    .body_json();
    let mut input = json!({ "plate": vehicle["plate"]["normalized"], "make": "Renault", "model": "Clio",
        "entity_id": north.entity, "entry_on": "2026-01-01", "pool": true });
    let updated = call(
        &api,
        ADMIN,
        "PUT",
        &format!("/vehicles/{}", north.vehicle),
        input.clone(),
    )
    .await;
    assert_eq!(updated.status, 200, "{:?}", updated.body_json());
    assert_eq!(
        call(&api, ADMIN, "POST", "/assignments", overlap)
            .await
            .status,
        201
    );
    let who = call(
        &api,
        ADMIN,
        "GET",
        &format!("/vehicles/{}/drivers?at=2026-11-02T08:30", north.vehicle),
        Value::Null,
    )
    .await
    .body_json();
    assert_eq!(who["drivers"].as_array().unwrap().len(), 2);
    input["plate"] = json!("XX-111-XX");
    assert_eq!(
        call(
            &api,
            ADMIN,
            "PUT",
            &format!("/vehicles/{}", north.vehicle),
            input
        )
        .await
        .status,
        422
    );
}

/// A driver removed takes their assignments along: none is left to suggest
/// a driver who no longer exists.
#[tokio::test]
async fn removing_a_driver_removes_their_assignments() {
    let (api, north, ..) = world().await;
    let of_driver = format!("/assignments?driver_id={}", north.driver);
    let listed = || async {
        let body = call(&api, ADMIN, "GET", &of_driver, Value::Null)
            .await
            .body_json();
        body["assignments"].as_array().unwrap().len()
    };
    assert_eq!(listed().await, 1);
    let path = format!("/drivers/{}", north.driver);
    assert_eq!(
        call(&api, ADMIN, "DELETE", &path, Value::Null).await.status,
        204
    );
    assert_eq!(listed().await, 0);
    let path = format!("/assignments/{}", north.assignment);
    assert_eq!(
        call(&api, ADMIN, "GET", &path, Value::Null).await.status,
        404
    );
}
