//! The fleet: one holder per plate and day, decided atomically; a removal
//! that keeps routing older offences through the smart-exit grace.

use super::*;
use designa::app::vehicles::plate_conflicts;
use designa::domain::{route_by_tenant, Route, RoutingPolicy};
use designa::ports::FleetStore;

fn new_vehicle(plate: &str, entity: &str, entry_on: &str) -> Value {
    json!({ "plate": plate, "make": "Peugeot", "model": "308", "entity_id": entity, "entry_on": entry_on })
}

async fn holdings(api: &TestApi, plate: &str) -> Vec<designa::domain::Holding> {
    let key = Plate::parse(plate, "FRA").unwrap().key();
    let mut all = api
        .storage
        .holdings(std::slice::from_ref(&key))
        .await
        .unwrap();
    all.remove(&key).unwrap_or_default()
}

/// Ten `POST /vehicles` of one plate at once, each call yielding between
/// its reads and writes as a network call does: one vehicle, nine 409s.
#[tokio::test]
async fn ten_concurrent_additions_of_one_plate_make_one_vehicle() {
    let (api, north, ..) = world().await;
    api.storage.inner.interleave_calls();
    let body = new_vehicle("GH-404-JK", &north.entity, "2026-11-01");
    let calls = (0..10).map(|_| call(&api, ADMIN, "POST", "/vehicles", body.clone()));
    let replies = futures::future::join_all(calls).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [201, 409].contains(s)),
        "{statuses:?}"
    );
    let listed = call(&api, ADMIN, "GET", "/vehicles?plate=GH404JK", Value::Null).await;
    assert_eq!(listed.body_json()["vehicles"].as_array().unwrap().len(), 1);
    assert_eq!(holdings(&api, "GH-404-JK").await.len(), 1);
}

#[tokio::test]
async fn a_second_vehicle_on_a_plate_of_the_fleet_is_refused_with_the_first() {
    let (api, north, south, _) = world().await;
    let twin = new_vehicle(&north.plate, &south.entity, "2026-06-01");
    let refused = call(&api, ADMIN, "POST", "/vehicles", twin).await;
    assert_eq!(refused.status, 409);
    let error = &refused.body_json()["error"];
    assert_eq!(error["current"]["vehicle_id"], north.vehicle.as_str());
    assert!(error["message"].as_str().unwrap().contains("AB-123-CD"));
}

/// Typing another customer's plate must not capture its notices.
#[tokio::test]
async fn a_plate_another_customer_holds_is_refused_without_naming_it() {
    let (api, north, _, rival) = world().await;
    let claim = new_vehicle(&north.plate, &rival.entity, "2026-11-15");
    let refused = call(&api, RIVAL, "POST", "/vehicles", claim).await;
    assert_eq!(refused.status, 409);
    let error = &refused.body_json()["error"];
    assert!(error.get("current").is_none(), "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("un autre client"), "{message}");
    for name in ["acme", "Transports Exemple", "Nord", &north.entity] {
        assert!(!message.contains(name), "{name} in {message}");
    }
    let held = holdings(&api, &north.plate).await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].tenant_id, TenantId("acme".into()));

    // The operators' list names both sides, once per plate, claimant and day.
    let again = new_vehicle(&north.plate, &rival.entity, "2026-11-16");
    assert_eq!(
        call(&api, RIVAL, "POST", "/vehicles", again).await.status,
        409
    );
    let conflicts = plate_conflicts(&*api.storage).await.unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].claimant, TenantId("rival".into()));
    assert_eq!(conflicts[0].holder, TenantId("acme".into()));
    assert_eq!(conflicts[0].plate, "AB-123-CD");
}

