//! Users: admins invite people by name and e-mail (an identity in Cognito
//! plus our French e-mail with a one-time set-password link), edit their
//! roles and scopes, deactivate, reactivate and delete them. An entity's
//! admin manages only users whose every grant lies within its entities.

use crate::extract::{Id, InvitationTokenPath, Json, UserIdPath};
use crate::http::{
    ApiError, ApiRequest, ApiResponse, ApiResult, FieldError, PublicErrors, ReadErrors, WriteErrors,
};
use crate::http::{ReasonCode, Resource, INVALID_FIELDS};
use crate::router::handlers;
use crate::router::Routes;
use crate::AppState;
use crate::{json_body, Api};
use axum::extract::State;
use chrono::NaiveDate;
use designa::app::caller::Caller;
use designa::app::idempotency::erase_person;
use designa::app::records::load;
use designa::domain::access::{Action, Grant, Scope};
use designa::domain::address::REQUIRED;
use designa::domain::driver::is_plausible_email;
use designa::domain::subject::Subject;
use designa::domain::tenant::User;
use designa::domain::time::paris_date;
use designa::invitation::{check_password, InvitationToken, PendingInvitation};
use designa::ports::{AddressTaken, Clock, IdentityProvider, Invitation, SignInState, Storage};
use designa::store::RecordKind;
use futures::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "camille.exemple@example.com", "first_name": "Camille",
    "last_name": "Exemple",
    "grants": [{"role": "designation", "scope": {"kind": "entities", "entities": ["e-lyon"]}}]}))]
pub struct InviteInput {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub grants: Vec<Grant>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"first_name": "Camille", "last_name": "Exemple",
    "grants": [{"role": "fleet_management", "scope": {"kind": "all_entities"}}]}))]
pub struct UserUpdate {
    pub first_name: String,
    pub last_name: String,
    pub grants: Vec<Grant>,
}

/// Where a user stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserState {
    /// Invited: has not chosen a password yet.
    Invited,
    Active,
    /// Cannot sign in.
    Deactivated,
}

/// A user as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserView {
    pub tenant_id: String,
    pub user_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// A deactivated user cannot sign in.
    pub active: bool,
    pub state: UserState,
    /// A second factor (TOTP) is set up.
    pub second_factor: bool,
    pub grants: Vec<Grant>,
}

impl UserView {
    pub fn new(u: &User, sign_in: SignInState) -> Self {
        let state = match (u.active, sign_in.password_set) {
            (false, _) => UserState::Deactivated,
            (true, false) => UserState::Invited,
            (true, true) => UserState::Active,
        };
        UserView {
            tenant_id: u.tenant_id.0.clone(),
            user_id: u.user_id.clone(),
            email: u.email.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            active: u.active,
            state,
            second_factor: sign_in.second_factor,
            grants: u.grants.clone(),
        }
    }
}

/// The user with what the identity provider knows of their sign-in.
async fn view(api: &Api, user: &User) -> Result<UserView, ApiError> {
    let sign_in = api.identity.sign_in_state(&user.email).await?;
    Ok(UserView::new(user, sign_in))
}

/// At most this many identities asked at once for a list.
const IDENTITIES_ASKED_AT_ONCE: usize = 8;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserView>,
}

/// May the caller give these grants? Tenant admins give anything; an
/// entity's admin only grants within the entities it administers.
fn may_grant(caller: &Caller, grants: &[Grant]) -> bool {
    if caller.principal.is_tenant_admin() {
        return true;
    }
    let Some(Scope::Entities(managed)) = caller.principal.scope_for(Action::ManageUsers) else {
        return false;
    };
    grants.iter().all(|g| match &g.scope {
        Scope::AllEntities => false,
        Scope::Entities(list) => list.is_subset(&managed),
    })
}

/// The 403 of a grant beyond what the caller administers.
const GRANT_OUTSIDE_SCOPE: &str =
    "Vous ne pouvez donner des rôles que dans les entités que vous administrez.";

/// May the caller manage (see, edit) this user?
fn manages(caller: &Caller, user: &User) -> bool {
    user.tenant_id == *caller.tenant_id()
        && (caller.principal.is_tenant_admin()
            || (!user.grants.is_empty() && may_grant(caller, &user.grants)))
}

