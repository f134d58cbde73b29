//! Entities: the tenant's legal entities (name, address, SIREN and SIRET
//! with their check digits) or internal ones (sites, departments).

use crate::extract::Id;
use crate::http::{ApiError, ApiRequest, ApiResponse, ApiResult, FieldError};
use crate::json_body;
use crate::router::Routes;
use crate::AppState;
use axum::extract::State;
use designa::app::caller::Caller;
use designa::app::entities::{all, Entity, EntityKind};
use designa::app::records::{load, load_all, new_id, save};
use designa::domain::access::Action;
use designa::domain::address::check_address;
use designa::domain::address::PostalAddress;
use designa::domain::company::{Siren, Siret};
use designa::domain::{EntityId, TenantId};
use designa::ports::Storage;
use designa::store::RecordKind;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityInput {
    pub kind: EntityKind,
    pub name: String,
    #[serde(default)]
    pub address: Option<PostalAddress>,
    #[serde(default)]
    pub siren: Option<String>,
    #[serde(default)]
    pub siret: Option<String>,
}

/// Checks the input; a legal entity needs its address, SIREN and SIRET.
pub fn check(input: EntityInput, entity_id: EntityId) -> Result<Entity, ApiError> {
    let mut fields = Vec::new();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 120 {
        fields.push(FieldError::new(
            "name",
            "is required, 120 characters at most",
        ));
    }
    if let Some(address) = &input.address {
        fields.extend(
            check_address(address)
                .into_iter()
                .map(|e| FieldError::new(format!("address.{}", e.field), e.reason)),
        );
    }
    let siren = input.siren.as_deref().map(Siren::parse);
    let siret = input.siret.as_deref().map(Siret::parse);
    match input.kind {
        EntityKind::Legal => {
            if input.address.is_none() {
                fields.push(FieldError::new(
                    "address",
                    "a legal entity needs its address",
                ));
            }
            match &siren {
                None => fields.push(FieldError::new("siren", "a legal entity needs its SIREN")),
                Some(Err(e)) => fields.push(FieldError::new("siren", e.to_string())),
                Some(Ok(_)) => {}
            }
            match &siret {
                None => fields.push(FieldError::new("siret", "a legal entity needs its SIRET")),
                Some(Err(e)) => fields.push(FieldError::new("siret", e.to_string())),
                Some(Ok(siret)) => {
                    if let Some(Ok(siren)) = &siren {
                        if let Err(e) = siret.belongs_to(siren) {
                            fields.push(FieldError::new("siret", e.to_string()));
                        }
                    }
                }
            }
        }
        EntityKind::Internal => {
            if input.siren.is_some() || input.siret.is_some() {
                fields.push(FieldError::new(
                    "siren",
                    "an internal entity has no SIREN or SIRET; make it a legal entity",
                ));
            }
        }
    }
    if !fields.is_empty() {
        return Err(ApiError::invalid("the entity is not valid", fields));
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

/// An entity the caller sees, or 404.
async fn visible<S: Storage>(
    storage: &S,
    caller: &Caller,
    entity_id: &str,
) -> Result<(Entity, u64), ApiError> {
    let id = EntityId(entity_id.to_string());
    if !caller.sees(&id) {
        return Err(ApiError::NotFound("entity".into()));
    }
    load(storage, caller.tenant_id(), RecordKind::Entity, entity_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("entity".into()))
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
            message: format!("an entity is already named '{}'", entity.name),
            current: serde_json::Value::Null,
        });
    }
    Ok(())
}

pub async fn list(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let entities: Vec<Entity> = all(&api.storage, caller.tenant_id())
        .await?
        .into_iter()
        .filter(|e| caller.sees(&e.entity_id))
        .collect();
    Ok(ApiResponse::json(200, &json!({ "entities": entities })))
}

pub async fn get(Id(entity_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let entity_id = entity_id.as_str();
    let (entity, _) = visible(&api.storage, caller, entity_id).await?;
    Ok(ApiResponse::json(200, &entity))
}

pub async fn create(State(app): State<AppState>, caller: Caller, request: ApiRequest) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    caller.require_tenant_admin()?;
    let entity = check(json_body(request)?, EntityId(new_id()))?;
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
    Ok(ApiResponse::json(201, &entity))
}

pub async fn update(
    Id(entity_id): Id,
    State(app): State<AppState>,
    caller: Caller,
    request: ApiRequest,
) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    let entity_id = entity_id.as_str();
    let (_, version) = visible(&api.storage, caller, entity_id).await?;
    // The tenant's admins, or this entity's own admins.
    caller.require(Action::ManageUsers, &EntityId(entity_id.into()), "entity")?;
    let entity = check(json_body(request)?, EntityId(entity_id.into()))?;
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
    Ok(ApiResponse::json(200, &entity))
}

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
    let in_use = vehicles.iter().filter(|v| v.entity_id == id).count()
        + drivers.iter().filter(|d| d.entity_id == id).count();
    if in_use > 0 {
        return Err(ApiError::Conflict {
            message: format!(
                "{in_use} vehicles or drivers still belong to this entity; move or remove them first"
            ),
            current: serde_json::Value::Null,
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
        .get("/entities", list)
        .post("/entities", create)
        .get("/entities/{entityId}", get)
        .put("/entities/{entityId}", update)
        .delete("/entities/{entityId}", delete)
}
