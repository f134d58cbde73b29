//! Assignments (planning): which driver had which vehicle when; pool
//! vehicles take several drivers at once. "Who had vehicle X at time T"
//! feeds the designation suggestions.

use crate::drivers::driver_for;
use crate::extract::{AssignmentIdPath, Id, Json, Query, VehicleIdPath};
use crate::http::{ApiError, ApiResponse, ApiResult, ReadErrors, Workbook, WriteErrors, XLSX};
use crate::http::{ReasonCode, Resource};
use crate::router::handlers;
use crate::router::Routes;
use crate::vehicles::vehicle_for;
use crate::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use designa::app::assignments::{check_against, StoredAssignment};
use designa::app::caller::{in_scope, Caller};
use designa::app::records::{load, load_all, new_id, save};
use designa::domain::access::Action;
use designa::domain::assignment::{drivers_at, Assignment};
use designa::domain::driver::Driver;
use designa::ports::{Clock, Storage};
use designa::store::RecordKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentInput {
    pub vehicle_id: String,
    pub driver_id: String,
    pub from: DateTime<Utc>,
    /// Excluded; none: until further notice.
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
}

/// An assignment as the API shows it. Half-open period: `from` included,
/// `until` excluded (none: until further notice).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Assignment)]
pub struct AssignmentView {
    pub assignment_id: String,
    pub vehicle_id: String,
    pub driver_id: String,
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
    /// The vehicle's entity, which scopes the assignment.
    pub entity_id: String,
}

