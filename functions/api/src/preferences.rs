//! A user's notification preferences: per kind (new notices, reminders,
//! deadline approaching, answer in error, gone to paper, answer
//! acknowledged), at once, in the daily or weekly digest, or never. Each user sets their own.

use crate::extract::Json;
use crate::http::{ApiResponse, ApiResult, ReadErrors, WriteErrors};
use crate::router::handlers;
use crate::router::Routes;
use crate::AppState;
use axum::extract::State;
use designa::app::caller::Caller;
use designa::app::records::{load, save};
use designa::notifications::Preferences;
use designa::store::RecordKind;
use serde::Serialize;
use utoipa::ToSchema;

/// The caller's choices, their version, and the defaults.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreferencesView {
    pub preferences: Preferences,
    pub version: u64,
    /// What applies until the user chooses (absent after a change).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defaults: Option<Preferences>,
}

/// The caller's notification preferences.
#[utoipa::path(get, path = "/me/notification-preferences", tag = "Tenant",
    responses((status = 200, description = "The preferences", body = PreferencesView), ReadErrors))]
pub async fn get(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let stored: Option<(Preferences, u64)> = load(
        &api.storage,
        caller.tenant_id(),
        RecordKind::NotificationPreferences,
        &caller.user.user_id,
    )
    .await?;
    let (preferences, version) = stored.unwrap_or_default();
    let view = PreferencesView {
        preferences,
        version,
        defaults: Some(Preferences::default()),
    };
    Ok(ApiResponse::json(200, &view))
}

/// Change the caller's own preferences (the last write wins).
#[utoipa::path(put, path = "/me/notification-preferences", tag = "Tenant",
    responses((status = 200, description = "Changed", body = PreferencesView), WriteErrors))]
pub async fn put(
    State(app): State<AppState>,
    caller: Caller,
    Json(preferences): Json<Preferences>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let id = &caller.user.user_id;
    let stored: Option<(Preferences, u64)> = load(
        &api.storage,
        caller.tenant_id(),
        RecordKind::NotificationPreferences,
        id,
    )
    .await?;
    // Preferences are one person's own: the last write wins.
    let version = save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::NotificationPreferences,
        id,
        &preferences,
        stored.map(|(_, v)| v),
        None,
    )
    .await?;
    crate::journal::record(api, caller, "update", format!("user:{id}:preferences")).await?;
    let view = PreferencesView {
        preferences,
        version,
        defaults: None,
    };
    Ok(ApiResponse::json(200, &view))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new().routes(handlers!(get, put))
}
