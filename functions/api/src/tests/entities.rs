//! Entities: SIREN and SIRET with their check digits.

use super::*;

#[tokio::test]
async fn entities_check_siren_and_siret() {
    let (api, ..) = world().await;
    let mut bad = legal_entity("Mauvais");
    bad["siret"] = json!("73282932000075");
    let response = call(&api, ADMIN, "POST", "/entities", bad).await;
    assert_eq!(response.status, 422);
    assert_eq!(response.body_json()["error"]["fields"][0]["field"], "siret");
    let response = call(&api, ADMIN, "POST", "/entities", legal_entity("nord")).await;
    assert_eq!(response.status, 409, "names are unique, whatever the case");
    let response = call(
        &api,
        ADMIN,
        "POST",
        "/entities",
        json!({ "kind": "internal", "name": "Atelier" }),
    )
    .await;
    assert_eq!(response.status, 201);
    assert_eq!(
        call(
            &api,
            NORTH_MANAGER,
            "POST",
            "/entities",
            json!({ "kind": "internal", "name": "X" })
        )
        .await
        .status,
        403
    );
}

/// As in the reference product, a legal entity may be created before its
/// SIREN and SIRET are known; given, they are checked.
#[tokio::test]
async fn a_legal_entity_may_leave_siren_and_siret_out() {
    let (api, ..) = world().await;
    let mut without = legal_entity("Filiale sans SIREN");
    without["siren"] = Value::Null;
    without["siret"] = Value::Null;
    let response = call(&api, ADMIN, "POST", "/entities", without).await;
    assert_eq!(response.status, 201, "{:?}", response.body_json());
    let mut siret_only = legal_entity("Filiale sans SIREN connu");
    siret_only["siren"] = Value::Null;
    let response = call(&api, ADMIN, "POST", "/entities", siret_only).await;
    assert_eq!(response.status, 201, "{:?}", response.body_json());
    let mut bad_siren = legal_entity("Filiale au SIREN faux");
    bad_siren["siren"] = json!("732829321");
    bad_siren["siret"] = Value::Null;
    let response = call(&api, ADMIN, "POST", "/entities", bad_siren).await;
    assert_eq!(response.status, 422);
    let field = &response.body_json()["error"]["fields"][0];
    assert_eq!(
        (field["field"].as_str(), field["code"].as_str()),
        (Some("siren"), Some("invalid_siren"))
    );
}

/// An entity still holding vehicles or drivers stays, and the refusal says
/// how many of each; an empty one goes.
#[tokio::test]
async fn an_entity_is_removed_only_once_empty_and_the_refusal_counts_what_it_holds() {
    let (api, north, ..) = world().await;
    let path = format!("/entities/{}", north.entity);
    let refused = call(&api, ADMIN, "DELETE", &path, Value::Null).await;
    assert_eq!(refused.status, 409);
    let error = &refused.body_json()["error"];
    assert_eq!(error["current"], json!({ "vehicles": 1, "drivers": 1 }));
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("Cette entité a encore 1 véhicule et 1 conducteur"),
        "{error}"
    );
    let added = call(
        &api,
        ADMIN,
        "POST",
        "/entities",
        json!({ "kind": "internal", "name": "Atelier" }),
    )
    .await;
    let id = added.body_json()["entity_id"].as_str().unwrap().to_string();
    let path = format!("/entities/{id}");
    assert_eq!(
        call(&api, ADMIN, "DELETE", &path, Value::Null).await.status,
        204
    );
}
