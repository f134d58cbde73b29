//! Where each target's corpus starts: well-formed inputs of every kind,
//! made by the platform's own writers (exchange files, the workbook
//! templates) and the bodies its tests send. `make fuzz` writes them into
//! `fuzz/corpus/<target>/` before it runs; the fuzzer mutates from there.

use crate::workbook::{parts, SHEET, STRINGS};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use designa::domain::answer::AnswerBody;
use designa::domain::answer::OtherAnswer;
use designa::domain::{Notice, Offence, Plate, Scale};
use designa::excel::{assignments, drivers, fleet, text_workbook};
use designa::exchange::{
    write_file, AckOutcome, AckRecord, AnswerRecord, FleetOperation, FleetRecord,
};
use serde_json::{json, Value};

/// The seeds of `target`.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    match target {
        "exchange_file" => exchange_files(),
        "fleet_matrix" => workbooks(fleet_workbook()),
        "drivers_workbook" => workbooks(drivers_workbook()),
        "planning_workbook" => workbooks(planning_workbook()),
        "plate" => [
            "AB-123-CD",
            "123 ABC 75",
            "W-123-AB",
            "1234 W 69",
            "B 1234 XY\0DEU",
        ]
        .map(|p| p.as_bytes().to_vec())
        .to_vec(),
        "api_body" => api_bodies(),
        _ => Vec::new(),
    }
}

/// A fictional notice.
pub fn notice(number: &str) -> Notice {
    Notice {
        notice_number: number.into(),
        plate: Plate::parse("AB-123-CD", "FRA").expect("a plate"),
        make: "RENAULT".into(),
        model: "CLIO".into(),
        offence_at: chrono_tz::Europe::Paris
            .with_ymd_and_hms(2026, 11, 2, 8, 15, 0)
            .unwrap(),
        offence: Offence {
            natinf_code: 11300,
            label: "EXCES DE VITESSE < 20 KM/H; \"ZONE 30\"".into(),
        },
        scale: Scale {
            class: 4,
            fixed_amount_cents: 13500,
            reduced_amount_cents: Some(9000),
            points: Some(1),
        },
        issued_on: day(2026, 11, 5),
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a day")
}

fn created() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 30, 0).unwrap()
}

/// One file of each kind, each behind its selector byte (kind, buffer).
fn exchange_files() -> Vec<Vec<u8>> {
    let notices = [notice("9000000001"), notice("9000000002")];
    let answer = AnswerRecord {
        answer_id: "A-0001".into(),
        notice_number: "9000000001".into(),
        body: AnswerBody::Other(OtherAnswer::VehicleSold {
            on: day(2026, 10, 30),
        }),
        answered_at: created(),
    };
    let acks = [
        AckRecord {
            answer_id: "A-0001".into(),
            notice_number: "9000000001".into(),
            outcome: AckOutcome::Acknowledged,
            processed_at: created(),
        },
        AckRecord {
            answer_id: "A-0002".into(),
            notice_number: "9000000002".into(),
            outcome: AckOutcome::Error {
                code: "E12".into(),
                field: Some("code_postal".into()),
                message: "Code postal inconnu".into(),
            },
            processed_at: created(),
        },
    ];
    let fleet = FleetRecord {
        operation: FleetOperation::Added,
        plate: Plate::parse("AB-123-CD", "FRA").expect("a plate"),
        make: "RENAULT".into(),
        model: "KANGOO".into(),
        managed_from: day(2026, 1, 1),
        managed_until: None,
        updated_at: created(),
    };
    let files = [
        (0u8, write_file("ANTAI-000042", created(), &notices)),
        (1, write_file("DESIGNA-000007", created(), [&answer])),
        (2, write_file("ANTAI-000043", created(), &acks)),
        (3, write_file("DESIGNA-000008", created(), [&fleet])),
    ];
    let mut seeds = Vec::new();
    for (kind, file) in files {
        for buffer in [0u8, 7, 63] {
            seeds.push([&[kind | buffer << 2][..], &file].concat());
        }
    }
    seeds
}

/// A workbook as uploaded (mode 0) and as its XML parts (mode 1).
fn workbooks(workbook: Vec<u8>) -> Vec<Vec<u8>> {
    let parts = parts(&workbook);
    let part = |name: &str| {
        let found = parts.iter().find(|(n, _)| n == name);
        found.map(|(_, c)| c.clone()).unwrap_or_default()
    };
    let xml = [&[1u8][..], &part(SHEET), &[0], &part(STRINGS)].concat();
    vec![[&[0u8][..], &workbook].concat(), xml]
}

