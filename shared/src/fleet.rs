//! Fleet refresh: the fleet manager uploads the full current fleet; the
//! platform shows what would change (added, changed, leaving) before
//! anything is applied.

use crate::domain::{EntityId, PlateKey};
use crate::excel::fleet::FleetRow;
use crate::store::Vehicle;
use serde::Serialize;
use std::collections::HashMap;

/// A vehicle present on both sides whose fields differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetChange {
    pub current: Vehicle,
    pub uploaded: FleetRow,
    /// Names of the matrix columns that differ.
    pub fields: Vec<&'static str>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct FleetDiff {
    pub added: Vec<FleetRow>,
    pub changed: Vec<FleetChange>,
    /// In the fleet today, absent from the upload: they would get an exit date.
    pub leaving: Vec<Vehicle>,
}

/// Compares the vehicles the tenant manages today with an uploaded matrix
/// (already checked row by row). `entity_id_of` resolves a typed entity.
/// Vehicles that already left (exit date in the past) are not "current".
fn same_text(stored: &str, uploaded: &str) -> bool {
    stored.trim().to_uppercase() == uploaded.trim().to_uppercase()
}

pub fn diff_fleet(
    current: &[Vehicle],
    uploaded: &[FleetRow],
    today: chrono::NaiveDate,
    entity_id_of: impl Fn(&str) -> Option<EntityId>,
) -> FleetDiff {
    use crate::excel::fleet::{ENTITY, ENTRY, EXIT, MAKE, MODEL};
    let managed: HashMap<PlateKey, &Vehicle> = current
        .iter()
        .filter(|v| v.exit_on.is_none_or(|exit| exit >= today))
        .map(|v| (v.plate.key(), v))
        .collect();
    let mut diff = FleetDiff::default();
    let mut seen = std::collections::HashSet::new();
    for row in uploaded {
        let key = row.plate.key();
        seen.insert(key.clone());
        let Some(vehicle) = managed.get(&key) else {
            diff.added.push(row.clone());
            continue;
        };
        let mut fields = Vec::new();
        // Makes and models are stored upper-cased: "Renault" is no change.
        if !same_text(&vehicle.make, &row.make) {
            fields.push(MAKE);
        }
        if !same_text(&vehicle.model, &row.model) {
            fields.push(MODEL);
        }
        if entity_id_of(&row.entity).as_ref() != Some(&vehicle.entity_id) {
            fields.push(ENTITY);
        }
        if vehicle.entry_on != row.entry_on {
            fields.push(ENTRY);
        }
        if vehicle.exit_on != row.exit_on {
            fields.push(EXIT);
        }
        if !fields.is_empty() {
            diff.changed.push(FleetChange {
                current: (*vehicle).clone(),
                uploaded: row.clone(),
                fields,
            });
        }
    }
    let mut leaving: Vec<Vehicle> = managed
        .into_iter()
        .filter(|(k, _)| !seen.contains(k))
        .map(|(_, v)| v.clone())
        .collect();
    leaving.sort_by(|a, b| a.plate.normalized.cmp(&b.plate.normalized));
    diff.leaving = leaving;
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Plate;
    use chrono::NaiveDate;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn vehicle(plate: &str, entity: &str, exit: Option<NaiveDate>) -> Vehicle {
        Vehicle {
            tenant_id: "acme".into(),
            entity_id: entity.into(),
            vehicle_id: plate.into(),
            plate: Plate::parse(plate, "FRA").unwrap(),
            make: "RENAULT".into(),
            model: "CLIO".into(),
            entry_on: day(1, 1),
            exit_on: exit,
            pool: false,
            removed_on: None,
        }
    }

    fn row(plate: &str, entity: &str) -> FleetRow {
        FleetRow {
            row: 2,
            plate: Plate::parse(plate, "FRA").unwrap(),
            make: "RENAULT".into(),
            model: "CLIO".into(),
            entity: entity.into(),
            entry_on: day(1, 1),
            exit_on: None,
        }
    }

    #[test]
    fn a_make_or_model_in_other_letter_cases_is_no_change() {
        let current = [vehicle("AB-123-CD", "e-lyon", None)];
        let mut same = row("AB-123-CD", "Agence de Lyon");
        (same.make, same.model) = ("Renault ".into(), "Clio".into());
        let diff = diff_fleet(&current, &[same], day(3, 1), |_| Some("e-lyon".into()));
        assert!(diff.changed.is_empty(), "{:?}", diff.changed);
    }

    #[test]
    fn added_changed_and_leaving() {
        let current = [
            vehicle("AB-123-CD", "e-lyon", None),
            vehicle("EF-456-GH", "e-lyon", None),
            vehicle("JK-789-LM", "e-paris", None),
            vehicle("NP-111-QR", "e-paris", Some(day(2, 1))), // already left
        ];
        let mut moved = row("EF-456-GH", "Siège");
        moved.model = "MEGANE".into();
        let uploaded = [
            row("ab 123 cd", "Agence de Lyon"),
            moved,
            row("ST-222-VW", "Siège"),
        ];
        let ids = |name: &str| match name {
            "Agence de Lyon" => Some(EntityId::from("e-lyon")),
            "Siège" => Some(EntityId::from("e-paris")),
            _ => None,
        };
        let diff = diff_fleet(&current, &uploaded, day(6, 1), ids);
        assert_eq!(
            diff.added
                .iter()
                .map(|r| r.plate.normalized.as_str())
                .collect::<Vec<_>>(),
            vec!["ST222VW"]
        );
        assert_eq!(diff.changed.len(), 1);
        assert_eq!(diff.changed[0].fields, vec!["Modèle", "Entité"]);
        assert_eq!(
            diff.leaving
                .iter()
                .map(|v| v.plate.normalized.as_str())
                .collect::<Vec<_>>(),
            vec!["JK789LM"]
        );
    }

    #[test]
    fn the_same_fleet_gives_an_empty_diff() {
        let current = [vehicle("AB-123-CD", "e-lyon", None)];
        let diff = diff_fleet(&current, &[row("AB-123-CD", "Lyon")], day(6, 1), |_| {
            Some("e-lyon".into())
        });
        assert_eq!(diff, FleetDiff::default());
    }
}
