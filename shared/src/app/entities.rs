//! The tenant's entities as the use cases need them: the stored record,
//! the caller's right to act on one, and the names workbooks use for them.

use super::caller::Caller;
use super::error::{AppError, Resource};
use super::records::load_all;
use crate::domain::access::Action;
use crate::domain::address::PostalAddress;
use crate::domain::{EntityId, TenantId};
use crate::ports::Storage;
use crate::store::RecordKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Legal,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub entity_id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    pub address: Option<PostalAddress>,
    pub siren: Option<String>,
    pub siret: Option<String>,
}

/// Every entity of the tenant.
pub async fn all<S: Storage>(storage: &S, tenant: &TenantId) -> Result<Vec<Entity>, AppError> {
    load_all(storage, tenant, RecordKind::Entity).await
}

/// An existing entity of the caller's tenant that the caller may `action`
/// on (403 if it sees it without that right, 404 otherwise).
pub async fn require_entity<S: Storage>(
    storage: &S,
    caller: &Caller,
    action: Action,
    entity: &EntityId,
) -> Result<(), AppError> {
    caller.require(action, entity, Resource::Entity)?;
    match storage
        .record(caller.tenant_id(), RecordKind::Entity, &entity.0)
        .await?
    {
        Some(_) => Ok(()),
        None => Err(AppError::NotFound(Resource::Entity)),
    }
}

/// Resolves an entity typed in a workbook (its name, or its id).
pub fn resolver(entities: &[Entity]) -> impl Fn(&str) -> Option<EntityId> + '_ {
    move |typed: &str| {
        let typed = typed.trim();
        entities
            .iter()
            .find(|e| e.entity_id.0 == typed || e.name.to_lowercase() == typed.to_lowercase())
            .map(|e| e.entity_id.clone())
    }
}

/// The entity's name as workbooks show it (its id if it is gone).
pub fn entity_name(entities: &[Entity], id: &EntityId) -> String {
    entities
        .iter()
        .find(|e| &e.entity_id == id)
        .map_or_else(|| id.0.clone(), |e| e.name.clone())
}
