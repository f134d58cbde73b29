//! A user's notification preferences: per kind (new notices, reminders,
//! deadline approaching, answer in error), at once, in the daily or weekly
//! digest, or never. Each user sets their own.

use crate::http::{ApiResponse, ApiResult};
use crate::{json_body, Api};
use designa::app::caller::Caller;
use designa::app::records::{load, save};
use designa::notifications::Preferences;
use designa::ports::{Clock, Storage};
use designa::store::RecordKind;
use serde_json::json;

pub async fn get<S: Storage, B, I, M, C>(api: &Api<S, B, I, M, C>, caller: &Caller) -> ApiResult {
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

pub async fn put<S: Storage, B, I, M, C: Clock>(
    api: &Api<S, B, I, M, C>,
    request: &crate::http::ApiRequest,
    caller: &Caller,
) -> ApiResult {
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
