//! Vehicles: the fleet, with plates checked by `shared`'s plate rules, an
//! entity, an entry date and an exit date that may be set ahead of time.
//! Every write also updates the plate's holdings, which route notices.

use crate::extract::VehicleIdPath;
use crate::extract::{Id, Json, Query};
use crate::http::Workbook;
use crate::http::{ApiError, ApiResponse, ApiResult, FieldError, ReadErrors, WriteErrors, XLSX};
use crate::http::{ReasonCode, Resource, INVALID_FIELDS};
use crate::router::handlers;
use crate::router::Routes;
use crate::AppState;
use axum::extract::State;
use chrono::NaiveDate;
use designa::app::caller::{in_scope, Caller};
use designa::app::entities::{all as all_entities, entity_name, require_entity};
use designa::app::records::new_id;
use designa::app::vehicles::{put_vehicle, remove_vehicle, PlateRefusal};
use designa::domain::access::Action;
use designa::domain::address::REQUIRED;
use designa::domain::{EntityId, Plate};
use designa::excel::fleet::{fleet_template, write_fleet, FleetRow};
use designa::ports::Storage;
use designa::store::Vehicle;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"plate": "KL-321-MN", "make": "Renault", "model": "Zoe",
    "entity_id": "e-lyon", "entry_on": "2026-11-01"}))]
pub struct VehicleInput {
    pub plate: String,
    /// ISO 3166-1 alpha-3.
    #[serde(default = "france")]
    #[schema(default = "FRA")]
    pub country: String,
    pub make: String,
    pub model: String,
    #[schema(value_type = String)]
    pub entity_id: EntityId,
    pub entry_on: NaiveDate,
    #[serde(default)]
    pub exit_on: Option<NaiveDate>,
    #[serde(default)]
    pub pool: bool,
}

/// A vehicle as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Vehicle)]
pub struct VehicleView {
    pub tenant_id: String,
    pub entity_id: String,
    pub vehicle_id: String,
    pub plate: Plate,
    pub make: String,
    pub model: String,
    pub entry_on: NaiveDate,
    pub exit_on: Option<NaiveDate>,
    /// A pool vehicle: no usual driver.
    pub pool: bool,
}

impl From<&Vehicle> for VehicleView {
    fn from(v: &Vehicle) -> Self {
        VehicleView {
            tenant_id: v.tenant_id.0.clone(),
            entity_id: v.entity_id.0.clone(),
            vehicle_id: v.vehicle_id.clone(),
            plate: v.plate.clone(),
            make: v.make.clone(),
            model: v.model.clone(),
            entry_on: v.entry_on,
            exit_on: v.exit_on,
            pool: v.pool,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VehicleList {
    pub vehicles: Vec<VehicleView>,
}

/// A vehicle in conflict, as `error.current` shows it.
pub fn current(vehicle: &Vehicle) -> serde_json::Value {
    serde_json::to_value(VehicleView::from(vehicle)).unwrap_or_default()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VehicleFilter {
    /// One entity's vehicles.
    pub entity_id: Option<String>,
    /// One plate, as typed (spaces and dashes ignored).
    pub plate: Option<String>,
}

fn france() -> String {
    "FRA".into()
}

fn check(input: VehicleInput, caller: &Caller, vehicle_id: String) -> Result<Vehicle, ApiError> {
    let mut fields = Vec::new();
    let plate = Plate::parse(&input.plate, &input.country)
        .map_err(|e| {
            let field = match e.code() {
                ReasonCode::InvalidCountry => "country",
                _ => "plate",
            };
            fields.push(FieldError::new(field, e.code(), e.to_string()))
        })
        .ok();
    for (field, value) in [("make", &input.make), ("model", &input.model)] {
        if value.trim().is_empty() {
            fields.push(FieldError::new(field, ReasonCode::Required, REQUIRED));
        } else if value.chars().count() > 60 {
            let reason = "Ce champ dépasse 60 caractères.";
            fields.push(FieldError::new(field, ReasonCode::TooLong, reason));
        }
    }
    if input.exit_on.is_some_and(|exit| exit < input.entry_on) {
        let reason = "La date de sortie précède la date d'entrée.";
        fields.push(FieldError::new("exit_on", ReasonCode::BeforeStart, reason));
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
            removed_on: None,
        }),
        _ => Err(ApiError::invalid(INVALID_FIELDS, fields)),
    }
}

/// Writes the vehicle, or 409 when another vehicle holds its plate over
/// the period (`current` is that vehicle if it is the caller's tenant's).
async fn put(api: &AppState, vehicle: &Vehicle) -> Result<(), ApiError> {
    match put_vehicle(&api.storage, &api.clock, vehicle).await? {
        Ok(()) => Ok(()),
        Err(refusal) => Err(ApiError::Conflict {
            message: refusal.message(vehicle),
            current: match &refusal {
                PlateRefusal::InFleet(Some(holder)) => current(holder),
                _ => serde_json::Value::Null,
            },
        }),
    }
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
        .ok_or(ApiError::NotFound(Resource::Vehicle))?;
    caller.require(action, &vehicle.entity_id, Resource::Vehicle)?;
    Ok(vehicle)
}

/// The fleet, by plate.
#[utoipa::path(get, path = "/vehicles", tag = "Fleet", params(VehicleFilter),
    responses((status = 200, description = "The vehicles", body = VehicleList), ReadErrors))]
