//! Notices, read side: the list (filters, cursor pagination, soonest
//! deadline first) and the detail, with the penalty scale hidden once a
//! driver is designated and the drivers assigned at the offence time.

use crate::assignments::drivers_at_time;
use crate::assignments::DriverSummary;
use crate::extract::{Id, NoticeNumberPath, Query};
use crate::http::{ApiError, ApiResponse, ApiResult, ReadErrors};
use crate::http::{ReasonCode, Resource};
use crate::router::handlers;
use crate::router::Routes;
use crate::AppState;
use axum::extract::State;
use base64::Engine;
use chrono::{DateTime, Days, NaiveDate, Utc};
use designa::app::caller::Caller;
use designa::app::notices::{self, NoticeQuery};
use designa::domain::access::Action;
use designa::domain::answer::{AnswerBody, AnswerState};
use designa::domain::time::paris_date;
use designa::domain::{plate, EntityId, NoticeStatus, Offence, Scale};
use designa::ports::Clock;
use designa::store::{NoticeCriteria, NoticePosition, StoredNotice};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

/// A notice as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Notice)]
pub struct NoticeView {
    pub notice_number: String,
    pub status: NoticeStatus,
    pub entity_id: String,
    pub vehicle_id: String,
    pub plate: String,
    pub country: String,
    pub make: String,
    pub model: String,
    /// Europe/Paris local time with its offset.
    pub offence_at: String,
    pub offence: Offence,
    pub issued_on: NaiveDate,
    pub deadline: NaiveDate,
    pub days_left: i64,
    pub received_at: DateTime<Utc>,
    /// `None` once a driver is designated (art. L.223-7: no points collected by the employer).
    pub scale: Option<Scale>,
}

/// A page of notices; `next_cursor` reads the next one.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticePage {
    pub notices: Vec<NoticeView>,
    pub next_cursor: Option<String>,
}

/// One notice, its answer's state and the drivers assigned at the offence.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeDetail {
    pub notice: NoticeView,
    /// Send it back to edit the answer.
    pub version: u64,
    /// The answer's state, without personal data (`GET …/answer` for the
    /// whole of it).
    pub answer: Option<AnswerSummary>,
    /// Drivers assigned to the vehicle at the offence time, when the caller
    /// may read drivers.
    pub suggested_drivers: Vec<DriverSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerSummary {
    pub state: AnswerState,
    /// `designation` or `other`.
    pub kind: &'static str,
    pub window_ends_at: DateTime<Utc>,
    pub editable: bool,
    pub transmission_id: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeFilter {
    /// Page size, 50 by default.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    #[param(value_type = Option<NoticeStatus>)]
    pub status: Option<String>,
    pub entity_id: Option<String>,
    /// One plate, as typed (spaces and dashes ignored).
    pub plate: Option<String>,
    /// What a user types in the search box: a plate (spaces and dashes
    /// ignored) or the start of a notice number.
    pub search: Option<String>,
    /// Offences from this day (Paris), included.
    #[param(value_type = Option<NaiveDate>)]
    pub offence_from: Option<String>,
    /// Offences up to this day (Paris), included.
    #[param(value_type = Option<NaiveDate>)]
    pub offence_to: Option<String>,
    /// Deadline within this many days.
    #[param(value_type = Option<u32>, minimum = 0, maximum = 366)]
    pub due_within_days: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Has an answer been given (the scale is no longer shown)?
fn answered(status: NoticeStatus) -> bool {
    !matches!(status, NoticeStatus::Open | NoticeStatus::GoneToPaper)
}

pub fn view(n: &StoredNotice, now: DateTime<Utc>) -> NoticeView {
    NoticeView {
        notice_number: n.notice.notice_number.clone(),
        status: n.status,
        entity_id: n.entity_id.0.clone(),
        vehicle_id: n.vehicle_id.clone(),
        plate: n.notice.plate.display(),
        country: n.notice.plate.country.clone(),
        make: n.notice.make.clone(),
        model: n.notice.model.clone(),
        offence_at: n.notice.offence_at.to_rfc3339(),
        offence: n.notice.offence.clone(),
        issued_on: n.notice.issued_on,
        deadline: n.deadline,
        days_left: n.notice.deadline().days_left(now),
        received_at: n.received_at,
        scale: (!answered(n.status)).then(|| n.notice.scale.clone()),
    }
}

/// `limit` query parameter, between 1 and `max`.
pub fn limit(value: Option<&str>, default: usize, max: usize) -> Result<usize, ApiError> {
    match value {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                let reason = format!("« {v} » n'est pas un nombre de 1 à {max}.");
                ApiError::field("limit", ReasonCode::OutOfRange, reason)
            }),
    }
}

fn date(value: Option<&str>, name: &str) -> Result<Option<NaiveDate>, ApiError> {
    value
        .map(|v| {
            v.parse::<NaiveDate>().map_err(|_| {
                let reason = format!("« {v} » n'est pas une date AAAA-MM-JJ.");
                ApiError::field(name, ReasonCode::InvalidDate, reason)
            })
        })
        .transpose()
}