fn check_names(first: &str, last: &str) -> Vec<FieldError> {
    let mut fields = Vec::new();
    for (field, value) in [("first_name", first), ("last_name", last)] {
        let v = value.trim();
        if v.is_empty() {
            fields.push(FieldError::new(field, ReasonCode::Required, REQUIRED));
        } else if v.chars().count() > 80 || v.chars().any(char::is_control) {
            let reason = format!("« {v} » n'est pas un nom (80 caractères au plus).");
            fields.push(FieldError::new(field, ReasonCode::NotAName, reason));
        }
    }
    fields
}

/// At least one grant, each scope naming entities, no end date already past.
fn check_grants(grants: &[Grant], today: NaiveDate) -> Vec<FieldError> {
    let mut fields = Vec::new();
    if grants.is_empty() {
        let reason = "Donnez au moins un rôle.";
        fields.push(FieldError::new("grants", ReasonCode::Required, reason));
    }
    for (i, g) in grants.iter().enumerate() {
        if matches!(&g.scope, Scope::Entities(list) if list.is_empty()) {
            fields.push(FieldError::new(
                format!("grants[{i}].scope"),
                ReasonCode::Required,
                "Choisissez au moins une entité, ou toutes les entités.",
            ));
        }
        if g.until.is_some_and(|last| last < today) {
            fields.push(FieldError::new(
                format!("grants[{i}].until"),
                ReasonCode::OutOfRange,
                "La date de fin du rôle est passée : choisissez aujourd'hui ou plus tard.",
            ));
        }
    }
    fields
}

/// Every entity a grant names must be one of the tenant's (404 otherwise).
async fn check_entities_exist<S: Storage>(
    storage: &S,
    caller: &Caller,
    grants: &[Grant],
) -> Result<(), ApiError> {
    let entities = designa::app::entities::all(storage, caller.tenant_id()).await?;
    let known = |id: &designa::domain::EntityId| entities.iter().any(|e| &e.entity_id == id);
    for grant in grants {
        if let Scope::Entities(list) = &grant.scope {
            if !list.iter().all(known) {
                return Err(ApiError::NotFound(Resource::Entity));
            }
        }
    }
    Ok(())
}

async fn managed_user<S: Storage>(
    storage: &S,
    caller: &Caller,
    user_id: &str,
) -> Result<User, ApiError> {
    storage
        .user(caller.tenant_id(), user_id)
        .await?
        .filter(|u| manages(caller, u))
        .ok_or(ApiError::NotFound(Resource::User))
}

/// The users the caller manages.
#[utoipa::path(get, path = "/users", tag = "Users",
    responses((status = 200, description = "The users", body = UserList), ReadErrors))]
pub async fn list(State(api): State<AppState>, caller: Caller) -> ApiResult {
    caller.scope(Action::ManageUsers)?;
    let managed: Vec<User> = api
        .storage
        .users(caller.tenant_id())
        .await?
        .into_iter()
        .filter(|u| manages(&caller, u))
        .collect();
    let api = &*api;
    let users = futures::stream::iter(managed)
        .map(|u| async move { view(api, &u).await })
        .buffered(IDENTITIES_ASKED_AT_ONCE)
        .try_collect()
        .await?;
    Ok(ApiResponse::json(200, &UserList { users }))
}

/// One user the caller manages.
#[utoipa::path(get, path = "/users/{userId}", tag = "Users", params(UserIdPath),
    responses((status = 200, description = "The user", body = UserView), ReadErrors))]
pub async fn get(Id(user_id): Id, State(api): State<AppState>, caller: Caller) -> ApiResult {
    caller.scope(Action::ManageUsers)?;
    let user = managed_user(&api.storage, &caller, &user_id).await?;
    Ok(ApiResponse::json(200, &view(&api, &user).await?))
}

/// Invite someone: an identity, a user, and an e-mail with a one-time
/// set-password link.
#[utoipa::path(post, path = "/users", tag = "Users",
    responses((status = 201, description = "Invited", body = UserView), WriteErrors))]
