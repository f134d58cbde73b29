//! Field-level encryption of drivers and the data-subject rights.

use super::*;
use designa::answering::{apply_ack, claim, mark_sent, Claim};
use designa::exchange::{AckOutcome, AckRecord};
use designa::ports::update_notice;

/// The seeded driver's fictional name and street (see `seed`).
const NAME: &str = "Martin";
const STREET: &str = "2 place Fictive";

async fn request(api: &TestApi, right: &str, kind: &str, id: &str, extra: Value) -> Reply {
    let mut body = json!({ "right": right, "subject": { "type": kind, "id": id } });
    if let Value::Object(extra) = extra {
        body.as_object_mut().unwrap().extend(extra);
    }
    call(api, ADMIN, "POST", "/privacy/requests", body).await
}

/// The notice's designation of the seeded driver, sent in `file_key` and
/// acknowledged, as the answer jobs and the ingest would leave it.
async fn designate_and_acknowledge(api: &TestApi, ids: &Ids, file_key: &str) {
    let answer = json!({ "designation": { "driver_id": ids.driver } });
    answer_and_acknowledge(api, ids, answer, file_key).await
}

/// `answer` given to the notice, then sent in `file_key` and acknowledged.
pub(super) async fn answer_and_acknowledge(
    api: &TestApi,
    ids: &Ids,
    answer: Value,
    file_key: &str,
) {
    let path = format!("/notices/{}/answer", ids.notice);
    let given = call(api, ADMIN, "PUT", &path, answer).await;
    assert_eq!(given.status, 200, "{:?}", given.body_json());
    let at = Utc.with_ymd_and_hms(2026, 11, 20, 14, 0, 0).unwrap();
    update_notice(&api.storage, &ids.notice, |n| {
        assert_eq!(claim(n, 1, "b-1", at), Claim::Taken);
        mark_sent(n, "b-1", "f-1", file_key, at)
    })
    .await
    .unwrap();
    update_notice(&api.storage, &ids.notice, |n| {
        let ack = AckRecord {
            answer_id: format!("{}-1", ids.notice),
            notice_number: ids.notice.clone(),
            outcome: AckOutcome::Acknowledged,
            processed_at: at + chrono::Duration::hours(2),
        };
        matches!(
            apply_ack(n, &ack),
            designa::answering::AckEffect::Applied { .. }
        )
    })
    .await
    .unwrap();
}

/// The seeded driver designated to the seeded notice, by an admin.
async fn designate_the_seeded_driver(api: &TestApi, ids: &Ids) -> Reply {
    let path = format!("/notices/{}/answer", ids.notice);
    let designation = json!({ "designation": { "driver_id": ids.driver } });
    call(api, ADMIN, "PUT", &path, designation).await
}

#[tokio::test]
async fn drivers_and_designations_are_stored_sealed_and_read_in_the_clear() {
    let (api, north, ..) = world().await;
    let stored = api.storage.inner.everything_stored();
    assert!(
        !stored.contains(NAME) && !stored.contains(STREET),
        "no driver in the clear"
    );
    assert!(stored.contains("\"sealed\""));
    let read = call(
        &api,
        ADMIN,
        "GET",
        &format!("/drivers/{}", north.driver),
        Value::Null,
    )
    .await;
    assert_eq!(read.body_json()["last_name"], NAME);

    designate_and_acknowledge(&api, &north, "outbound/f-1.txt").await;
    let stored = api.storage.inner.everything_stored();
    assert!(
        !stored.contains(NAME) && !stored.contains(STREET),
        "designation sealed too"
    );
    let answer = call(
        &api,
        ADMIN,
        "GET",
        &format!("/notices/{}/answer", north.notice),
        Value::Null,
    )
    .await;
    assert_eq!(answer.body_json()["answer"]["body"]["last_name"], NAME);
    // One key per driver (and per user), wrapped: never the key itself in the clear.
    let drivers = api
        .storage
        .vault
        .wrapped
        .lock()
        .unwrap()
        .keys()
        .filter(|k| k.contains("/driver/"))
        .count();
    assert_eq!(drivers, 3);
}