fn encode_cursor(at: &NoticePosition) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{}|{}", at.deadline, at.notice_number))
}

fn decode_cursor(cursor: &str) -> Result<NoticePosition, ApiError> {
    let bad = || {
        let reason = "Ce curseur ne vient pas de l'API : reprenez la liste depuis le début.";
        ApiError::field("cursor", ReasonCode::Malformed, reason)
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (deadline, number) = text.split_once('|').ok_or_else(bad)?;
    Ok(NoticePosition {
        deadline: deadline.parse().map_err(|_| bad())?,
        notice_number: number.to_string(),
    })
}

fn parse_status(value: &str) -> Result<NoticeStatus, ApiError> {
    serde_json::from_value(json!(value.to_ascii_uppercase())).map_err(|_| {
        ApiError::field(
            "status",
            ReasonCode::UnknownValue,
            format!("« {value} » n'est pas un statut (OPEN, ANSWER_PENDING, ANSWER_SENT, ACKNOWLEDGED, ANSWER_IN_ERROR, GONE_TO_PAPER)."),
        )
    })
}

/// What the filters of `GET /notices` ask for, parsed.
fn parse_query(filter: NoticeFilter, now: DateTime<Utc>) -> Result<NoticeQuery, ApiError> {
    let due_by = match filter.due_within_days.as_deref() {
        None => None,
        Some(v) => {
            let days = v.parse::<u64>().ok().filter(|d| *d <= 366).ok_or_else(|| {
                let reason = format!("« {v} » n'est pas un nombre de jours de 0 à 366.");
                ApiError::field("due_within_days", ReasonCode::OutOfRange, reason)
            })?;
            paris_date(now).checked_add_days(Days::new(days))
        }
    };
    let search = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let criteria = NoticeCriteria {
        plate: filter.plate.as_deref().map(plate::normalize),
        search: search.map(|s| (plate::normalize(s), s.replace(' ', ""))),
        offence_from: date(filter.offence_from.as_deref(), "offence_from")?,
        offence_to: date(filter.offence_to.as_deref(), "offence_to")?,
    };
    Ok(NoticeQuery {
        status: filter.status.as_deref().map(parse_status).transpose()?,
        entity: filter.entity_id.map(EntityId),
        due_by,
        read_on: Some(paris_date(now)),
        criteria,
        after: filter.cursor.as_deref().map(decode_cursor).transpose()?,
        limit: limit(filter.limit.as_deref(), 50, 200)?,
    })
}

/// Notices, soonest deadline first, with filters and a cursor.
#[utoipa::path(get, path = "/notices", tag = "Notices", params(NoticeFilter),
    responses((status = 200, description = "A page of notices", body = NoticePage), ReadErrors))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Query(filter): Query<NoticeFilter>,
) -> ApiResult {
    let api = &*app;
    let scope = caller.scope(Action::ReadNotices)?;
    let now = api.clock.now();
    let query = parse_query(filter, now)?;
    let found = notices::page(&api.storage, caller.tenant_id(), &scope, &query).await?;
    let page = NoticePage {
        notices: found.notices.iter().map(|n| view(n, now)).collect(),
        next_cursor: found.next.as_ref().map(encode_cursor),
    };
    Ok(ApiResponse::json(200, &page))
}

/// One notice, with the drivers assigned at the offence time.
#[utoipa::path(get, path = "/notices/{noticeNumber}", tag = "Notices", params(NoticeNumberPath),
    responses((status = 200, description = "The notice", body = NoticeDetail), ReadErrors))]
pub async fn get(Id(number): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let number = number.as_str();
    let notice = api
        .storage
        .notice(number)
        .await?
        .filter(|n| &n.tenant_id == caller.tenant_id())
        .ok_or(ApiError::NotFound(Resource::Notice))?;
    caller.require(Action::ReadNotices, &notice.entity_id, Resource::Notice)?;
    let now = api.clock.now();
    let suggestions =
        if caller
            .principal
            .can(Action::ReadDrivers, caller.tenant_id(), &notice.entity_id)
        {
            let found = drivers_at_time(
                &api.storage,
                caller,
                &notice.vehicle_id,
                notice.notice.offence_at_utc(),
            )
            .await?;
            if !found.is_empty() {
                crate::journal::record(api, caller, "read", format!("notice:{number}:suggestions"))
                    .await?;
            }
            found
        } else {
            Vec::new()
        };
    let answer = notice.answer.as_ref().map(|a| AnswerSummary {
        state: a.state,
        kind: match &a.body {
            AnswerBody::Designation(_) => "designation",
            AnswerBody::Other(_) => "other",
        },
        window_ends_at: a.window_ends_at,
        editable: a.editable(now),
        transmission_id: a.transmission_id(&notice.notice.notice_number),
    });
    let detail = NoticeDetail {
        notice: view(&notice, now),
        version: notice.version,
        answer,
        suggested_drivers: suggestions,
    };
    Ok(ApiResponse::json(200, &detail))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new().routes(handlers!(list)).routes(handlers!(get))
}
