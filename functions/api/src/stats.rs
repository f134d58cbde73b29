//! The dashboard's figures (`GET /stats`): anonymous aggregates of the
//! notices the caller may read, per entity and in total, never per driver.

use crate::extract::Query;
use crate::http::{ApiResponse, ApiResult, ReadErrors};
use crate::router::handlers;
use crate::router::Routes;
use crate::AppState;
use axum::extract::State;
use designa::app::caller::Caller;
use designa::app::stats::{dashboard, Dashboard};
use designa::domain::EntityId;
use designa::ports::Clock;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsFilter {
    /// One entity only (by default every entity the caller may read).
    pub entity_id: Option<String>,
}

/// The dashboard: open notices, deadlines, answers pending and in error,
/// acknowledgements this month, gone to paper, the share answered in time
/// and the notices per month over 12 months, in total and per entity.
#[utoipa::path(get, path = "/stats", tag = "Notices", params(StatsFilter),
    responses((status = 200, description = "The figures", body = Dashboard), ReadErrors))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Query(filter): Query<StatsFilter>,
) -> ApiResult {
    let only = filter.entity_id.map(EntityId);
    let figures = dashboard(&app.storage, &caller, only.as_ref(), app.clock.now()).await?;
    Ok(ApiResponse::json(200, &figures))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new().routes(handlers!(get))
}