impl From<&StoredAssignment> for AssignmentView {
    fn from(stored: &StoredAssignment) -> Self {
        let a = &stored.assignment;
        AssignmentView {
            assignment_id: a.assignment_id.clone(),
            vehicle_id: a.vehicle_id.clone(),
            driver_id: a.driver_id.clone(),
            from: a.from,
            until: a.until,
            entity_id: stored.entity_id.0.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentList {
    pub assignments: Vec<AssignmentView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignmentFilter {
    /// One vehicle's assignments.
    pub vehicle_id: Option<String>,
    /// One driver's assignments.
    pub driver_id: Option<String>,
}

/// Who had the vehicle, and when.
#[derive(Debug, Serialize, ToSchema)]
pub struct DriversOfVehicle {
    pub vehicle_id: String,
    pub at: DateTime<Utc>,
    pub drivers: Vec<DriverSummary>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AtTime {
    /// RFC 3339, or a Paris local time `YYYY-MM-DDTHH:MM[:SS]`; now by default.
    pub at: Option<String>,
}

pub async fn all<S: Storage>(
    storage: &S,
    caller: &Caller,
) -> Result<Vec<StoredAssignment>, ApiError> {
    Ok(load_all(storage, caller.tenant_id(), RecordKind::Assignment).await?)
}

async fn assignment_for<S: Storage>(
    storage: &S,
    caller: &Caller,
    assignment_id: &str,
    action: Action,
) -> Result<(StoredAssignment, u64), ApiError> {
    let (stored, version): (StoredAssignment, u64) = load(
        storage,
        caller.tenant_id(),
        RecordKind::Assignment,
        assignment_id,
    )
    .await?
    .ok_or(ApiError::NotFound(Resource::Assignment))?;
    caller.require(action, &stored.entity_id, Resource::Assignment)?;
    Ok((stored, version))
}

async fn checked<S: Storage>(
    storage: &S,
    caller: &Caller,
    input: AssignmentInput,
    assignment_id: String,
) -> Result<StoredAssignment, ApiError> {
    let vehicle = vehicle_for(storage, caller, &input.vehicle_id, Action::WriteAssignments).await?;
    driver_for(storage, caller, &input.driver_id, Action::ReadDrivers).await?;
    let assignment = Assignment {
        assignment_id,
        vehicle_id: input.vehicle_id,
        driver_id: input.driver_id,
        from: input.from,
        until: input.until,
    };
    check_against(&assignment, &vehicle, &all(storage, caller).await?)?;
    Ok(StoredAssignment {
        assignment,
        entity_id: vehicle.entity_id,
    })
}

/// The planning, by start.
#[utoipa::path(get, path = "/assignments", tag = "Assignments", params(AssignmentFilter),
    responses((status = 200, description = "The assignments", body = AssignmentList), ReadErrors))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Query(filter): Query<AssignmentFilter>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let scope = caller.scope(Action::ReadAssignments)?;
    let vehicle = filter.vehicle_id.as_deref();
    let driver = filter.driver_id.as_deref();
    let mut assignments: Vec<StoredAssignment> = all(&api.storage, caller)
        .await?
        .into_iter()
        .filter(|a| in_scope(&scope, &a.entity_id))
        .filter(|a| vehicle.is_none_or(|v| a.assignment.vehicle_id == v))
        .filter(|a| driver.is_none_or(|d| a.assignment.driver_id == d))
        .collect();
    assignments.sort_by_key(|a| a.assignment.from);
    let assignments = assignments.iter().map(AssignmentView::from).collect();
    Ok(ApiResponse::json(200, &AssignmentList { assignments }))
}

/// One assignment.
#[utoipa::path(get, path = "/assignments/{assignmentId}", tag = "Assignments",
    params(AssignmentIdPath),
    responses((status = 200, description = "The assignment", body = AssignmentView), ReadErrors))]
pub async fn get(Id(assignment_id): Id, State(api): State<AppState>, caller: Caller) -> ApiResult {
    let (stored, _) = assignment_for(
        &api.storage,
        &caller,
        &assignment_id,
        Action::ReadAssignments,
    )
    .await?;
    Ok(ApiResponse::json(200, &AssignmentView::from(&stored)))
}

/// Assign a driver to a vehicle over a period.
#[utoipa::path(post, path = "/assignments", tag = "Assignments",
    responses((status = 201, description = "Added", body = AssignmentView), WriteErrors))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<AssignmentInput>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.scope(Action::WriteAssignments)?;
    let stored = checked(&api.storage, caller, input, new_id()).await?;
    let id = stored.assignment.assignment_id.clone();
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Assignment,
        &id,
        &stored,
        None,
        None,
    )
    .await?;
    crate::journal::record(api, caller, "create", format!("assignment:{id}")).await?;
    Ok(ApiResponse::json(201, &AssignmentView::from(&stored)))
}

/// Change an assignment.
#[utoipa::path(put, path = "/assignments/{assignmentId}", tag = "Assignments",
    params(AssignmentIdPath),
    responses((status = 200, description = "Changed", body = AssignmentView), WriteErrors))]
pub async fn update(
    Id(assignment_id): Id,
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<AssignmentInput>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let assignment_id = assignment_id.as_str();
    let (_, version) = assignment_for(
        &api.storage,
        caller,
        assignment_id,
        Action::WriteAssignments,
    )
    .await?;
    let stored = checked(&api.storage, caller, input, assignment_id.into()).await?;
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Assignment,
        assignment_id,
        &stored,
        Some(version),
        None,
    )
    .await?;
    crate::journal::record(api, caller, "update", format!("assignment:{assignment_id}")).await?;
    Ok(ApiResponse::json(200, &AssignmentView::from(&stored)))
}

/// Remove an assignment.
#[utoipa::path(delete, path = "/assignments/{assignmentId}", tag = "Assignments",
    params(AssignmentIdPath), responses((status = 204, description = "Removed"), WriteErrors))]
pub async fn delete(
    Id(assignment_id): Id,
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let assignment_id = assignment_id.as_str();
    assignment_for(
        &api.storage,
        caller,
        assignment_id,
        Action::WriteAssignments,
    )
    .await?;
    api.storage
        .delete_record(caller.tenant_id(), RecordKind::Assignment, assignment_id)
        .await?;
    crate::journal::record(api, caller, "delete", format!("assignment:{assignment_id}")).await?;
    Ok(ApiResponse::no_content())
}