#[tokio::test]
async fn access_and_portability_return_what_is_held_and_the_register_holds_no_personal_data() {
    let (api, north, ..) = world().await;
    designate_and_acknowledge(&api, &north, "outbound/f-1.txt").await;
    let access = request(
        &api,
        "access",
        "driver",
        &north.driver,
        json!({ "reference": "LR-2026-17" }),
    )
    .await;
    assert_eq!(access.status, 201, "{:?}", access.body_json());
    let body = access.body_json();
    let data = &body["data"];
    assert_eq!(data["driver"]["last_name"], NAME);
    assert_eq!(data["assignments"].as_array().unwrap().len(), 1);
    assert_eq!(
        data["designations"][0]["notice_number"],
        north.notice.as_str()
    );
    assert_eq!(
        data["designations"][0]["answer"]["designated_as"]["last_name"],
        NAME
    );
    assert_eq!(data["designations"][0]["answer"]["state"], "ACKNOWLEDGED");
    assert!(
        !data["accesses"].as_array().unwrap().is_empty(),
        "reads of the driver are listed"
    );
    assert_eq!(body["request"]["outcome"], "done");
    assert_eq!(body["request"]["reference"], "LR-2026-17");
    let named = request(
        &api,
        "access",
        "driver",
        &north.driver,
        json!({ "reference": "Lettre de M. Martin" }),
    )
    .await;
    assert_eq!(named.status, 422, "a reference is a code, never a name");

    let portable = request(&api, "portability", "driver", &north.driver, Value::Null).await;
    assert_eq!(portable.status, 201);
    let portable = portable.body_json();
    assert_eq!(portable["data"]["format"], "designa.driver.v1");
    assert_eq!(portable["data"]["driver"]["address"]["line1"], STREET);
    assert!(
        portable["data"]["driver"].get("entity_id").is_none(),
        "only what the driver gave"
    );

    let user = request(&api, "access", "user", &north.user, Value::Null).await;
    assert_eq!(user.status, 201);
    assert_eq!(
        user.body_json()["data"]["user"]["user_id"],
        north.user.as_str()
    );

    assert_the_register_holds_five_requests_and_no_personal_data(&api).await;
}

/// The register lists the two seeded requests and three more, without a
/// name, a street or an e-mail; only tenant admins read it; each request is
/// journaled.
async fn assert_the_register_holds_five_requests_and_no_personal_data(api: &TestApi) {
    let register = call(api, ADMIN, "GET", "/privacy/requests", Value::Null).await;
    let entries = register.body_json()["requests"].as_array().unwrap().clone();
    assert_eq!(
        entries.len(),
        2 + 3,
        "the two seeded requests and these three"
    );
    let text = serde_json::to_string(&entries).unwrap();
    assert!(!text.contains(NAME) && !text.contains(STREET) && !text.contains("@"));
    let one = call(
        api,
        ADMIN,
        "GET",
        &format!(
            "/privacy/requests/{}",
            entries[0]["request_id"].as_str().unwrap()
        ),
        Value::Null,
    )
    .await;
    assert_eq!(one.status, 200);
    // Only tenant admins: an entity admin is refused.
    let refused = call(api, NORTH_MANAGER, "GET", "/privacy/requests", Value::Null).await;
    assert_eq!(refused.status, 403);
    // Each request is journaled.
    let journal = call(api, ADMIN, "GET", "/journal", Value::Null).await;
    assert!(String::from_utf8_lossy(&journal.body).contains("privacy:access"));
}

