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
