//! Vehicles: the fleet, with plates checked by `shared`'s plate rules, an
//! entity, an entry date and an exit date that may be set ahead of time.
//! Every write also updates the plate's holdings, which route notices.

use crate::extract::Id;
use crate::http::{ApiError, ApiRequest, ApiResponse, ApiResult, FieldError};
use crate::json_body;
use crate::router::Routes;
use crate::AppState;
use axum::extract::State;
use chrono::NaiveDate;
use designa::app::caller::{in_scope, Caller};
use designa::app::entities::{all as all_entities, entity_name, require_entity};
use designa::app::records::new_id;
use designa::domain::access::Action;
use designa::domain::{EntityId, Plate};
use designa::excel::fleet::{fleet_template, write_fleet, FleetRow};
use designa::ports::{Clock, Storage};
use designa::store::Vehicle;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleInput {
    pub plate: String,
    #[serde(default = "france")]
    pub country: String,
    pub make: String,
    pub model: String,
    pub entity_id: EntityId,
    pub entry_on: NaiveDate,
    #[serde(default)]
    pub exit_on: Option<NaiveDate>,
    #[serde(default)]
    pub pool: bool,
}

fn france() -> String {
    "FRA".into()
}

fn check(input: VehicleInput, caller: &Caller, vehicle_id: String) -> Result<Vehicle, ApiError> {
    let mut fields = Vec::new();
    let plate = Plate::parse(&input.plate, &input.country)
        .map_err(|e| fields.push(FieldError::new("plate", e.to_string())))
        .ok();
    for (field, value) in [("make", &input.make), ("model", &input.model)] {
        if value.trim().is_empty() || value.chars().count() > 60 {
            fields.push(FieldError::new(field, "is required, 60 characters at most"));
        }
    }
    if input.exit_on.is_some_and(|exit| exit < input.entry_on) {
        fields.push(FieldError::new("exit_on", "is before the entry date"));
    }
    match plate {
        Some(plate) if fields.is_empty() => Ok(Vehicle {
            tenant_id: caller.tenant_id().clone(),
            entity_id: input.entity_id,
            vehicle_id,
            plate,
            make: input.make.trim().to_uppercase(),
            model: input.model.trim().to_uppercase(),
            entry_on: input.entry_on,
            exit_on: input.exit_on,
            pool: input.pool,
        }),
        _ => Err(ApiError::invalid("the vehicle is not valid", fields)),
    }
}

/// Another of the tenant's vehicles with the same plate, still in the fleet.
fn plate_taken(vehicles: &[Vehicle], candidate: &Vehicle) -> Option<Vehicle> {
    vehicles
        .iter()
        .find(|v| {
            v.vehicle_id != candidate.vehicle_id
                && v.plate.key() == candidate.plate.key()
                && v.exit_on.is_none_or(|exit| exit >= candidate.entry_on)
                && candidate.exit_on.is_none_or(|exit| exit >= v.entry_on)
        })
        .cloned()
}

/// A vehicle the caller may `action`, else 404 (or 403 if it sees it).
pub async fn vehicle_for<S: Storage>(
    storage: &S,
    caller: &Caller,
    vehicle_id: &str,
    action: Action,
) -> Result<Vehicle, ApiError> {
    let vehicle = storage
        .vehicle(caller.tenant_id(), vehicle_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("vehicle".into()))?;
    caller.require(action, &vehicle.entity_id, "vehicle")?;
    Ok(vehicle)
}

pub async fn list(State(app): State<AppState>, caller: Caller, request: ApiRequest) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    let scope = caller.scope(Action::ReadFleet)?;
    let entity = request.query_value("entity_id");
    let plate = request
        .query_value("plate")
        .map(designa::domain::plate::normalize);
    let mut vehicles: Vec<Vehicle> = api
        .storage
        .vehicles(caller.tenant_id())
        .await?
        .into_iter()
        .filter(|v| in_scope(&scope, &v.entity_id))
        .filter(|v| entity.is_none_or(|e| v.entity_id.0 == e))
        .filter(|v| plate.as_ref().is_none_or(|p| v.plate.normalized == *p))
        .collect();
    vehicles.sort_by(|a, b| a.plate.normalized.cmp(&b.plate.normalized));
    Ok(ApiResponse::json(200, &json!({ "vehicles": vehicles })))
}