pub async fn invite(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<InviteInput>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.scope(Action::ManageUsers)?;
    let email = input.email.trim().to_lowercase();
    let mut fields = check_names(&input.first_name, &input.last_name);
    if !is_plausible_email(&email) {
        fields.push(FieldError::new(
            "email",
            ReasonCode::InvalidEmail,
            format!("« {email} » n'est pas une adresse e-mail."),
        ));
    }
    fields.extend(check_grants(&input.grants, paris_date(api.clock.now())));
    if !fields.is_empty() {
        return Err(ApiError::invalid(INVALID_FIELDS, fields));
    }
    check_entities_exist(&api.storage, caller, &input.grants).await?;
    if !may_grant(caller, &input.grants) {
        return Err(ApiError::Forbidden(GRANT_OUTSIDE_SCOPE.into()));
    }
    let invited = api
        .identity
        .invite(&Invitation {
            email: email.clone(),
            first_name: input.first_name.trim().into(),
            last_name: input.last_name.trim().into(),
            tenant_id: caller.tenant_id().clone(),
        })
        .await?
        .map_err(|AddressTaken| ApiError::Conflict {
            message: "Cette adresse e-mail est déjà celle d'un autre compte.".into(),
            current: serde_json::Value::Null,
        })?;
    if let Some(existing) = api
        .storage
        .user(caller.tenant_id(), &invited.user_id)
        .await?
    {
        return Err(ApiError::Conflict {
            message: format!("{email} est déjà un utilisateur de votre compte."),
            current: serde_json::to_value(view(api, &existing).await?).unwrap_or_default(),
        });
    }
    let user = User {
        tenant_id: caller.tenant_id().clone(),
        user_id: invited.user_id.clone(),
        email: email.clone(),
        first_name: input.first_name.trim().into(),
        last_name: input.last_name.trim().into(),
        active: true,
        grants: input.grants,
        sealed: None,
    };
    api.storage.put_user(&user).await?;
    send_invitation(api, caller, &user).await?;
    crate::journal::record(api, caller, "invite", format!("user:{}", user.user_id)).await?;
    Ok(ApiResponse::json(201, &view(api, &user).await?))
}

/// Stores a one-time link (its hash) and e-mails it, in French.
pub async fn send_invitation(api: &Api, caller: &Caller, user: &User) -> Result<(), ApiError> {
    designa::invitation::issue(
        &api.storage,
        &api.mailer,
        &caller.tenant,
        user,
        &api.config.app_url,
        api.clock.now(),
    )
    .await?;
    Ok(())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Password, example = json!({"password": "Un-Mot-De-Passe-7"}))]
pub struct AcceptInput {
    /// 12 characters at least, with lower and upper case, a digit and a symbol.
    password: String,
}

/// Accept an invitation: set the invited person's password, once.
///
/// Public: the token is the credential. The body is read after the token
/// is found, so an unknown token answers 404 whatever the body.
#[utoipa::path(post, path = "/invitations/{token}", tag = "Users", security(()),
    params(InvitationTokenPath), request_body = AcceptInput,
    responses((status = 204, description = "Password set"), PublicErrors))]
pub async fn accept_invitation(
    Id(token): Id,
    State(app): State<AppState>,
    request: ApiRequest,
) -> ApiResult {
    let (api, request) = (&*app, &request);
    let gone = || ApiError::NotFound(Resource::Invitation);
    let token = InvitationToken::parse(&token).ok_or_else(gone)?;
    let (pending, _): (PendingInvitation, u64) = load(
        &api.storage,
        &token.tenant_id,
        RecordKind::Invitation,
        &token.record_id(),
    )
    .await?
    .ok_or_else(gone)?;
    if pending.expires < api.clock.now() {
        return Err(gone());
    }
    let input: AcceptInput = json_body(request)?;
    if let Err(reason) = check_password(&input.password) {
        return Err(ApiError::field(
            "password",
            ReasonCode::WeakPassword,
            reason,
        ));
    }
    if let Err(reason) = api
        .identity
        .set_password(&pending.email, &input.password)
        .await?
    {
        return Err(ApiError::field(
            "password",
            ReasonCode::WeakPassword,
            reason,
        ));
    }
    api.storage
        .delete_record(&token.tenant_id, RecordKind::Invitation, &token.record_id())
        .await?;
    Ok(ApiResponse::no_content())
}

/// Send an invited user a new invitation link (the first one expired or
/// was lost); refused once they chose their password.
#[utoipa::path(post, path = "/users/{userId}/invitation", tag = "Users", params(UserIdPath),
    responses((status = 200, description = "A new link sent", body = UserView), WriteErrors))]
pub async fn resend_invitation(
    Id(user_id): Id,
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.scope(Action::ManageUsers)?;
    let user = managed_user(&api.storage, caller, &user_id).await?;
    let shown = view(api, &user).await?;
    if shown.state != UserState::Invited {
        return Err(ApiError::Conflict {
            message: "Cet utilisateur a déjà choisi son mot de passe, ou son compte est désactivé : il n'a pas besoin d'invitation.".into(),
            current: serde_json::to_value(&shown).unwrap_or_default(),
        });
    }
    send_invitation(api, caller, &user).await?;
    crate::journal::record(api, caller, "invite", format!("user:{user_id}")).await?;
    Ok(ApiResponse::json(200, &shown))
}