pub async fn list(
    State(api): State<AppState>,
    caller: Caller,
    Query(filter): Query<VehicleFilter>,
) -> ApiResult {
    let scope = caller.scope(Action::ReadFleet)?;
    let entity = filter.entity_id.as_deref();
    let plate = filter
        .plate
        .as_deref()
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
    let vehicles = vehicles.iter().map(VehicleView::from).collect();
    Ok(ApiResponse::json(200, &VehicleList { vehicles }))
}

/// One vehicle.
#[utoipa::path(get, path = "/vehicles/{vehicleId}", tag = "Fleet", params(VehicleIdPath),
    responses((status = 200, description = "The vehicle", body = VehicleView), ReadErrors))]
pub async fn get(Id(vehicle_id): Id, State(api): State<AppState>, caller: Caller) -> ApiResult {
    let vehicle = vehicle_for(&api.storage, &caller, &vehicle_id, Action::ReadFleet).await?;
    Ok(ApiResponse::json(200, &VehicleView::from(&vehicle)))
}

/// Add a vehicle.
#[utoipa::path(post, path = "/vehicles", tag = "Fleet",
    responses((status = 201, description = "Added", body = VehicleView), WriteErrors))]
pub async fn create(
    State(api): State<AppState>,
    caller: Caller,
    Json(input): Json<VehicleInput>,
) -> ApiResult {
    let caller = &caller;
    caller.scope(Action::WriteFleet)?;
    let vehicle = check(input, caller, new_id())?;
    require_entity(&api.storage, caller, Action::WriteFleet, &vehicle.entity_id).await?;
    put(&api, &vehicle).await?;
    let target = format!("vehicle:{}", vehicle.vehicle_id);
    crate::journal::record(&api, caller, "create", target).await?;
    Ok(ApiResponse::json(201, &VehicleView::from(&vehicle)))
}

/// Change a vehicle (its plate never changes).
#[utoipa::path(put, path = "/vehicles/{vehicleId}", tag = "Fleet", params(VehicleIdPath),
    responses((status = 200, description = "Changed", body = VehicleView), WriteErrors))]
pub async fn update(
    Id(vehicle_id): Id,
    State(api): State<AppState>,
    caller: Caller,
    Json(input): Json<VehicleInput>,
) -> ApiResult {
    let caller = &caller;
    let stored = vehicle_for(&api.storage, caller, &vehicle_id, Action::WriteFleet).await?;
    let vehicle = check(input, caller, vehicle_id.clone())?;
    if vehicle.plate.key() != stored.plate.key() {
        return Err(ApiError::field(
            "plate",
            ReasonCode::NotAllowed,
            "L'immatriculation d'un véhicule ne change pas : indiquez une date de sortie et ajoutez la nouvelle.",
        ));
    }
    require_entity(&api.storage, caller, Action::WriteFleet, &vehicle.entity_id).await?;
    put(&api, &vehicle).await?;
    crate::journal::record(&api, caller, "update", format!("vehicle:{vehicle_id}")).await?;
    Ok(ApiResponse::json(200, &VehicleView::from(&vehicle)))
}

/// Remove a vehicle: it leaves the fleet today (or on its earlier exit
/// date) and disappears from it at once; ANTAI is told in the day's
/// declaration, and notices of earlier offences still reach the tenant
/// through its smart-exit grace. A vehicle whose entry is ahead goes at once.
#[utoipa::path(delete, path = "/vehicles/{vehicleId}", tag = "Fleet", params(VehicleIdPath),
    responses((status = 204, description = "Removed"), WriteErrors))]
pub async fn delete(Id(vehicle_id): Id, State(api): State<AppState>, caller: Caller) -> ApiResult {
    let vehicle = vehicle_for(&api.storage, &caller, &vehicle_id, Action::WriteFleet).await?;
    remove_vehicle(&api.storage, &api.clock, &vehicle).await?;
    crate::journal::record(&api, &caller, "delete", format!("vehicle:{vehicle_id}")).await?;
    Ok(ApiResponse::no_content())
}

/// The fleet matrix to fill in (signed-in users only, like every route but
/// the invitation).
#[utoipa::path(get, path = "/fleet/template", tag = "Fleet",
    responses((status = 200, description = "Workbook", content_type = XLSX, body = Workbook), ReadErrors))]
pub async fn template(_caller: Caller) -> ApiResult {
    let body = fleet_template().map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(ApiResponse::xlsx("matrice-flotte.xlsx", body))
}

/// The fleet as a workbook, in the matrix's columns.
#[utoipa::path(get, path = "/fleet/export", tag = "Fleet",
    responses((status = 200, description = "Workbook", content_type = XLSX, body = Workbook), ReadErrors))]
pub async fn export(State(api): State<AppState>, caller: Caller) -> ApiResult {
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
    crate::journal::record(&api, caller, "export", "vehicles:export".into()).await?;
    Ok(ApiResponse::xlsx("flotte.xlsx", body))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(list, create))
        .routes(handlers!(get, update, delete))
        .routes(handlers!(template))
        .routes(handlers!(export))
}
