//! Entities: the tenant's legal entities (name, address, SIREN and SIRET
//! with their check digits) or internal ones (sites, departments).

use crate::extract::{EntityIdPath, Id, Json};
use crate::http::{
    ApiError, ApiResponse, ApiResult, FieldError, ReadErrors, ReasonCode, Resource, WriteErrors,
    INVALID_FIELDS,
};
use crate::router::handlers;
use crate::router::Routes;
use crate::AppState;
use axum::extract::State;
use designa::app::caller::Caller;
use designa::app::entities::{all, Entity, EntityKind};
use designa::app::records::{load, load_all, new_id, save};
use designa::domain::access::Action;
use designa::domain::address::check_address;
use designa::domain::address::PostalAddress;
use designa::domain::address::REQUIRED;
use designa::domain::company::CompanyIdError;
use designa::domain::company::{Siren, Siret};
use designa::domain::{EntityId, TenantId};
use designa::ports::Storage;
use designa::store::RecordKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A legal entity needs its address; its SIREN and SIRET are optional,
/// checked when given. An internal one has no SIREN or SIRET.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "legal", "name": "Transports Exemple Nord",
    "siren": "732829320", "siret": "73282932000074",
    "address": {"line1": "1 rue de l'Exemple", "postcode": "59000", "city": "Lille", "country": "FRA"}}))]
pub struct EntityInput {
    pub kind: EntityKind,
    pub name: String,
    #[serde(default)]
    pub address: Option<PostalAddress>,
    /// 9 digits, Luhn check digit.
    #[serde(default)]
    pub siren: Option<String>,
    /// 14 digits, La Poste or Luhn rule, within the SIREN.
    #[serde(default)]
    pub siret: Option<String>,
}

/// An entity as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Entity)]
pub struct EntityView {
    pub entity_id: String,
    pub kind: EntityKind,
    pub name: String,
    pub address: Option<PostalAddress>,
    pub siren: Option<String>,
    pub siret: Option<String>,
}

impl From<&Entity> for EntityView {
    fn from(e: &Entity) -> Self {
        EntityView {
            entity_id: e.entity_id.0.clone(),
            kind: e.kind,
            name: e.name.clone(),
            address: e.address.clone(),
            siren: e.siren.clone(),
            siret: e.siret.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntityList {
    pub entities: Vec<EntityView>,
}

/// Checks the input; a legal entity needs its address.
pub fn check(input: EntityInput, entity_id: EntityId) -> Result<Entity, ApiError> {
    let mut fields = Vec::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        fields.push(FieldError::new("name", ReasonCode::Required, REQUIRED));
    } else if name.chars().count() > 120 {
        let reason = "Le nom dépasse 120 caractères.";
        fields.push(FieldError::new("name", ReasonCode::TooLong, reason));
    }
    if let Some(address) = &input.address {
        fields.extend(
            check_address(address)
                .into_iter()
                .map(|e| FieldError::new(format!("address.{}", e.field), e.code, e.reason)),
        );
    }
    let siren = input.siren.as_deref().map(Siren::parse);
    let siret = input.siret.as_deref().map(Siret::parse);
    match input.kind {
        EntityKind::Legal => check_legal(&input, &siren, &siret, &mut fields),
        EntityKind::Internal => {
            if input.siren.is_some() || input.siret.is_some() {
                fields.push(FieldError::new(
                    "siren",
                    ReasonCode::NotAllowed,
                    "Une entité interne n'a ni SIREN ni SIRET : faites-en une personne morale.",
                ));
            }
        }
    }
    if !fields.is_empty() {
        return Err(ApiError::invalid(INVALID_FIELDS, fields));
    }
    Ok(Entity {
        entity_id,
        kind: input.kind,
        name,
        address: input.address,
        siren: siren.and_then(Result::ok).map(|s| s.as_str().to_string()),
        siret: siret.and_then(Result::ok).map(|s| s.as_str().to_string()),
    })
}

/// A legal entity's address; its SIREN and SIRET, optional as in the
/// reference product, are checked when given (the SIRET within the SIREN).
fn check_legal(
    input: &EntityInput,
    siren: &Option<Result<Siren, CompanyIdError>>,
    siret: &Option<Result<Siret, CompanyIdError>>,
    fields: &mut Vec<FieldError>,
) {
    let refused = |field: &str, e: &CompanyIdError| FieldError::new(field, e.code(), e.to_string());
    if input.address.is_none() {
        let reason = "Une personne morale a besoin de son adresse.";
        fields.push(FieldError::new("address", ReasonCode::Required, reason));
    }
    if let Some(Err(e)) = siren {
        fields.push(refused("siren", e));
    }
    match (siret, siren) {
        (None, _) => {}
        (Some(Err(e)), _) => fields.push(refused("siret", e)),
        (Some(Ok(siret)), Some(Ok(siren))) => {
            if let Err(e) = siret.belongs_to(siren) {
                fields.push(refused("siret", &e));
            }
        }
        (Some(Ok(_)), _) => {}
    }
}

/// An entity the caller sees, or 404.
async fn visible<S: Storage>(
    storage: &S,
    caller: &Caller,
    entity_id: &str,
) -> Result<(Entity, u64), ApiError> {
    let id = EntityId(entity_id.to_string());
    if !caller.sees(&id) {
        return Err(ApiError::NotFound(Resource::Entity));
    }
    load(storage, caller.tenant_id(), RecordKind::Entity, entity_id)
        .await?
        .ok_or(ApiError::NotFound(Resource::Entity))
}

/// Workbooks name entities: names are unique within a tenant, whatever the case.
async fn ensure_name_free<S: Storage>(
    storage: &S,
    tenant: &TenantId,
    entity: &Entity,
) -> Result<(), ApiError> {
    let taken = all(storage, tenant).await?.iter().any(|e| {
        e.entity_id != entity.entity_id && e.name.to_lowercase() == entity.name.to_lowercase()
    });
    if taken {
        return Err(ApiError::Conflict {
            message: format!("Une entité s'appelle déjà « {} ».", entity.name),
            current: serde_json::Value::Null,
        });
    }
    Ok(())
}

/// The entities the caller sees.
#[utoipa::path(get, path = "/entities", tag = "Entities",
    responses((status = 200, description = "The entities", body = EntityList), ReadErrors))]