#[tokio::test]
async fn a_hand_over_works_once_the_first_holder_has_declared_the_exit() {
    let (api, north, _, rival) = world().await;
    let mut leaving = new_vehicle(&north.plate, &north.entity, "2026-01-01");
    leaving["make"] = json!("Renault");
    leaving["model"] = json!("Clio");
    leaving["exit_on"] = json!("2026-11-30");
    let path = format!("/vehicles/{}", north.vehicle);
    assert_eq!(call(&api, ADMIN, "PUT", &path, leaving).await.status, 200);
    let too_soon = new_vehicle(&north.plate, &rival.entity, "2026-11-29");
    assert_eq!(
        call(&api, RIVAL, "POST", "/vehicles", too_soon)
            .await
            .status,
        409
    );
    let next_day = new_vehicle(&north.plate, &rival.entity, "2026-12-01");
    assert_eq!(
        call(&api, RIVAL, "POST", "/vehicles", next_day)
            .await
            .status,
        201
    );
    // The first holder cannot take the plate back over the second's period.
    let mut back = new_vehicle(&north.plate, &north.entity, "2026-01-01");
    back["make"] = json!("Renault");
    back["model"] = json!("Clio");
    assert_eq!(call(&api, ADMIN, "PUT", &path, back).await.status, 409);
    assert_eq!(holdings(&api, &north.plate).await.len(), 2);
}

/// A removal leaves the fleet at once, is declared, and routes older
/// offences through the grace.
#[tokio::test]
async fn a_removed_vehicle_leaves_the_fleet_but_keeps_routing_older_offences() {
    let (api, north, _, rival) = world().await;
    let path = format!("/vehicles/{}", north.vehicle);
    assert_eq!(
        call(&api, ADMIN, "DELETE", &path, Value::Null).await.status,
        204
    );
    assert_eq!(
        call(&api, ADMIN, "GET", &path, Value::Null).await.status,
        404
    );
    let listed = call(&api, ADMIN, "GET", "/vehicles", Value::Null).await;
    assert!(!String::from_utf8_lossy(&listed.body).contains(&north.vehicle));
    assert_eq!(
        call(&api, ADMIN, "DELETE", &path, Value::Null).await.status,
        404
    );

    // Removed today (the clock's 20 November): declared as leaving that day.
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let changed = api.storage.vehicles_changed_since(None).await.unwrap();
    let (removed, _) = changed
        .iter()
        .find(|(v, _)| v.vehicle_id == north.vehicle)
        .expect("still there for the declaration");
    assert_eq!(
        (removed.exit_on, removed.removed_on),
        (Some(today), Some(today))
    );

    // An offence of 10 November, received in December, still reaches acme.
    let held = holdings(&api, &north.plate).await;
    let offence = notice(
        "N0100",
        &north.plate,
        "acme",
        &north.entity,
        &north.vehicle,
        NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
        NoticeStatus::Open,
    );
    let received = Utc.with_ymd_and_hms(2026, 12, 15, 9, 0, 0).unwrap();
    let route = route_by_tenant(&offence.notice, &held, received, |_| {
        RoutingPolicy::default()
    });
    assert!(
        matches!(route, Route::Routed { ref tenant_id, .. } if tenant_id.0 == "acme"),
        "{route:?}"
    );

    // No other customer takes the plate over the removal's period; the
    // fleet itself may enter it again.
    let rival_today = new_vehicle(&north.plate, &rival.entity, "2026-11-19");
    assert_eq!(
        call(&api, RIVAL, "POST", "/vehicles", rival_today)
            .await
            .status,
        409
    );
    let again = new_vehicle(&north.plate, &north.entity, "2026-01-01");
    assert_eq!(
        call(&api, ADMIN, "POST", "/vehicles", again).await.status,
        201
    );
    let held = holdings(&api, &north.plate).await;
    assert_eq!(
        held.len(),
        1,
        "the re-entered vehicle replaces the removed one"
    );
    assert_eq!(held[0].removed_on, None);
}

#[tokio::test]
async fn a_vehicle_whose_entry_is_ahead_is_removed_at_once() {
    let (api, north, ..) = world().await;
    let ahead = new_vehicle("MN-505-PQ", &north.entity, "2027-01-01");
    let created = call(&api, ADMIN, "POST", "/vehicles", ahead).await;
    let id = created_id(&created, 201, "/vehicle_id");
    let path = format!("/vehicles/{id}");
    assert_eq!(
        call(&api, ADMIN, "DELETE", &path, Value::Null).await.status,
        204
    );
    assert!(holdings(&api, "MN-505-PQ").await.is_empty());
    let changed = api.storage.vehicles_changed_since(None).await.unwrap();
    assert!(!changed.iter().any(|(v, _)| v.vehicle_id == id));
}
