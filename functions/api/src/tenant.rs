//! The caller and its tenant: who am I, the tenant's settings.

use crate::http::{ApiError, ApiRequest, ApiResponse, ApiResult};
use crate::json_body;
use crate::router::Routes;
use crate::AppState;
use axum::extract::State;
use designa::app::caller::Caller;
use designa::domain::access::Action;
use designa::domain::tenant::TenantSettings;
use designa::ports::Storage;
use serde::Deserialize;
use serde_json::json;

pub async fn me(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let _api = &*app;
    let caller = &caller;
    let scope = |action| caller.principal.scope_for(action);
    Ok(ApiResponse::json(
        200,
        &json!({
            "user": caller.user,
            "tenant": { "tenant_id": caller.tenant.tenant_id, "name": caller.tenant.name },
            "can": {
                "manage_tenant": caller.principal.is_tenant_admin(),
                "manage_users": scope(Action::ManageUsers),
                "write_fleet": scope(Action::WriteFleet),
                "read_notices": scope(Action::ReadNotices),
                "answer_notices": scope(Action::AnswerNotices),
            },
        }),
    ))
}

pub async fn get(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let _api = &*app;
    let caller = &caller;
    Ok(ApiResponse::json(200, &caller.tenant))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsInput {
    answer_grace_hours: u32,
    smart_exit_grace_days: u32,
    auto_designation: bool,
    #[serde(default)]
    notify_driver_on_acknowledgement: bool,
    #[serde(default)]
    remind_open_after_days: Option<u32>,
}

pub async fn put_settings(
    State(app): State<AppState>,
    caller: Caller,
    request: ApiRequest,
) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    caller.require_tenant_admin()?;
    let input: SettingsInput = json_body(request)?;
    if !(1..=72).contains(&input.answer_grace_hours) {
        return Err(ApiError::field(
            "answer_grace_hours",
            "must be between 1 and 72 hours",
        ));
    }
    if input
        .remind_open_after_days
        .is_some_and(|d| !(1..=44).contains(&d))
    {
        return Err(ApiError::field(
            "remind_open_after_days",
            "must be between 1 and 44 days",
        ));
    }
    if input.smart_exit_grace_days > 365 {
        return Err(ApiError::field(
            "smart_exit_grace_days",
            "must be at most 365 days",
        ));
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
    };
    api.storage.put_tenant(&tenant).await?;
    crate::journal::record(api, caller, "update", "tenant:settings".into()).await?;
    Ok(ApiResponse::json(200, &tenant))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .get("/me", me)
        .get("/tenant", get)
        .put("/tenant/settings", put_settings)
}