pub async fn list(State(api): State<AppState>, caller: Caller) -> ApiResult {
    let entities = all(&api.storage, caller.tenant_id())
        .await?
        .iter()
        .filter(|e| caller.sees(&e.entity_id))
        .map(EntityView::from)
        .collect();
    Ok(ApiResponse::json(200, &EntityList { entities }))
}

/// One entity.
#[utoipa::path(get, path = "/entities/{entityId}", tag = "Entities", params(EntityIdPath),
    responses((status = 200, description = "The entity", body = EntityView), ReadErrors))]
pub async fn get(Id(entity_id): Id, State(api): State<AppState>, caller: Caller) -> ApiResult {
    let (entity, _) = visible(&api.storage, &caller, &entity_id).await?;
    Ok(ApiResponse::json(200, &EntityView::from(&entity)))
}

/// Add an entity (the tenant's admins).
#[utoipa::path(post, path = "/entities", tag = "Entities",
    responses((status = 201, description = "Added", body = EntityView), WriteErrors))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<EntityInput>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.require_tenant_admin()?;
    let entity = check(input, EntityId(new_id()))?;
    ensure_name_free(&api.storage, caller.tenant_id(), &entity).await?;
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Entity,
        &entity.entity_id.0,
        &entity,
        None,
        None,
    )
    .await?;
    crate::journal::record(
        api,
        caller,
        "create",
        format!("entity:{}", entity.entity_id),
    )
    .await?;
    Ok(ApiResponse::json(201, &EntityView::from(&entity)))
}

/// Change an entity (the tenant's admins, or the entity's own).
#[utoipa::path(put, path = "/entities/{entityId}", tag = "Entities", params(EntityIdPath),
    responses((status = 200, description = "Changed", body = EntityView), WriteErrors))]
pub async fn update(
    Id(entity_id): Id,
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<EntityInput>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let entity_id = entity_id.as_str();
    let (_, version) = visible(&api.storage, caller, entity_id).await?;
    // The tenant's admins, or this entity's own admins.
    caller.require(
        Action::ManageUsers,
        &EntityId(entity_id.into()),
        Resource::Entity,
    )?;
    let entity = check(input, EntityId(entity_id.into()))?;
    ensure_name_free(&api.storage, caller.tenant_id(), &entity).await?;
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Entity,
        entity_id,
        &entity,
        Some(version),
        None,
    )
    .await?;
    crate::journal::record(api, caller, "update", format!("entity:{entity_id}")).await?;
    Ok(ApiResponse::json(200, &EntityView::from(&entity)))
}

/// "3 véhicules et 1 conducteur", as the refusal to remove an entity says it.
fn held_things(vehicles: usize, drivers: usize) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (vehicles, drivers) {
        (v, 0) => count(v, "véhicule", "véhicules"),
        (0, d) => count(d, "conducteur", "conducteurs"),
        (v, d) => format!(
            "{} et {}",
            count(v, "véhicule", "véhicules"),
            count(d, "conducteur", "conducteurs")
        ),
    }
}

/// Remove an entity that no vehicle or driver belongs to.
#[utoipa::path(delete, path = "/entities/{entityId}", tag = "Entities", params(EntityIdPath),
    responses((status = 204, description = "Removed"), WriteErrors))]
pub async fn delete(Id(entity_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let entity_id = entity_id.as_str();
    visible(&api.storage, caller, entity_id).await?;
    caller.require_tenant_admin()?;
    let id = EntityId(entity_id.into());
    let vehicles = api.storage.vehicles(caller.tenant_id()).await?;
    let drivers: Vec<designa::domain::driver::Driver> =
        load_all(&api.storage, caller.tenant_id(), RecordKind::Driver).await?;
    let held_vehicles = vehicles.iter().filter(|v| v.entity_id == id).count();
    let held_drivers = drivers.iter().filter(|d| d.entity_id == id).count();
    if held_vehicles + held_drivers > 0 {
        return Err(ApiError::Conflict {
            message: format!(
                "Cette entité a encore {} : déplacez-les vers une autre entité ou supprimez-les d'abord.",
                held_things(held_vehicles, held_drivers)
            ),
            current: serde_json::json!({ "vehicles": held_vehicles, "drivers": held_drivers }),
        });
    }
    api.storage
        .delete_record(caller.tenant_id(), RecordKind::Entity, entity_id)
        .await?;
    crate::journal::record(api, caller, "delete", format!("entity:{entity_id}")).await?;
    Ok(ApiResponse::no_content())
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(list, create))
        .routes(handlers!(get, update, delete))
}
