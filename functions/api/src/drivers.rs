//! Drivers: names, a French or foreign postal address, optional e-mails;
//! never licence data. Every read of a driver's data is journaled.

use crate::extract::{DriverIdPath, Id, Json, Query};
use crate::http::{
    ApiError, ApiResponse, ApiResult, FieldError, ReadErrors, Workbook, WriteErrors, XLSX,
};
use crate::http::{Resource, INVALID_FIELDS};
use crate::router::Routes;
use crate::AppState;
use axum::extract::State;
use designa::app::assignments::StoredAssignment;
use designa::app::caller::{in_scope, Caller};
use designa::app::entities::{all as all_entities, entity_name, require_entity};
use designa::app::records::{load, load_all, new_id, save};

use crate::router::handlers;
use designa::domain::access::Action;
use designa::domain::address::PostalAddress;
use designa::domain::driver::Driver;
use designa::domain::EntityId;
use designa::excel::drivers::{write_drivers, DriverRow};
use designa::ports::Storage;
use designa::store::RecordKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"entity_id": "e-lyon", "last_name": "Martin", "first_name": "Alex",
    "address": {"line1": "2 place Fictive", "postcode": "69001", "city": "Lyon", "country": "FRA"},
    "professional_email": "alex.martin@example.com"}))]
pub struct DriverInput {
    #[schema(value_type = String)]
    pub entity_id: EntityId,
    pub last_name: String,
    pub first_name: String,
    pub address: PostalAddress,
    #[serde(default)]
    pub personal_email: Option<String>,
    #[serde(default)]
    pub professional_email: Option<String>,
}

/// A driver as the API shows it. No licence data, by design.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Driver)]
pub struct DriverView {
    pub tenant_id: String,
    pub entity_id: String,
    pub driver_id: String,
    pub last_name: String,
    pub first_name: String,
    pub address: PostalAddress,
    pub personal_email: Option<String>,
    pub professional_email: Option<String>,
    /// Processing restricted at the driver's request (a privacy request
    /// sets and lifts it).
    pub restricted: bool,
    /// The driver objected (GDPR art. 21): no automatic designation.
    pub objected: bool,
}

impl From<&Driver> for DriverView {
    fn from(d: &Driver) -> Self {
        DriverView {
            tenant_id: d.tenant_id.0.clone(),
            entity_id: d.entity_id.0.clone(),
            driver_id: d.driver_id.clone(),
            last_name: d.last_name.clone(),
            first_name: d.first_name.clone(),
            address: d.address.clone(),
            personal_email: d.personal_email.clone(),
            professional_email: d.professional_email.clone(),
            restricted: d.restricted,
            objected: d.objected,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DriverList {
    pub drivers: Vec<DriverView>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DriverFilter {
    /// One entity's drivers.
    pub entity_id: Option<String>,
}

fn blank_to_none(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub fn check(input: DriverInput, caller: &Caller, driver_id: String) -> Result<Driver, ApiError> {
    let mut address = input.address;
    address.country = designa::domain::plate::normalize_country(&address.country);
    let driver = Driver {
        tenant_id: caller.tenant_id().clone(),
        entity_id: input.entity_id,
        driver_id,
        last_name: input.last_name.trim().to_string(),
        first_name: input.first_name.trim().to_string(),
        address,
        personal_email: blank_to_none(input.personal_email),
        professional_email: blank_to_none(input.professional_email),
        restricted: false,
        objected: false,
    };
    let errors = driver.check();
    if errors.is_empty() {
        Ok(driver)
    } else {
        Err(ApiError::invalid(
            INVALID_FIELDS,
            errors
                .into_iter()
                .map(|e| FieldError::new(e.field, e.code, e.reason))
                .collect(),
        ))
    }
}

/// A driver the caller may `action`, with its version; else 404 (or 403).
pub async fn driver_for<S: Storage>(
    storage: &S,
    caller: &Caller,
    driver_id: &str,
    action: Action,
) -> Result<(Driver, u64), ApiError> {
    let (driver, version): (Driver, u64) =
        load(storage, caller.tenant_id(), RecordKind::Driver, driver_id)
            .await?
            .ok_or(ApiError::NotFound(Resource::Driver))?;
    caller.require(action, &driver.entity_id, Resource::Driver)?;
    Ok((driver, version))
}

/// The drivers the caller may read, by name.
async fn readable<S: Storage>(
    storage: &S,
    filter: &DriverFilter,
    caller: &Caller,
) -> Result<Vec<Driver>, ApiError> {
    let scope = caller.scope(Action::ReadDrivers)?;
    let entity = filter.entity_id.as_deref();
    let mut drivers: Vec<Driver> = load_all(storage, caller.tenant_id(), RecordKind::Driver)
        .await?
        .into_iter()
        .filter(|d: &Driver| in_scope(&scope, &d.entity_id))
        .filter(|d| entity.is_none_or(|e| d.entity_id.0 == e))
        .collect();
    drivers.sort_by(|a, b| {
        (&a.last_name, &a.first_name, &a.driver_id).cmp(&(
            &b.last_name,
            &b.first_name,
            &b.driver_id,
        ))
    });
    Ok(drivers)
}

/// The drivers the caller may read, by name (journaled).
#[utoipa::path(get, path = "/drivers", tag = "Drivers", params(DriverFilter),
    responses((status = 200, description = "The drivers", body = DriverList), ReadErrors))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Query(filter): Query<DriverFilter>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let drivers = readable(&api.storage, &filter, caller).await?;
    crate::journal::record(
        api,
        caller,
        "read",
        format!("drivers:list({})", drivers.len()),
    )
    .await?;
    let drivers = drivers.iter().map(DriverView::from).collect();
    Ok(ApiResponse::json(200, &DriverList { drivers }))
}

/// One driver (journaled).
#[utoipa::path(get, path = "/drivers/{driverId}", tag = "Drivers", params(DriverIdPath),
    responses((status = 200, description = "The driver", body = DriverView), ReadErrors))]
pub async fn get(Id(driver_id): Id, State(api): State<AppState>, caller: Caller) -> ApiResult {
    let (driver, _) = driver_for(&api.storage, &caller, &driver_id, Action::ReadDrivers).await?;
    crate::journal::record(&api, &caller, "read", format!("driver:{driver_id}")).await?;
    Ok(ApiResponse::json(200, &DriverView::from(&driver)))
}

/// Add a driver.
#[utoipa::path(post, path = "/drivers", tag = "Drivers",
    responses((status = 201, description = "Added", body = DriverView), WriteErrors))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<DriverInput>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.scope(Action::WriteDrivers)?;
    let driver = check(input, caller, new_id())?;
    require_entity(
        &api.storage,
        caller,
        Action::WriteDrivers,
        &driver.entity_id,
    )
    .await?;
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Driver,
        &driver.driver_id,
        &driver,
        None,
        None,
    )
    .await?;
    crate::journal::record(
        api,
        caller,
        "create",
        format!("driver:{}", driver.driver_id),
    )
    .await?;
    Ok(ApiResponse::json(201, &DriverView::from(&driver)))
}