#[tokio::test]
async fn rectification_corrects_the_named_fields_and_checks_them() {
    let (api, north, ..) = world().await;
    let fixed = request(&api, "rectification", "driver", &north.driver,
        json!({ "changes": { "last_name": "Martin-Exemple", "address": { "line1": "5 rue Rectifiée", "line2": null, "postcode": "69002", "city": "Lyon", "country": "FRA" } } })).await;
    assert_eq!(fixed.status, 201, "{:?}", fixed.body_json());
    assert_eq!(
        fixed.body_json()["request"]["details"]["fields"],
        json!(["address", "last_name"])
    );
    let read = call(
        &api,
        ADMIN,
        "GET",
        &format!("/drivers/{}", north.driver),
        Value::Null,
    )
    .await
    .body_json();
    assert_eq!(read["last_name"], "Martin-Exemple");
    assert_eq!(read["first_name"], "Alex", "untouched fields stay");
    assert_eq!(read["address"]["line1"], "5 rue Rectifiée");

    let bad = request(&api, "rectification", "driver", &north.driver, json!({ "changes": { "address": { "line1": "x", "line2": null, "postcode": "ABC", "city": "Lyon", "country": "FRA" } } })).await;
    assert_eq!(bad.status, 422, "{:?}", bad.body_json());
    let unknown = request(
        &api,
        "rectification",
        "driver",
        &north.driver,
        json!({ "changes": { "entity_id": "elsewhere" } }),
    )
    .await;
    assert_eq!(unknown.status, 422);
    let not_here = request(
        &api,
        "access",
        "driver",
        &north.driver,
        json!({ "changes": { "last_name": "X" } }),
    )
    .await;
    assert_eq!(not_here.status, 422);
    let user = request(
        &api,
        "rectification",
        "user",
        &north.user,
        json!({ "changes": { "last_name": "Fictif-Rectifié" } }),
    )
    .await;
    assert_eq!(user.status, 201);
    let read = call(
        &api,
        ADMIN,
        "GET",
        &format!("/users/{}", north.user),
        Value::Null,
    )
    .await
    .body_json();
    assert_eq!(read["last_name"], "Fictif-Rectifié");
}

#[tokio::test]
async fn a_restricted_driver_is_not_designated_until_the_restriction_is_lifted() {
    let (api, north, ..) = world().await;
    assert_eq!(
        request(&api, "restriction", "driver", &north.driver, Value::Null)
            .await
            .status,
        201
    );
    let read = call(
        &api,
        ADMIN,
        "GET",
        &format!("/drivers/{}", north.driver),
        Value::Null,
    )
    .await
    .body_json();
    assert_eq!(read["restricted"], true);
    // An ordinary edit keeps the restriction.
    let edit = call(&api, ADMIN, "PUT", &format!("/drivers/{}", north.driver), json!({
        "entity_id": north.entity, "last_name": NAME, "first_name": "Alex",
        "address": { "line1": STREET, "line2": null, "postcode": "69001", "city": "Lyon", "country": "FRA" } })).await;
    assert_eq!(edit.status, 200);
    assert_eq!(edit.body_json()["restricted"], true);
    let detail = call(
        &api,
        ADMIN,
        "GET",
        &format!("/notices/{}", north.notice),
        Value::Null,
    )
    .await;
    assert_eq!(
        detail.body_json()["suggested_drivers"],
        json!([]),
        "not suggested"
    );
    let refused = designate_the_seeded_driver(&api, &north).await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.body_json()["error"]["fields"][0]["code"],
        "driver_restricted"
    );
    assert_eq!(
        request(
            &api,
            "lift_restriction",
            "driver",
            &north.driver,
            Value::Null
        )
        .await
        .status,
        201
    );
    let detail = call(
        &api,
        ADMIN,
        "GET",
        &format!("/notices/{}", north.notice),
        Value::Null,
    )
    .await;
    assert_eq!(
        detail.body_json()["suggested_drivers"][0]["driver_id"],
        north.driver.as_str()
    );
    let given = designate_the_seeded_driver(&api, &north).await;
    assert_eq!(given.status, 200, "{:?}", given.body_json());
    // Users are restricted by deactivation instead.
    let user = request(&api, "restriction", "user", &north.user, Value::Null).await;
    assert_eq!(user.status, 409);
    assert_eq!(user.body_json()["request"]["outcome"], "refused");
}

