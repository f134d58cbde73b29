//! Concurrent edits conflict instead of overwriting.

use super::*;
use designa::ports::RecordStore;

#[tokio::test]
async fn concurrent_edits_conflict_instead_of_overwriting() {
    let (api, north, ..) = world().await;
    let stale = api
        .storage
        .record(&"acme".into(), RecordKind::Driver, &north.driver)
        .await
        .unwrap()
        .unwrap();
    let body = json!({ "entity_id": north.entity, "last_name": "Martin", "first_name": "Alexis",
        "address": { "line1": "2 place Fictive", "line2": null, "postcode": "69001", "city": "Lyon", "country": "FRA" } });
    assert_eq!(
        call(
            &api,
            ADMIN,
            "PUT",
            &format!("/drivers/{}", north.driver),
            body
        )
        .await
        .status,
        200
    );
    let result = designa::app::records::save(
        &api.storage,
        &"acme".into(),
        RecordKind::Driver,
        &north.driver,
        &stale.data,
        Some(stale.version),
        None,
    )
    .await;
    assert!(matches!(
        result,
        Err(designa::app::AppError::Conflict { .. })
    ));
}
