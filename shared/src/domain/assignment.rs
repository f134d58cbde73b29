//! Assignments (planning): which driver had which vehicle when. They feed
//! designation suggestions: the drivers assigned at the offence time are
//! suggested, and with automatic designation, exactly one of them is used.

use super::reason::ReasonCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A driver's period with a vehicle; `until` open means "until further notice".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub assignment_id: String,
    pub vehicle_id: String,
    pub driver_id: String,
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

impl Assignment {
    /// Half-open period: `from` included, `until` excluded.
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && self.until.is_none_or(|until| at < until)
    }

    fn overlaps(&self, other: &Assignment) -> bool {
        let ends_after = |a: &Assignment, t: DateTime<Utc>| a.until.is_none_or(|u| u > t);
        ends_after(self, other.from) && ends_after(other, self.from)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignmentError {
    #[error("La période se termine avant de commencer.")]
    EmptyPeriod,
    /// The other assignment's id (for the caller to show it, not in the message).
    #[error("Le véhicule est déjà attribué à un autre conducteur sur cette période ; pour le partager, indiquez-le comme véhicule de pool.")]
    VehicleTaken(String),
    #[error("Ce conducteur a déjà ce véhicule sur cette période.")]
    Duplicate(String),
}

impl AssignmentError {
    /// The assignment in the way, for an overlap.
    pub fn conflicting(&self) -> Option<&str> {
        match self {
            AssignmentError::EmptyPeriod => None,
            AssignmentError::VehicleTaken(id) | AssignmentError::Duplicate(id) => Some(id),
        }
    }

    pub fn code(&self) -> ReasonCode {
        match self {
            AssignmentError::EmptyPeriod => ReasonCode::BeforeStart,
            _ => ReasonCode::AssignmentOverlap,
        }
    }
}

/// Checks a new or edited assignment against the vehicle's others. A pool
/// vehicle may have several drivers at once; any other vehicle one at a time.
pub fn check_assignment(
    candidate: &Assignment,
    vehicle_assignments: &[Assignment],
    pool_vehicle: bool,
) -> Result<(), AssignmentError> {
    if candidate.until.is_some_and(|until| until <= candidate.from) {
        return Err(AssignmentError::EmptyPeriod);
    }
    for other in vehicle_assignments.iter().filter(|a| {
        a.vehicle_id == candidate.vehicle_id && a.assignment_id != candidate.assignment_id
    }) {
        if !candidate.overlaps(other) {
            continue;
        }
        if other.driver_id == candidate.driver_id {
            return Err(AssignmentError::Duplicate(other.assignment_id.clone()));
        }
        if !pool_vehicle {
            return Err(AssignmentError::VehicleTaken(other.assignment_id.clone()));
        }
    }
    Ok(())
}

/// The drivers who had the vehicle at `at`, in a stable order: "who had vehicle X at time T".
pub fn drivers_at<'a>(
    assignments: &'a [Assignment],
    vehicle_id: &str,
    at: DateTime<Utc>,
) -> Vec<&'a str> {
    let mut drivers: Vec<&str> = assignments
        .iter()
        .filter(|a| a.vehicle_id == vehicle_id && a.covers(at))
        .map(|a| a.driver_id.as_str())
        .collect();
    drivers.sort_unstable();
    drivers.dedup();
    drivers
}

/// With automatic designation on, the driver to designate: only when
/// exactly one was assigned at the offence time; otherwise people decide.
pub fn automatic_designation<'a>(
    assignments: &'a [Assignment],
    vehicle_id: &str,
    offence_at: DateTime<Utc>,
) -> Option<&'a str> {
    match drivers_at(assignments, vehicle_id, offence_at).as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap()
    }

    fn a(id: &str, driver: &str, from: DateTime<Utc>, until: Option<DateTime<Utc>>) -> Assignment {
        Assignment {
            assignment_id: id.into(),
            vehicle_id: "v1".into(),
            driver_id: driver.into(),
            from,
            until,
        }
    }

    #[test]
    fn who_had_the_vehicle_when() {
        let plan = [
            a("1", "alice", t(1, 8), Some(t(10, 8))),
            a("2", "bob", t(10, 8), None),
        ];
        assert_eq!(drivers_at(&plan, "v1", t(5, 12)), vec!["alice"]);
        // Hand-over instant: the period is half-open, so only the new driver.
        assert_eq!(drivers_at(&plan, "v1", t(10, 8)), vec!["bob"]);
        assert!(drivers_at(&plan, "v1", t(1, 7)).is_empty());
        assert!(drivers_at(&plan, "v2", t(5, 12)).is_empty());
        assert_eq!(automatic_designation(&plan, "v1", t(20, 9)), Some("bob"));
    }

    #[test]
    fn overlap_rules() {
        let plan = [a("1", "alice", t(1, 8), Some(t(10, 8)))];
        assert_eq!(
            check_assignment(&a("2", "bob", t(9, 8), None), &plan, false),
            Err(AssignmentError::VehicleTaken("1".into()))
        );
        assert_eq!(
            check_assignment(&a("2", "bob", t(10, 8), None), &plan, false),
            Ok(())
        );
        assert_eq!(
            check_assignment(&a("2", "bob", t(9, 8), None), &plan, true),
            Ok(()),
            "pool vehicles are shared"
        );
        assert_eq!(
            check_assignment(&a("2", "alice", t(2, 8), Some(t(3, 8))), &plan, true),
            Err(AssignmentError::Duplicate("1".into()))
        );
        assert_eq!(
            check_assignment(&a("2", "bob", t(3, 8), Some(t(3, 8))), &plan, true),
            Err(AssignmentError::EmptyPeriod)
        );
        // Editing an assignment does not conflict with itself.
        assert_eq!(
            check_assignment(&a("1", "alice", t(1, 8), Some(t(12, 8))), &plan, false),
            Ok(())
        );
    }

    #[test]
    fn pool_vehicles_suggest_but_do_not_auto_designate() {
        let plan = [a("1", "alice", t(1, 8), None), a("2", "bob", t(1, 8), None)];
        assert_eq!(drivers_at(&plan, "v1", t(5, 12)), vec!["alice", "bob"]);
        assert_eq!(automatic_designation(&plan, "v1", t(5, 12)), None);
    }
}