pub async fn get(Id(vehicle_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let vehicle_id = vehicle_id.as_str();
    let vehicle = vehicle_for(&api.storage, caller, vehicle_id, Action::ReadFleet).await?;
    Ok(ApiResponse::json(200, &vehicle))
}

pub async fn create(State(app): State<AppState>, caller: Caller, request: ApiRequest) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    caller.scope(Action::WriteFleet)?;
    let vehicle = check(json_body(request)?, caller, new_id())?;
    require_entity(&api.storage, caller, Action::WriteFleet, &vehicle.entity_id).await?;
    let vehicles = api.storage.vehicles(caller.tenant_id()).await?;
    if let Some(existing) = plate_taken(&vehicles, &vehicle) {
        return Err(ApiError::Conflict {
            message: format!(
                "the plate {} is already in the fleet over this period",
                vehicle.plate.display()
            ),
            current: serde_json::to_value(existing).unwrap_or_default(),
        });
    }
    api.storage.put_vehicle(&vehicle, api.clock.now()).await?;
    crate::journal::record(
        api,
        caller,
        "create",
        format!("vehicle:{}", vehicle.vehicle_id),
    )
    .await?;
    Ok(ApiResponse::json(201, &vehicle))
}

pub async fn update(
    Id(vehicle_id): Id,
    State(app): State<AppState>,
    caller: Caller,
    request: ApiRequest,
) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    let vehicle_id = vehicle_id.as_str();
    let current = vehicle_for(&api.storage, caller, vehicle_id, Action::WriteFleet).await?;
    let vehicle = check(json_body(request)?, caller, vehicle_id.into())?;
    if vehicle.plate.key() != current.plate.key() {
        return Err(ApiError::field(
            "plate",
            "a vehicle's plate does not change: set an exit date and add the new plate",
        ));
    }
    require_entity(&api.storage, caller, Action::WriteFleet, &vehicle.entity_id).await?;
    let vehicles = api.storage.vehicles(caller.tenant_id()).await?;
    if let Some(existing) = plate_taken(&vehicles, &vehicle) {
        return Err(ApiError::Conflict {
            message: "another vehicle holds this plate over this period".into(),
            current: serde_json::to_value(existing).unwrap_or_default(),
        });
    }
    api.storage.put_vehicle(&vehicle, api.clock.now()).await?;
    crate::journal::record(api, caller, "update", format!("vehicle:{vehicle_id}")).await?;
    Ok(ApiResponse::json(200, &vehicle))
}

pub async fn delete(Id(vehicle_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let vehicle_id = vehicle_id.as_str();
    let vehicle = vehicle_for(&api.storage, caller, vehicle_id, Action::WriteFleet).await?;
    api.storage.delete_vehicle(&vehicle).await?;
    crate::journal::record(api, caller, "delete", format!("vehicle:{vehicle_id}")).await?;
    Ok(ApiResponse::no_content())
}

/// Signed-in users only, like every route but the invitation.
pub async fn template(_caller: Caller) -> ApiResult {
    let body = fleet_template().map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(ApiResponse::xlsx("matrice-flotte.xlsx", body))
}

pub async fn export(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let scope = caller.scope(Action::ReadFleet)?;
    let entities = all_entities(&api.storage, caller.tenant_id()).await?;
    let mut vehicles: Vec<Vehicle> = api
        .storage
        .vehicles(caller.tenant_id())
        .await?
        .into_iter()
        .filter(|v| in_scope(&scope, &v.entity_id))
        .collect();
    vehicles.sort_by(|a, b| a.plate.normalized.cmp(&b.plate.normalized));
    let rows: Vec<FleetRow> = vehicles
        .iter()
        .enumerate()
        .map(|(i, v)| FleetRow {
            row: i + 2,
            plate: v.plate.clone(),
            make: v.make.clone(),
            model: v.model.clone(),
            entity: entity_name(&entities, &v.entity_id),
            entry_on: v.entry_on,
            exit_on: v.exit_on,
        })
        .collect();
    let body = write_fleet(&rows).map_err(|e| ApiError::Internal(e.to_string()))?;
    crate::journal::record(api, caller, "export", "vehicles:export".into()).await?;
    Ok(ApiResponse::xlsx("flotte.xlsx", body))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .get("/vehicles", list)
        .post("/vehicles", create)
        .get("/vehicles/{vehicleId}", get)
        .put("/vehicles/{vehicleId}", update)
        .delete("/vehicles/{vehicleId}", delete)
        .get("/fleet/template", template)
        .get("/fleet/export", export)
}