/// Change a user's names and roles (never one's own roles).
#[utoipa::path(put, path = "/users/{userId}", tag = "Users", params(UserIdPath),
    responses((status = 200, description = "Changed", body = UserView), WriteErrors))]
pub async fn update(
    Id(user_id): Id,
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<UserUpdate>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let user_id = user_id.as_str();
    caller.scope(Action::ManageUsers)?;
    let mut user = managed_user(&api.storage, caller, user_id).await?;
    let mut fields = check_names(&input.first_name, &input.last_name);
    fields.extend(check_grants(&input.grants, paris_date(api.clock.now())));
    if !fields.is_empty() {
        return Err(ApiError::invalid(INVALID_FIELDS, fields));
    }
    if user.user_id == caller.user.user_id && input.grants != user.grants {
        return Err(ApiError::Forbidden(
            "Vous ne pouvez pas changer vos propres rôles : demandez-le à un autre administrateur."
                .into(),
        ));
    }
    check_entities_exist(&api.storage, caller, &input.grants).await?;
    if !may_grant(caller, &input.grants) {
        return Err(ApiError::Forbidden(GRANT_OUTSIDE_SCOPE.into()));
    }
    user.first_name = input.first_name.trim().into();
    user.last_name = input.last_name.trim().into();
    user.grants = input.grants;
    api.storage.put_user(&user).await?;
    crate::journal::record(api, caller, "update", format!("user:{user_id}")).await?;
    Ok(ApiResponse::json(200, &view(api, &user).await?))
}

/// Deactivate a user: they can no longer sign in.
#[utoipa::path(post, path = "/users/{userId}/deactivate", tag = "Users", params(UserIdPath),
    responses((status = 200, description = "Deactivated", body = UserView), WriteErrors))]
pub async fn deactivate(Id(user_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    set_active(&app, &caller, &user_id, false).await
}

/// Reactivate a user.
#[utoipa::path(post, path = "/users/{userId}/reactivate", tag = "Users", params(UserIdPath),
    responses((status = 200, description = "Reactivated", body = UserView), WriteErrors))]
pub async fn reactivate(Id(user_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    set_active(&app, &caller, &user_id, true).await
}

async fn set_active(api: &Api, caller: &Caller, user_id: &str, active: bool) -> ApiResult {
    caller.scope(Action::ManageUsers)?;
    let mut user = managed_user(&api.storage, caller, user_id).await?;
    if user.user_id == caller.user.user_id {
        return Err(ApiError::Forbidden(
            "Vous ne pouvez pas vous désactiver ni vous réactiver vous-même.".into(),
        ));
    }
    api.identity.set_enabled(&user.email, active).await?;
    user.active = active;
    api.storage.put_user(&user).await?;
    let action = if active { "reactivate" } else { "deactivate" };
    crate::journal::record(api, caller, action, format!("user:{user_id}")).await?;
    Ok(ApiResponse::json(200, &view(api, &user).await?))
}

/// Delete a user and their identity.
#[utoipa::path(delete, path = "/users/{userId}", tag = "Users", params(UserIdPath),
    responses((status = 204, description = "Deleted"), WriteErrors))]
pub async fn delete(Id(user_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let user_id = user_id.as_str();
    caller.scope(Action::ManageUsers)?;
    let user = managed_user(&api.storage, caller, user_id).await?;
    if user.user_id == caller.user.user_id {
        return Err(ApiError::Forbidden(
            "Vous ne pouvez pas supprimer votre propre compte.".into(),
        ));
    }
    // The identity first: a user record without identity cannot sign in anyway.
    api.identity.remove(&user.email).await?;
    api.storage.delete_user(caller.tenant_id(), user_id).await?;
    // Crypto-shredding: the names and e-mail left in backups no longer open.
    erase_person(
        &api.storage,
        &Subject::user(caller.tenant_id(), user_id),
        api.clock.now(),
    )
    .await?;
    crate::journal::record(api, caller, "delete", format!("user:{user_id}")).await?;
    Ok(ApiResponse::no_content())
}

/// What anyone may call: accepting an invitation (its token is the credential).
pub fn public_router() -> Routes {
    Routes::new().routes(handlers!(accept_invitation))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(list, invite))
        .routes(handlers!(get, update, delete))
        .routes(handlers!(deactivate))
        .routes(handlers!(reactivate))
        .routes(handlers!(resend_invitation))
}