/// Change a driver.
#[utoipa::path(put, path = "/drivers/{driverId}", tag = "Drivers", params(DriverIdPath),
    responses((status = 200, description = "Changed", body = DriverView), WriteErrors))]
pub async fn update(
    Id(driver_id): Id,
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<DriverInput>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let driver_id = driver_id.as_str();
    let (stored, version) =
        driver_for(&api.storage, caller, driver_id, Action::WriteDrivers).await?;
    let mut driver = check(input, caller, driver_id.into())?;
    // Restriction is set and lifted through a privacy request only.
    driver.restricted = stored.restricted;
    driver.objected = stored.objected;
    require_entity(
        &api.storage,
        caller,
        Action::WriteDrivers,
        &driver.entity_id,
    )
    .await?;
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Driver,
        driver_id,
        &driver,
        Some(version),
        None,
    )
    .await?;
    crate::journal::record(api, caller, "update", format!("driver:{driver_id}")).await?;
    Ok(ApiResponse::json(200, &DriverView::from(&driver)))
}

/// Remove a driver and their assignments (a planning row without its
/// driver would be suggested on notices and designate no one).
#[utoipa::path(delete, path = "/drivers/{driverId}", tag = "Drivers", params(DriverIdPath),
    responses((status = 204, description = "Removed"), WriteErrors))]
pub async fn delete(Id(driver_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let driver_id = driver_id.as_str();
    driver_for(&api.storage, caller, driver_id, Action::WriteDrivers).await?;
    let assignments: Vec<StoredAssignment> =
        load_all(&api.storage, caller.tenant_id(), RecordKind::Assignment).await?;
    // The assignments first: a request cut short is simply sent again.
    for stored in assignments
        .iter()
        .filter(|a| a.assignment.driver_id == driver_id)
    {
        let id = &stored.assignment.assignment_id;
        api.storage
            .delete_record(caller.tenant_id(), RecordKind::Assignment, id)
            .await?;
    }
    api.storage
        .delete_record(caller.tenant_id(), RecordKind::Driver, driver_id)
        .await?;
    crate::journal::record(api, caller, "delete", format!("driver:{driver_id}")).await?;
    Ok(ApiResponse::no_content())
}

/// The drivers as a workbook (journaled; restricted drivers left out).
#[utoipa::path(get, path = "/drivers/export", tag = "Drivers", params(DriverFilter),
    responses((status = 200, description = "Workbook", content_type = XLSX, body = Workbook), ReadErrors))]
pub async fn export(
    State(app): State<AppState>,
    caller: Caller,
    Query(filter): Query<DriverFilter>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    // Restricted drivers stay out of exports until the restriction is lifted.
    let drivers: Vec<Driver> = readable(&api.storage, &filter, caller)
        .await?
        .into_iter()
        .filter(|d| !d.restricted)
        .collect();
    let entities = all_entities(&api.storage, caller.tenant_id()).await?;
    let rows: Vec<DriverRow> = drivers
        .iter()
        .enumerate()
        .map(|(i, d)| DriverRow {
            row: i + 2,
            entity: entity_name(&entities, &d.entity_id),
            last_name: d.last_name.clone(),
            first_name: d.first_name.clone(),
            address: d.address.clone(),
            personal_email: d.personal_email.clone(),
            professional_email: d.professional_email.clone(),
        })
        .collect();
    let body = write_drivers(&rows).map_err(|e| ApiError::Internal(e.to_string()))?;
    crate::journal::record(
        api,
        caller,
        "export",
        format!("drivers:export({})", rows.len()),
    )
    .await?;
    Ok(ApiResponse::xlsx("conducteurs.xlsx", body))
}

/// The empty drivers workbook to fill in (signed-in users only, like every
/// route but the invitation).
#[utoipa::path(get, path = "/drivers/template", tag = "Drivers",
    responses((status = 200, description = "Workbook", content_type = XLSX, body = Workbook), ReadErrors))]
pub async fn template(_caller: Caller) -> ApiResult {
    let body = write_drivers(&[]).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(ApiResponse::xlsx("conducteurs-modele.xlsx", body))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(list, create))
        .routes(handlers!(export))
        .routes(handlers!(template))
        .routes(handlers!(get, update, delete))
}
