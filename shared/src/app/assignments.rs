//! Assignments as the use cases store and check them: the planning row with
//! its vehicle's entity (which scopes it), checked against the vehicle's
//! other assignments.

use super::error::AppError;
use crate::domain::assignment::{check_assignment, Assignment, AssignmentError};
use crate::domain::EntityId;
use crate::store::Vehicle;
use serde::{Deserialize, Serialize};

/// An assignment with its vehicle's entity, which scopes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAssignment {
    #[serde(flatten)]
    pub assignment: Assignment,
    pub entity_id: EntityId,
}

/// Checks an assignment against the vehicle's others (overlaps, pool rule).
pub fn check_overlaps(
    candidate: &Assignment,
    vehicle: &Vehicle,
    existing: &[StoredAssignment],
) -> Result<(), AssignmentError> {
    let others: Vec<Assignment> = existing
        .iter()
        .filter(|a| a.assignment.vehicle_id == vehicle.vehicle_id)
        .map(|a| a.assignment.clone())
        .collect();
    check_assignment(candidate, &others, vehicle.pool)
}

/// `check_overlaps` for one request: an empty period is the `until`
/// field's fault, an overlap a conflict with what is stored (`current`:
/// the assignment in the way, which the caller may see: same vehicle).
pub fn check_against(
    candidate: &Assignment,
    vehicle: &Vehicle,
    existing: &[StoredAssignment],
) -> Result<(), AppError> {
    check_overlaps(candidate, vehicle, existing).map_err(|e| match e.conflicting() {
        None => AppError::field("until", e.code(), e.to_string()),
        Some(id) => AppError::Conflict {
            message: e.to_string(),
            current: existing
                .iter()
                .find(|a| a.assignment.assignment_id == id)
                .and_then(|a| serde_json::to_value(a).ok())
                .unwrap_or_default(),
        },
    })
}