#[tokio::test]
async fn erasure_waits_for_the_acknowledgement_then_shreds_the_driver_and_keeps_the_proof() {
    let (api, north, ..) = world().await;
    let path = format!("/notices/{}/answer", north.notice);
    let given = designate_the_seeded_driver(&api, &north).await;
    assert_eq!(given.status, 200);
    // On its way to ANTAI: refused, and the refusal is recorded.
    let early = request(&api, "erasure", "driver", &north.driver, Value::Null).await;
    assert_eq!(early.status, 409, "{:?}", early.body_json());
    assert_eq!(
        early.body_json()["request"]["details"]["notices_in_flight"],
        json!([north.notice])
    );
    let withdrawn = call(&api, ADMIN, "DELETE", &path, Value::Null).await;
    assert_eq!(withdrawn.status, 200, "{:?}", withdrawn.body_json());

    // Answered again, sent in a file that names the driver, acknowledged.
    let file = "outbound/REPONSES_DESIGNATION_f-1.txt";
    api.blobs
        .insert("exchange", file, format!("DETAIL;{NAME};Alex;{STREET}"));
    designate_and_acknowledge(&api, &north, file).await;
    // A planning import whose report names the driver.
    let planning = workbook_naming(NAME);
    let imported = import(&api, ADMIN, "kind=assignments", planning).await;
    assert_eq!(imported.status, 422, "{:?}", imported.body_json());
    assert!(
        api.storage.inner.everything_stored().contains(NAME),
        "the report names the driver"
    );
    let erased = request(&api, "erasure", "driver", &north.driver, Value::Null).await;
    assert_eq!(erased.status, 201, "{:?}", erased.body_json());
    let details = &erased.body_json()["request"]["details"];
    assert_eq!(details["imports_deleted"].as_array().unwrap().len(), 1);
    assert_eq!(details["outbound_files_deleted"], json!([file]));
    assert_eq!(details["assignments_deleted"], 1);

    assert!(api.blobs.get("exchange", file).is_none());
    assert_the_driver_and_its_assignment_are_gone(&api, &north).await;
    // The proof stays: acknowledged, with its history, the driver erased.
    let answer = call(&api, ADMIN, "GET", &path, Value::Null)
        .await
        .body_json();
    assert_eq!(answer["answer"]["state"], "ACKNOWLEDGED");
    assert_eq!(answer["answer"]["body"]["last_name"], "[effacé]");
    assert!(answer["answer"]["history"]
        .to_string()
        .contains("acknowledged"));
    assert_nothing_readable_remains_of_the_driver(&api, &north);
    // A second erasure finds nothing: 404, as the driver no longer exists.
    assert_eq!(
        request(&api, "erasure", "driver", &north.driver, Value::Null)
            .await
            .status,
        404
    );
}

/// The erased driver and its assignment are no longer found.
async fn assert_the_driver_and_its_assignment_are_gone(api: &TestApi, ids: &Ids) {
    assert_eq!(
        call(
            api,
            ADMIN,
            "GET",
            &format!("/drivers/{}", ids.driver),
            Value::Null
        )
        .await
        .status,
        404
    );
    assert_eq!(
        call(
            api,
            ADMIN,
            "GET",
            &format!("/assignments/{}", ids.assignment),
            Value::Null
        )
        .await
        .status,
        404
    );
}

/// Nothing readable remains anywhere of the erased driver: the key is gone,
/// and the sealed copies (as a backup would hold them) do not open.
fn assert_nothing_readable_remains_of_the_driver(api: &TestApi, ids: &Ids) {
    let stored = api.storage.inner.everything_stored();
    assert!(!stored.contains(NAME) && !stored.contains(STREET));
    let subject = designa::privacy::Subject::driver(&TenantId("acme".into()), &ids.driver);
    assert!(api
        .storage
        .vault
        .wrapped
        .lock()
        .unwrap()
        .get(&subject.key_id())
        .is_none());
    for object in api.blobs.keys() {
        let body = String::from_utf8_lossy(&api.blobs.get("exchange", &object).unwrap_or_default())
            .to_string();
        assert!(!body.contains(NAME), "{object} still names the driver");
    }
}