/// A driver as suggestions and "who had it" show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DriverSummary {
    pub driver_id: String,
    pub last_name: String,
    pub first_name: String,
}

/// The drivers assigned to `vehicle_id` at `at` that the caller may read.
pub async fn drivers_at_time<S: Storage>(
    storage: &S,
    caller: &Caller,
    vehicle_id: &str,
    at: DateTime<Utc>,
) -> Result<Vec<DriverSummary>, ApiError> {
    let assignments: Vec<Assignment> = all(storage, caller)
        .await?
        .into_iter()
        .map(|a| a.assignment)
        .collect();
    let mut found = Vec::new();
    for driver_id in drivers_at(&assignments, vehicle_id, at) {
        let driver: Option<(Driver, u64)> =
            load(storage, caller.tenant_id(), RecordKind::Driver, driver_id).await?;
        // A driver whose processing is restricted is never suggested.
        if let Some((d, _)) = driver.filter(|(d, _)| {
            !d.restricted
                && caller
                    .principal
                    .can(Action::ReadDrivers, caller.tenant_id(), &d.entity_id)
        }) {
            found.push(DriverSummary {
                driver_id: d.driver_id,
                last_name: d.last_name,
                first_name: d.first_name,
            });
        }
    }
    Ok(found)
}

/// Reads an instant: RFC 3339, or a Paris local time `YYYY-MM-DDTHH:MM[:SS]`.
pub fn parse_instant(field: &str, value: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(value, format) {
            use chrono::TimeZone;
            if let Some(t) = chrono_tz::Europe::Paris
                .from_local_datetime(&naive)
                .earliest()
            {
                return Ok(t.with_timezone(&Utc));
            }
        }
    }
    Err(ApiError::field(
        field,
        ReasonCode::InvalidDateTime,
        format!("« {value} » n'est pas une date et heure (RFC 3339, ou AAAA-MM-JJTHH:MM à l'heure de Paris)."),
    ))
}

/// Who had the vehicle at a time (journaled).
#[utoipa::path(get, path = "/vehicles/{vehicleId}/drivers", tag = "Fleet", params(VehicleIdPath, AtTime),
    responses((status = 200, description = "The drivers assigned then", body = DriversOfVehicle),
        ReadErrors))]
pub async fn drivers_of_vehicle(
    Id(vehicle_id): Id,
    State(app): State<AppState>,
    caller: Caller,
    Query(time): Query<AtTime>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let vehicle_id = vehicle_id.as_str();
    vehicle_for(&api.storage, caller, vehicle_id, Action::ReadAssignments).await?;
    let at = match time.at.as_deref() {
        Some(value) => parse_instant("at", value)?,
        None => api.clock.now(),
    };
    let drivers = drivers_at_time(&api.storage, caller, vehicle_id, at).await?;
    crate::journal::record(api, caller, "read", format!("vehicle:{vehicle_id}:drivers")).await?;
    let vehicle_id = vehicle_id.to_string();
    Ok(ApiResponse::json(
        200,
        &DriversOfVehicle {
            vehicle_id,
            at,
            drivers,
        },
    ))
}

/// The empty planning workbook to fill in (signed-in users only, like every
/// route but the invitation).
#[utoipa::path(get, path = "/assignments/template", tag = "Assignments",
    responses((status = 200, description = "Workbook", content_type = XLSX, body = Workbook), ReadErrors))]
pub async fn template(_caller: Caller) -> ApiResult {
    let body = designa::excel::assignments::assignments_template()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(ApiResponse::xlsx("planning-modele.xlsx", body))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(drivers_of_vehicle))
        .routes(handlers!(list, create))
        .routes(handlers!(template))
        .routes(handlers!(get, update, delete))
}
