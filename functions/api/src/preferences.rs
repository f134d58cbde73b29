//! A user's notification preferences: per kind (new notices, reminders,
//! deadline approaching, answer in error), at once, in the daily or weekly
//! digest, or never. Each user sets their own.

use crate::http::ApiRequest;
use crate::http::{ApiResponse, ApiResult};
use crate::json_body;
use crate::router::Routes;
use crate::AppState;
use axum::extract::State;
use designa::app::caller::Caller;
use designa::app::records::{load, save};
use designa::notifications::Preferences;
use designa::store::RecordKind;
use serde_json::json;

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
    Ok(ApiResponse::json(
        200,
        &json!({ "preferences": preferences, "version": version, "defaults": Preferences::default() }),
    ))
}

pub async fn put(State(app): State<AppState>, caller: Caller, request: ApiRequest) -> ApiResult {
    let api = &*app;
    let request = &request;
    let caller = &caller;
    let preferences: Preferences = json_body(request)?;
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
    Ok(ApiResponse::json(
        200,
        &json!({ "preferences": preferences, "version": version }),
    ))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .get("/me/notification-preferences", get)
        .put("/me/notification-preferences", put)
}
