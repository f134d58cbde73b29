//! Who is calling: the verified token's tenant and subject, then the user
//! record's grants. Nothing in the path or body can change either.

use super::error::{AppError, Resource};
use crate::domain::access::{current_grants, Action, Principal, Scope};
use crate::domain::tenant::{is_valid_tenant_id, Tenant, User};
use crate::domain::{EntityId, TenantId};
use crate::ports::Storage;
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// Claims of a verified JWT (API Gateway's JWT authorizer, or the local
/// server's identical check).
pub type Claims = Map<String, Value>;

/// The user attribute (and ID-token claim) naming the user's tenant.
pub const TENANT_ATTRIBUTE: &str = "custom:tenant_id";

/// The 403 of a caller whose roles grant no scope for the action.
pub const ROLES_DO_NOT_ALLOW: &str = "Vos rôles ne permettent pas cette action.";

#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub tenant: Tenant,
    pub principal: Principal,
    pub request_id: String,
}

/// The caller for work done later on a user's behalf (the import worker):
/// the user's grants as they are `today`, refused if the user was deactivated.
pub async fn for_user<S: Storage>(
    storage: &S,
    tenant_id: &TenantId,
    user_id: &str,
    request_id: &str,
    today: NaiveDate,
) -> Result<Caller, AppError> {
    let user = storage
        .user(tenant_id, user_id)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| {
            AppError::Forbidden("L'utilisateur qui a lancé ce traitement n'est plus actif.".into())
        })?;
    let tenant = storage
        .tenant(tenant_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("Ce compte client n'existe pas.".into()))?;
    Ok(Caller {
        principal: Principal {
            tenant_id: tenant_id.clone(),
            user_id: user.user_id.clone(),
            active: true,
            grants: current_grants(&user.grants, today),
        },
        user,
        tenant,
        request_id: request_id.into(),
    })
}

/// The caller a verified token names, with the grants in force `today`
/// (Paris); `claims` is `None` when no token was verified.
pub async fn authenticate<S: Storage>(
    storage: &S,
    claims: Option<&Claims>,
    request_id: &str,
    today: NaiveDate,
) -> Result<Caller, AppError> {
    let claims = claims.ok_or(AppError::Unauthenticated)?;
    let claim = |name: &str| claims.get(name).and_then(|v| v.as_str());
    // API Gateway accepts access and id tokens alike; only id tokens carry the tenant.
    let (Some(tenant), Some(subject)) = (claim(TENANT_ATTRIBUTE), claim("sub")) else {
        return Err(AppError::Forbidden(
            "Le jeton ne porte pas de compte client : connectez-vous avec le jeton d'identité (ID token).".into(),
        ));
    };
    if !is_valid_tenant_id(tenant) {
        return Err(AppError::Forbidden(
            "Le compte client du jeton n'est pas valide.".into(),
        ));
    }
    let tenant_id = TenantId(tenant.to_string());
    let user = storage.user(&tenant_id, subject).await?.ok_or_else(|| {
        AppError::Forbidden("Aucun utilisateur de ce compte client n'a cette identité.".into())
    })?;
    if !user.active {
        return Err(AppError::Forbidden("Cet utilisateur est désactivé.".into()));
    }
    let tenant = storage
        .tenant(&tenant_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("Ce compte client n'existe pas.".into()))?;
    Ok(Caller {
        principal: Principal {
            tenant_id,
            user_id: user.user_id.clone(),
            active: user.active,
            grants: current_grants(&user.grants, today),
        },
        user,
        tenant,
        request_id: request_id.into(),
    })
}

impl Caller {
    pub fn tenant_id(&self) -> &TenantId {
        &self.principal.tenant_id
    }

    /// Does any grant of the caller cover the entity (can it see it at all)?
    pub fn sees(&self, entity: &EntityId) -> bool {
        self.principal.grants.iter().any(|g| match &g.scope {
            Scope::AllEntities => true,
            Scope::Entities(list) => list.contains(entity),
        })
    }

    /// Allows `action` on `entity`, else 403 if the caller sees the entity
    /// and 404 (naming `what`) if not: out-of-scope ids reveal nothing.
    pub fn require(
        &self,
        action: Action,
        entity: &EntityId,
        what: Resource,
    ) -> Result<(), AppError> {
        if self.principal.can(action, self.tenant_id(), entity) {
            Ok(())
        } else if self.sees(entity) {
            Err(AppError::Forbidden(format!(
                "Vos rôles ne permettent pas cette action sur {}.",
                what.this()
            )))
        } else {
            Err(AppError::NotFound(what))
        }
    }

    /// The entities the caller may do `action` on (403 if none).
    pub fn scope(&self, action: Action) -> Result<Scope, AppError> {
        self.principal
            .scope_for(action)
            .ok_or_else(|| AppError::Forbidden(ROLES_DO_NOT_ALLOW.into()))
    }

    pub fn require_tenant_admin(&self) -> Result<(), AppError> {
        if self.principal.is_tenant_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "Seuls les administrateurs du compte client peuvent faire cela.".into(),
            ))
        }
    }
}

/// Is the entity inside the scope?
pub fn in_scope(scope: &Scope, entity: &EntityId) -> bool {
    match scope {
        Scope::AllEntities => true,
        Scope::Entities(list) => list.contains(entity),
    }
}