#[tokio::test]
async fn a_user_is_erased_with_their_identity_but_not_by_themselves() {
    let (api, north, ..) = world().await;
    let email = call(
        &api,
        ADMIN,
        "GET",
        &format!("/users/{}", north.user),
        Value::Null,
    )
    .await
    .body_json()["email"]
        .as_str()
        .unwrap()
        .to_string();
    let own = request(&api, "erasure", "user", "admin", Value::Null).await;
    assert_eq!(own.status, 409);
    let erased = request(&api, "erasure", "user", &north.user, Value::Null).await;
    assert_eq!(erased.status, 201, "{:?}", erased.body_json());
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
    assert!(!api.identity.identities.lock().unwrap().contains_key(&email));
    assert!(!api.storage.inner.everything_stored().contains(&email));
}

#[tokio::test]
async fn a_driver_typed_into_an_answer_has_the_same_rights() {
    let (api, north, ..) = world().await;
    let file = "outbound/REPONSES_DESIGNATION_f-2.txt";
    api.blobs.insert(
        "exchange",
        file,
        "DETAIL;Fictif;Dominique;4 allée de l'Essai",
    );
    answer_and_acknowledge(&api, &north, typed_driver(), file).await;
    let access = request(&api, "access", "designee", &north.notice, Value::Null).await;
    assert_eq!(access.status, 201, "{:?}", access.body_json());
    assert_eq!(
        access.body_json()["data"]["designations"][0]["answer"]["designated_as"]["last_name"],
        "Fictif"
    );
    let portable = request(&api, "portability", "designee", &north.notice, Value::Null).await;
    assert_eq!(
        portable.body_json()["data"]["driver"]["first_name"],
        "Dominique"
    );
    let fix = request(
        &api,
        "rectification",
        "designee",
        &north.notice,
        json!({ "changes": { "last_name": "X" } }),
    )
    .await;
    assert_eq!(
        fix.status, 409,
        "corrected through the answer routes instead"
    );

    let erased = request(&api, "erasure", "designee", &north.notice, Value::Null).await;
    assert_eq!(erased.status, 201, "{:?}", erased.body_json());
    assert!(api.blobs.get("exchange", file).is_none());
    let answer = call(
        &api,
        ADMIN,
        "GET",
        &format!("/notices/{}/answer", north.notice),
        Value::Null,
    )
    .await
    .body_json();
    assert_eq!(answer["answer"]["body"]["last_name"], "[effacé]");
    assert_eq!(answer["answer"]["state"], "ACKNOWLEDGED");
    assert!(!api.storage.inner.everything_stored().contains("Dominique"));
    assert_eq!(
        request(&api, "erasure", "designee", &north.notice, Value::Null)
            .await
            .status,
        404
    );
    // A notice answered from the base is not a typed-in designee.
    let south_like = request(&api, "access", "designee", "N-UNKNOWN", Value::Null).await;
    assert_eq!(south_like.status, 404);
}

/// A planning workbook with one row for a driver named `last_name` whose
/// plate is unknown: the import refuses it and its report names the driver.
fn workbook_naming(last_name: &str) -> Vec<u8> {
    super::planning(&[[
        "AB-123-CD",
        "FRA",
        last_name,
        "Inconnu",
        "",
        "01/09/2026",
        "15/09/2026",
    ]])
}