fn fleet_workbook() -> Vec<u8> {
    let rows = [
        [
            "AB-123-CD",
            "FRA",
            "Renault",
            "Clio",
            "Siège",
            "01/01/2026",
            "",
        ],
        [
            "123 ABC 75",
            "",
            "Peugeot",
            "208",
            "Siège",
            "2026-02-01",
            "31/12/2026",
        ],
        ["XX", "FRA", "", "Clio", "Inconnue", "32/13/2026", ""],
    ];
    text_workbook(&fleet::COLUMNS, rows).expect("a workbook")
}

fn drivers_workbook() -> Vec<u8> {
    let rows = [
        [
            "Fictif",
            "Dominique",
            "4 allée de l'Essai",
            "",
            "59000",
            "Lille",
            "FRA",
            "",
            "dominique.fictif@example.com",
            "Siège",
        ],
        [
            "Martin",
            "",
            "",
            "",
            "5900",
            "",
            "",
            "pas-un-courriel",
            "",
            "Inconnue",
        ],
    ];
    text_workbook(&drivers::COLUMNS, rows).expect("a workbook")
}

fn planning_workbook() -> Vec<u8> {
    let rows = [
        [
            "AB-123-CD",
            "FRA",
            "Fictif",
            "Dominique",
            "",
            "01/10/2026",
            "31/10/2026",
        ],
        [
            "ZZ-999-ZZ",
            "",
            "Inconnu",
            "Camille",
            "x@example.com",
            "2026-11-01",
            "",
        ],
        [
            "AB-123-CD",
            "",
            "Fictif",
            "Dominique",
            "",
            "31/10/2026",
            "01/10/2026",
        ],
    ];
    text_workbook(&assignments::COLUMNS, rows).expect("a workbook")
}

pub fn entity_body() -> Value {
    json!({ "kind": "legal", "name": "Siège", "siren": "732829320", "siret": "73282932000074",
        "address": { "line1": "1 rue de l'Exemple", "line2": null, "postcode": "75001",
        "city": "Paris", "country": "FRA" } })
}

pub fn vehicle_body() -> Value {
    json!({ "plate": "AB-123-CD", "make": "Renault", "model": "Clio", "entity_id": "{entity}",
        "entry_on": "2026-01-01" })
}

pub fn driver_body() -> Value {
    json!({ "entity_id": "{entity}", "last_name": "Martin", "first_name": "Alex",
        "address": { "line1": "2 place Fictive", "line2": null, "postcode": "69001",
        "city": "Lyon", "country": "FRA" }, "professional_email": "alex.martin@example.com" })
}

pub fn assignment_body() -> Value {
    json!({ "vehicle_id": "{vehicle}", "driver_id": "{driver}", "from": "2026-10-01T00:00:00Z" })
}

/// A valid body for each route of `api_body`, behind its route byte.
fn api_bodies() -> Vec<Vec<u8>> {
    let designation = json!({ "designation": { "driver": {
        "last_name": "Fictif", "first_name": "Dominique",
        "address": { "line1": "4 allée de l'Essai", "line2": null, "postcode": "59000",
        "city": "Lille", "country": "FRA" }, "personal_email": null,
        "professional_email": "dominique.fictif@example.com" } } });
    let bodies = [
        (0u8, designation),
        (
            0,
            json!({ "other": { "reason": "vehicle_stolen", "on": "2026-11-01",
            "complaint_reference": "PV-2026-000123" } }),
        ),
        (1, entity_body()),
        (2, entity_body()),
        (3, vehicle_body()),
        (4, vehicle_body()),
        (5, driver_body()),
        (6, driver_body()),
        (7, assignment_body()),
        (8, assignment_body()),
        (9, json!({ "entity_id": "{entity}" })),
        (10, json!({ "kind": "vehicles" })),
        (
            11,
            json!({ "email": "dispatch@example.com", "first_name": "Sam", "last_name": "Fictif",
            "grants": [ { "role": "designation", "scope": { "kind": "all_entities" } } ] }),
        ),
        (
            12,
            json!({ "right": "portability", "subject": { "type": "driver", "id": "{driver}" } }),
        ),
        (13, json!({ "answer_grace_hours": 4 })),
        (
            14,
            json!({ "new_notices": "never", "reminders": "never",
            "deadline_approaching": "immediately", "answer_in_error": "immediately" }),
        ),
    ];
    bodies
        .into_iter()
        .map(|(route, body)| [&[route][..], body.to_string().as_bytes()].concat())
        .collect()
}
