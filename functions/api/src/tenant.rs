//! The caller and its tenant: who am I, the tenant's settings.

use crate::extract::Json;
use crate::http::{ApiError, ApiResponse, ApiResult, ReadErrors, WriteErrors};
use crate::http::{FieldError, ReasonCode};
use crate::router::handlers;
use crate::router::Routes;
use crate::users::UserView;
use crate::AppState;
use axum::extract::State;
use designa::app::caller::Caller;
use designa::domain::access::{Action, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, SESSION_IDLE_MINUTES};
use designa::ports::{IdentityProvider, SignInState};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The caller, their tenant and what they may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: UserView,
    pub tenant: TenantName,
    pub can: Capabilities,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantName {
    pub tenant_id: String,
    pub name: String,
    /// The web app signs its user out after this many idle minutes.
    pub session_idle_minutes: u32,
    /// Users must have a second factor (the web app sends those without to
    /// « Sécurité »).
    pub second_factor_required: bool,
}

/// The entities each capability covers (none: not granted).
#[derive(Debug, Serialize, ToSchema)]
pub struct Capabilities {
    pub manage_tenant: bool,
    pub manage_users: Option<Scope>,
    pub write_fleet: Option<Scope>,
    pub read_notices: Option<Scope>,
    pub answer_notices: Option<Scope>,
}

/// A tenant as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Tenant)]
pub struct TenantView {
    pub tenant_id: String,
    pub name: String,
    pub settings: TenantSettings,
}

impl From<&Tenant> for TenantView {
    fn from(t: &Tenant) -> Self {
        TenantView {
            tenant_id: t.tenant_id.0.clone(),
            name: t.name.clone(),
            settings: t.settings.clone(),
        }
    }
}

/// Who am I: the user, the tenant, the scope of each capability.
#[utoipa::path(get, path = "/me", tag = "Tenant",
    responses((status = 200, description = "The caller", body = Me), ReadErrors))]
pub async fn me(State(api): State<AppState>, caller: Caller) -> ApiResult {
    let scope = |action| caller.principal.scope_for(action);
    // Signed in: the password is set.
    let sign_in = SignInState {
        password_set: true,
        second_factor: api
            .identity
            .second_factor_enrolled(&caller.user.email)
            .await?,
    };
    let me = Me {
        user: UserView::new(&caller.user, sign_in),
        tenant: TenantName {
            tenant_id: caller.tenant.tenant_id.0.clone(),
            name: caller.tenant.name.clone(),
            session_idle_minutes: caller.tenant.settings.session_idle_minutes,
            second_factor_required: caller.tenant.settings.second_factor_required,
        },
        can: Capabilities {
            manage_tenant: caller.principal.is_tenant_admin(),
            manage_users: scope(Action::ManageUsers),
            write_fleet: scope(Action::WriteFleet),
            read_notices: scope(Action::ReadNotices),
            answer_notices: scope(Action::AnswerNotices),
        },
    };
    Ok(ApiResponse::json(200, &me))
}

/// The caller's tenant and its settings.
#[utoipa::path(get, path = "/tenant", tag = "Tenant",
    responses((status = 200, description = "The tenant", body = TenantView), ReadErrors))]
pub async fn get(caller: Caller) -> ApiResult {
    Ok(ApiResponse::json(200, &TenantView::from(&caller.tenant)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answer_grace_hours": 4, "smart_exit_grace_days": 60,
    "auto_designation": false}))]
pub struct SettingsInput {
    /// Hours an answer stays editable before it is sent.
    #[schema(minimum = 1, maximum = 72)]
    answer_grace_hours: u32,
    /// Days after a fleet exit during which older offences are still routed.
    #[schema(maximum = 365)]
    smart_exit_grace_days: u32,
    /// Designate automatically when exactly one driver was assigned.
    auto_designation: bool,
    /// Tell the designated driver by e-mail once ANTAI acknowledged the answer.
    #[serde(default)]
    notify_driver_on_acknowledgement: bool,
    /// Days after its arrival an unanswered notice is reminded of (default 7).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 44)]
    remind_open_after_days: Option<u32>,
    /// Minutes without activity before the web app signs out (default 30).
    #[serde(default)]
    #[schema(minimum = 5, maximum = 240)]
    session_idle_minutes: Option<u32>,
    /// Hold users without a second factor to its enrolment (unchanged when
    /// absent). The admin who turns it on must have one.
    #[serde(default)]
    second_factor_required: Option<bool>,
}

/// Change the tenant's settings (the tenant's admins).
#[utoipa::path(put, path = "/tenant/settings", tag = "Tenant",
    responses((status = 200, description = "Changed", body = TenantView), WriteErrors))]
pub async fn put_settings(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<SettingsInput>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.require_tenant_admin()?;
    check_settings(&input)?;
    let required = input
        .second_factor_required
        .unwrap_or(caller.tenant.settings.second_factor_required);
    if required
        && !api
            .identity
            .second_factor_enrolled(&caller.user.email)
            .await?
    {
        let reason = "Activez d'abord la double authentification sur votre propre compte (« Sécurité »), sans quoi vous ne pourriez plus rien faire.";
        // The message without the field's (English) name.
        let field = FieldError::new("second_factor_required", ReasonCode::NotAllowed, reason);
        return Err(ApiError::Invalid {
            message: reason.into(),
            fields: vec![field],
        });
    }
    let mut tenant = caller.tenant.clone();
    tenant.settings = TenantSettings {
        answer_grace_hours: input.answer_grace_hours,
        smart_exit_grace_days: input.smart_exit_grace_days,
        auto_designation: input.auto_designation,
        notify_driver_on_acknowledgement: input.notify_driver_on_acknowledgement,
        remind_open_after_days: input
            .remind_open_after_days
            .unwrap_or(caller.tenant.settings.remind_open_after_days),
        session_idle_minutes: input
            .session_idle_minutes
            .unwrap_or(caller.tenant.settings.session_idle_minutes),
        second_factor_required: required,
    };
    api.storage.put_tenant(&tenant).await?;
    crate::journal::record(api, caller, "update", "tenant:settings".into()).await?;
    Ok(ApiResponse::json(200, &TenantView::from(&tenant)))
}

/// Each setting within its bounds, or the field named.
fn check_settings(input: &SettingsInput) -> Result<(), ApiError> {
    if !(1..=72).contains(&input.answer_grace_hours) {
        return Err(out_of_range("answer_grace_hours", "de 1 à 72 heures"));
    }
    if input
        .remind_open_after_days
        .is_some_and(|d| !(1..=44).contains(&d))
    {
        return Err(out_of_range("remind_open_after_days", "de 1 à 44 jours"));
    }
    if input
        .session_idle_minutes
        .is_some_and(|m| !SESSION_IDLE_MINUTES.contains(&m))
    {
        return Err(out_of_range("session_idle_minutes", "de 5 à 240 minutes"));
    }
    if input.smart_exit_grace_days > 365 {
        return Err(out_of_range("smart_exit_grace_days", "de 0 à 365 jours"));
    }
    Ok(())
}

fn out_of_range(field: &str, range: &str) -> ApiError {
    let reason = format!("La valeur doit aller {range}.");
    ApiError::field(field, ReasonCode::OutOfRange, reason)
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(me))
        .routes(handlers!(get))
        .routes(handlers!(put_settings))
}