/// Objection (art. 21): a driver is no longer designated automatically,
/// but a manager still designates them by hand; a user's or a typed-in
/// designee's objection is refused with its reason. The requester is told
/// by e-mail, whose address is not kept.
#[tokio::test]
async fn an_objection_stops_automatic_designation_and_the_requester_is_told() {
    let (api, north, ..) = world().await;
    let extra = json!({ "confirm_to": "requester@example.com", "reference": "LR-2026-17" });
    let done = request(&api, "objection", "driver", &north.driver, extra).await;
    assert_eq!(done.status, 201, "{:?}", done.body_json());
    let entry = &done.body_json()["request"];
    assert_eq!(entry["details"]["automatic_designation"], false);
    assert_eq!(entry["details"]["confirmation_sent"], true);
    let driver = call(
        &api,
        ADMIN,
        "GET",
        &format!("/drivers/{}", north.driver),
        Value::Null,
    )
    .await;
    assert_eq!(driver.body_json()["objected"], true);
    // A later rectification keeps the objection.
    let changes = json!({ "changes": { "first_name": "Dominique" } });
    let fixed = request(&api, "rectification", "driver", &north.driver, changes).await;
    assert_eq!(fixed.status, 201, "{:?}", fixed.body_json());
    let path = format!("/drivers/{}", north.driver);
    let driver = call(&api, ADMIN, "GET", &path, Value::Null).await;
    assert_eq!(driver.body_json()["objected"], true);
    let sent = api.mailer.sent.lock().unwrap().clone();
    let mail = sent.last().expect("a confirmation");
    assert_eq!(mail.to, "requester@example.com");
    assert!(
        mail.text.contains("d'opposition (art. 21)") && mail.text.contains("LR-2026-17"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("a été traitée"));
    let register = call(&api, ADMIN, "GET", "/privacy/requests", Value::Null).await;
    assert!(
        !String::from_utf8_lossy(&register.body).contains("requester@example.com"),
        "the address is not kept"
    );

    // Designating the driver by hand stays possible: a legal obligation.
    assert_eq!(designate_the_seeded_driver(&api, &north).await.status, 200);

    let extra = json!({ "confirm_to": "user@example.com" });
    let refused = request(&api, "objection", "user", &north.user, extra).await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.body_json()["request"]["outcome"], "refused");
    let mail = api.mailer.sent.lock().unwrap().last().cloned().unwrap();
    assert_eq!(mail.to, "user@example.com");
    assert!(
        mail.text.contains("n'a pas pu être satisfaite") && mail.text.contains("CNIL"),
        "{}",
        mail.text
    );

    let bad = request(
        &api,
        "objection",
        "driver",
        &north.driver,
        json!({ "confirm_to": "pas une adresse" }),
    )
    .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body_json()["error"]["fields"][0]["field"], "confirm_to");
}

/// Users' names and e-mails are sealed like drivers': never in the table in
/// the clear, and a copy of the item taken before an erasure (a backup)
/// does not open after it.
#[tokio::test]
async fn a_users_names_and_email_are_sealed_and_shredded_with_the_user() {
    use designa::ports::TenantStore;
    let (api, ..) = world().await;
    add_user(
        &api,
        "acme",
        "u-sealed",
        vec![grant(Role::Designation, &[])],
    )
    .await;
    let shown = call(&api, ADMIN, "GET", "/users/u-sealed", Value::Null).await;
    assert_eq!(shown.body_json()["email"], "u-sealed@acme.example");
    let stored = api.storage.inner.everything_stored();
    assert!(
        !stored.contains("u-sealed@acme.example"),
        "the e-mail is sealed"
    );
    let backup = api
        .storage
        .inner
        .user(&"acme".into(), "u-sealed")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((backup.email.as_str(), backup.last_name.as_str()), ("", ""));
    assert!(api
        .storage
        .open_user(backup.clone())
        .await
        .unwrap()
        .is_some());

    let erased = request(&api, "erasure", "user", "u-sealed", Value::Null).await;
    assert_eq!(erased.status, 201, "{:?}", erased.body_json());
    assert_eq!(
        erased.body_json()["request"]["details"]["data_key_erased"],
        true
    );
    assert_eq!(
        api.storage.open_user(backup).await.unwrap(),
        None,
        "the backup no longer opens"
    );
}

/// Deleting a user (not only erasing one) shreds their key: a backup of
/// the item does not open after it.
#[tokio::test]
async fn a_deleted_users_backup_no_longer_opens() {
    let (api, ..) = world().await;
    add_user(&api, "acme", "u-gone", vec![grant(Role::Designation, &[])]).await;
    let backup = api
        .storage
        .inner
        .user(&"acme".into(), "u-gone")
        .await
        .unwrap()
        .unwrap();
    assert!(api
        .storage
        .open_user(backup.clone())
        .await
        .unwrap()
        .is_some());
    let deleted = call(&api, ADMIN, "DELETE", "/users/u-gone", Value::Null).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(api.storage.open_user(backup).await.unwrap(), None);
}
