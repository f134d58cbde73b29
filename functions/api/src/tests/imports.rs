//! Excel imports: row-level reports, the fleet refresh's diff and apply,
//! drivers and planning workbooks.

use super::*;
use designa::ports::FleetStore;

fn workbook(rows: &[[&str; 7]]) -> Vec<u8> {
    designa::excel::text_workbook(&designa::excel::fleet::COLUMNS, rows).unwrap()
}

/// Plates `AA-001-AA`… distinct and valid.
fn plate(i: usize) -> String {
    designa::domain::plate::sample_siv_plate(i)
}

/// Each error of an import report as its row and its `field` (`column` or
/// `reason`), in the report's order.
fn errors_by_row(record: &Value, field: &str) -> Vec<(u64, String)> {
    record["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e[field].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_5000_row_workbook_with_three_bad_rows_reports_exactly_those() {
    let (api, ..) = world().await;
    let plates: Vec<String> = (0..5000).map(plate).collect();
    let mut rows: Vec<[&str; 7]> = plates
        .iter()
        .map(|p| {
            [
                p.as_str(),
                "FRA",
                "Renault",
                "Kangoo",
                "Nord",
                "01/02/2026",
                "",
            ]
        })
        .collect();
    rows[99][0] = "NOT A PLATE";
    rows[2499][2] = "";
    rows[4998][4] = "Atlantide";
    let body = workbook(&rows);
    let response = import(&api, ADMIN, "kind=vehicles", body.clone()).await;
    assert_eq!(response.status, 422);
    let record = response.body_json();
    assert_eq!(record["status"], "rejected");
    assert_eq!(
        errors_by_row(&record, "column"),
        vec![
            (101, "Immatriculation".into()),
            (2501, "Marque".into()),
            (5000, "Entité".into())
        ]
    );
    assert!(record["errors"][2]["reason"]
        .as_str()
        .unwrap()
        .contains("Atlantide"));
    assert_eq!(
        api.storage.vehicles(&"acme".into()).await.unwrap().len(),
        2,
        "nothing applied"
    );
    let response = import(&api, ADMIN, "kind=vehicles&partial=true", body).await;
    assert_eq!(response.status, 200, "{:?}", response.body_json());
    assert_eq!(response.body_json()["rows_done"], 4997);
    assert_eq!(
        api.storage.vehicles(&"acme".into()).await.unwrap().len(),
        2 + 4997
    );
    // Another entity's manager cannot import into Nord's... and North's manager cannot into Sud.
    let response = import(
        &api,
        NORTH_MANAGER,
        "kind=vehicles",
        workbook(&[[
            "XY-001-ZZ",
            "FRA",
            "Renault",
            "Clio",
            "Sud",
            "01/02/2026",
            "",
        ]]),
    )
    .await;
    assert_eq!(response.status, 422);
    assert!(response.body_json()["errors"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("Sud"));
}

#[tokio::test]
async fn fleet_refresh_shows_the_diff_then_applies_it_once() {
    let (api, north, ..) = world().await;
    // Nord's vehicle AB-123-CD is gone from the upload, one vehicle is new.
    let body = workbook(&[[
        "GH-222-JK",
        "FRA",
        "Peugeot",
        "Partner",
        "Nord",
        "01/11/2026",
        "",
    ]]);
    let response = import(&api, NORTH_MANAGER, "kind=fleet_refresh", body).await;
    assert_eq!(response.status, 200, "{:?}", response.body_json());
    let record = response.body_json();
    assert_eq!(record["status"], "awaiting_apply");
    assert_eq!(
        record["diff"],
        json!({ "added": 1, "changed": 0, "leaving": 1 })
    );
    assert_eq!(
        record["changes"]["leaving"][0]["vehicle_id"],
        north.vehicle.as_str()
    );
    let id = record["import_id"].as_str().unwrap();
    let apply = call(
        &api,
        NORTH_MANAGER,
        "POST",
        &format!("/imports/{id}/apply"),
        json!({ "exit_on": "2026-11-30" }),
    )
    .await;
    assert_eq!(apply.status, 200, "{:?}", apply.body_json());
    assert_eq!(apply.body_json()["status"], "applied");
    let again = call(
        &api,
        NORTH_MANAGER,
        "POST",
        &format!("/imports/{id}/apply"),
        Value::Null,
    )
    .await;
    assert_eq!(again.status, 200);
    let vehicles = api.storage.vehicles(&"acme".into()).await.unwrap();
    assert_eq!(vehicles.len(), 3, "applied once");
    let left = vehicles
        .iter()
        .find(|v| v.vehicle_id == north.vehicle)
        .unwrap();
    assert_eq!(left.exit_on, NaiveDate::from_ymd_opt(2026, 11, 30));
}

#[tokio::test]
async fn drivers_import_from_their_workbook_without_duplicates() {
    use designa::domain::address::PostalAddress;
    use designa::excel::drivers::{write_drivers, DriverRow};
    let (api, ..) = world().await;
    let row = |n: usize, last: &str, city: &str, postcode: &str| DriverRow {
        row: n,
        entity: "Nord".into(),
        last_name: last.into(),
        first_name: "Lou".into(),
        address: PostalAddress {
            line1: "5 rue Fictive".into(),
            line2: None,
            postcode: postcode.into(),
            city: city.into(),
            country: "FRA".into(),
        },
        personal_email: None,
        professional_email: Some(format!("{}@example.com", last.to_lowercase())),
    };
    let body = write_drivers(&[
        row(2, "Bernard", "Lille", "59000"),
        row(3, "Robert", "Nantes", "4400"),
    ])
    .unwrap();
    let response = import(&api, ADMIN, "kind=drivers", body.clone()).await;
    assert_eq!(response.status, 422);
    let errors = response.body_json()["errors"].clone();
    assert_eq!(errors.as_array().unwrap().len(), 1, "{errors}");
    assert_eq!(errors[0]["row"], 3);
    assert_eq!(errors[0]["column"], "Code postal");
    let fixed = write_drivers(&[
        row(2, "Bernard", "Lille", "59000"),
        row(3, "Robert", "Nantes", "44000"),
    ])
    .unwrap();
    for _ in 0..2 {
        let response = import(&api, ADMIN, "kind=drivers", fixed.clone()).await;
        assert_eq!(response.status, 200, "{:?}", response.body_json());
    }
    let drivers = call(&api, ADMIN, "GET", "/drivers", Value::Null)
        .await
        .body_json();
    let names: Vec<&str> = drivers["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["last_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.iter().filter(|n| **n == "Bernard").count(),
        1,
        "imported twice, stored once: {names:?}"
    );
    let template = call(&api, ADMIN, "GET", "/drivers/template", Value::Null).await;
    assert_eq!(
        (template.status, template.content_type.as_str()),
        (200, http::XLSX)
    );
}

/// Two drivers named Sam Durand, of the North and of the South, told apart
/// by their e-mails; their ids in that order.
async fn two_sam_durands(api: &TestApi, north: &Ids, south: &Ids) -> Vec<String> {
    let mut ids = Vec::new();
    for (entity, email) in [
        (&north.entity, "sam.durand@nord.example"),
        (&south.entity, "sam.durand@sud.example"),
    ] {
        let driver = call(api, ADMIN, "POST", "/drivers", json!({ "entity_id": entity, "last_name": "Durand", "first_name": "Sam",
            "address": { "line1": "9 rue Fictive", "postcode": "33000", "city": "Bordeaux", "country": "FRA" },
            "professional_email": email })).await;
        ids.push(created_id(&driver, 201, "/driver_id"));
    }
    ids
}

/// The planning of the two Sam Durands, rows 2 to 6 of the workbook: the
/// North's Sam on AB-123-CD in early September; a Sam without an e-mail
/// (ambiguous); the South's Sam, written in other cases; an unknown
/// vehicle; AB-123-CD again from October, while the seeded driver has it.
fn sam_durands_planning() -> [[&'static str; 7]; 5] {
    [
        [
            "AB-123-CD",
            "FRA",
            "Durand",
            "Sam",
            "sam.durand@nord.example",
            "01/09/2026",
            "15/09/2026",
        ],
        [
            "AB-123-CD",
            "FRA",
            "Durand",
            "Sam",
            "",
            "16/09/2026",
            "20/09/2026",
        ],
        [
            "EF-456-GH",
            "FRA",
            "DURAND",
            "sam",
            "Sam.Durand@sud.example",
            "01/08/2026",
            "10/08/2026",
        ],
        [
            "ZZ-999-ZZ",
            "FRA",
            "Durand",
            "Sam",
            "sam.durand@nord.example",
            "01/08/2026",
            "",
        ],
        [
            "AB-123-CD",
            "FRA",
            "Durand",
            "Sam",
            "sam.durand@nord.example",
            "05/10/2026",
            "",
        ],
    ]
}

#[tokio::test]
async fn a_planning_workbook_assigns_drivers_and_reports_ambiguities() {
    let (api, north, south, _) = world().await;
    let ids = two_sam_durands(&api, &north, &south).await;
    let rows = sam_durands_planning();
    let response = import(&api, ADMIN, "kind=assignments", planning(&rows)).await;
    assert_eq!(response.status, 422, "{:?}", response.body_json());
    let errors = errors_by_row(&response.body_json(), "code");
    assert_eq!(
        errors,
        [
            (3, "ambiguous_driver".to_string()),
            (5, "unknown_vehicle".to_string()),
            (6, "assignment_overlap".to_string())
        ]
    );
    let reasons = errors_by_row(&response.body_json(), "reason");
    assert!(
        reasons[0].1.contains("Plusieurs conducteurs"),
        "{reasons:?}"
    );
    let response = import(
        &api,
        ADMIN,
        "kind=assignments&partial=true",
        planning(&rows),
    )
    .await;
    assert_eq!(response.body_json()["rows_done"], 2);
    // Who had AB-123-CD on 15 September at 23:00, Paris time: Sam Durand of
    // the North (the last day is included), and nobody just after midnight.
    let who_at = |at: &'static str| {
        let path = format!("/vehicles/{}/drivers?at={at}", north.vehicle);
        let api = &api;
        async move { call(api, ADMIN, "GET", &path, Value::Null).await }
    };
    let who = who_at("2026-09-15T23:00").await.body_json();
    assert_eq!(who["drivers"][0]["driver_id"], ids[0].as_str());
    let who = who_at("2026-09-16T00:30").await.body_json();
    assert!(who["drivers"].as_array().unwrap().is_empty(), "{who}");
    // The same planning again adds nothing.
    let again = import(
        &api,
        ADMIN,
        "kind=assignments&partial=true",
        planning(&rows),
    )
    .await;
    assert_eq!(again.body_json()["rows_done"], 0);
    let template = call(&api, ADMIN, "GET", "/assignments/template", Value::Null).await;
    assert_eq!(template.status, 200);
}

/// An inline import stays within the API's time: past its rows, the
/// workbook is sent to the upload, and nothing is recorded.
#[tokio::test]
async fn an_inline_import_past_its_rows_is_sent_to_the_upload() {
    let (api, ..) = world().await;
    let imports = |reply: Reply| reply.body_json()["imports"].as_array().unwrap().len();
    let before = imports(call(&api, ADMIN, "GET", "/imports", Value::Null).await);
    let rows: Vec<[String; 7]> = (0..=crate::imports::MAX_INLINE_ROWS)
        .map(|i| {
            let plate = format!(
                "{}{:03}{}",
                ["AB", "CD", "EF", "GH", "JK", "LM", "NP", "QR", "ST", "VW", "XY"][i / 1000],
                i % 1000,
                "ZZ"
            );
            [
                plate,
                "FRA".into(),
                "Renault".into(),
                "Clio".into(),
                "Nord".into(),
                "01/01/2026".into(),
                String::new(),
            ]
        })
        .collect();
    let body = designa::excel::text_workbook(&designa::excel::fleet::COLUMNS, &rows).unwrap();
    let response = import(&api, ADMIN, "kind=vehicles", body).await;
    assert_eq!(response.status, 422, "{:?}", response.body_json());
    let field = &response.body_json()["error"]["fields"][0];
    assert_eq!(field["code"], "out_of_range");
    assert!(field["reason"].as_str().unwrap().contains("POST /uploads"));
    let after = imports(call(&api, ADMIN, "GET", "/imports", Value::Null).await);
    assert_eq!(after, before, "no import was recorded");
}

/// A matrix row whose plate another customer holds is reported on its row;
/// the other rows are applied.
#[tokio::test]
async fn a_row_with_a_plate_another_customer_holds_is_reported_and_the_rest_applied() {
    let (api, .., rival) = world().await;
    let rows = [
        [
            "XY-001-ZZ",
            "FRA",
            "Renault",
            "Clio",
            "Nord",
            "01/02/2026",
            "",
        ],
        [
            rival.plate.as_str(),
            "FRA",
            "Renault",
            "Clio",
            "Nord",
            "01/02/2026",
            "",
        ],
    ];
    let response = import(&api, ADMIN, "kind=vehicles", workbook(&rows)).await;
    assert_eq!(response.status, 200, "{:?}", response.body_json());
    let record = response.body_json();
    assert_eq!(record["status"], "done");
    assert_eq!(
        errors_by_row(&record, "column"),
        vec![(3, "Immatriculation".into())]
    );
    assert_eq!(record["errors"][0]["code"], "plate_held");
    assert!(!errors_by_row(&record, "reason")[0].1.contains("rival"));
    let plates: Vec<String> = api
        .storage
        .vehicles(&"acme".into())
        .await
        .unwrap()
        .iter()
        .map(|v| v.plate.display())
        .collect();
    assert!(plates.contains(&"XY-001-ZZ".to_string()));
    assert!(!plates.contains(&rival.plate));
}
