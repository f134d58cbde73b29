//! Answering a notice: designate a driver (from the base or typed in) or
//! answer otherwise; edit or withdraw during the grace window; correct after
//! ANTAI refused. Every write is conditional on the notice's version, so of
//! two users answering at once exactly one wins and the other gets 409 with
//! the notice as it now stands.

use crate::drivers::driver_for;
use crate::extract::{Id, NoticeNumberPath};
use crate::http::{
    ApiError, ApiRequest, ApiResponse, ApiResult, FieldError, ReadErrors, ReasonCode, Resource,
    WriteErrors, INVALID_FIELDS,
};
use crate::notices::{view, NoticeView};
use crate::router::handlers;
use crate::router::Routes;
use crate::Api;
use crate::AppState;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use designa::answering::{self, Refusal, Submission};
use designa::app::caller::Caller;
use designa::domain::access::Action;
use designa::domain::answer::{
    check_answer, AnswerBody, AnswerHistoryEntry, AnswerState, DesignatedDriver, OtherAnswer,
};
use designa::domain::time::paris_date;
use designa::ports::{AnswerStore, Clock};
use designa::store::StoredNotice;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// Exactly one of `driver_id` (a driver of the base) and `driver` (typed in).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignationInput {
    /// A driver of the tenant's base…
    driver_id: Option<String>,
    /// …or one typed in.
    driver: Option<DesignatedDriver>,
}

/// Exactly one of `designation` and `other`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(
    json!({"designation": {"driver": {"last_name": "Fictif", "first_name": "Dominique",
        "address": {"line1": "4 allée de l'Essai", "line2": null, "postcode": "59000",
            "city": "Lille", "country": "FRA"},
        "personal_email": null, "professional_email": "dominique.fictif@example.com"}}}),
    json!({"other": {"reason": "vehicle_sold", "on": "2026-10-01"}})
))]
pub struct AnswerInput {
    /// The notice version read; required to edit or correct an answer.
    version: Option<u64>,
    designation: Option<DesignationInput>,
    other: Option<OtherAnswer>,
    /// Tell the driver by e-mail once acknowledged (default: tenant setting).
    notify_driver: Option<bool>,
}

/// The notice of the caller's tenant, or 404.
pub(crate) async fn tenant_notice<S: AnswerStore>(
    store: &S,
    caller: &Caller,
    number: &str,
) -> Result<StoredNotice, ApiError> {
    store
        .load_notice(number)
        .await?
        .filter(|n| &n.tenant_id == caller.tenant_id())
        .ok_or(ApiError::NotFound(Resource::Notice))
}

fn conflict(refusal: &Refusal, notice: &StoredNotice, now: DateTime<Utc>) -> ApiError {
    ApiError::Conflict {
        message: refusal.to_string(),
        current: json!({ "reason": refusal, "notice": view(notice, now), "version": notice.version }),
    }
}

fn stale(notice: &StoredNotice, now: DateTime<Utc>) -> ApiError {
    ApiError::Conflict {
        message: "L'avis a changé depuis que vous l'avez ouvert (un collègue y a-t-il répondu ?)."
            .into(),
        current: json!({ "reason": { "code": "version_mismatch" }, "notice": view(notice, now), "version": notice.version }),
    }
}

/// Writes `changed` if the notice is still at `read`'s version, journals
/// `action`, and answers with the new state; 409 with the current state when
/// another user wrote in between.
async fn write_back(
    api: &Api,
    caller: &Caller,
    read: &StoredNotice,
    mut changed: StoredNotice,
    action: &str,
    now: DateTime<Utc>,
) -> ApiResult {
    let number = &read.notice.notice_number;
    changed.version = read.version + 1;
    if !api.storage.put_notice_if(&changed, read.version).await? {
        let current = tenant_notice(&api.storage, caller, number).await?;
        return Err(stale(&current, now));
    }
    crate::journal::record(api, caller, action, format!("notice:{number}:answer")).await?;
    Ok(ApiResponse::json(200, &answer_view(&changed, now)))
}

fn offence_day(n: &StoredNotice) -> NaiveDate {
    n.notice.offence_at.date_naive()
}

/// Answer a notice: designate the driver (from the base or typed in) or
/// answer otherwise; with `version`, edit it in its grace window.
///
/// The body is read once the notice is found and the caller may answer it.
#[utoipa::path(put, path = "/notices/{noticeNumber}/answer", tag = "Answers",
    params(NoticeNumberPath), request_body = AnswerInput,
    responses((status = 200, description = "Answered", body = AnswerView), WriteErrors))]
pub async fn put(
    Id(number): Id,
    State(app): State<AppState>,
    caller: Caller,
    request: ApiRequest,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let notice = tenant_notice(&api.storage, caller, &number).await?;
    caller.require(Action::AnswerNotices, &notice.entity_id, Resource::Notice)?;
    // Exact: a field typed by mistake (a licence number) is refused, not dropped.
    let input: AnswerInput = crate::extract::parse_json_exact(&request.body)?;
    let now = api.clock.now();
    let (body, driver_id) = match (input.designation, input.other) {
        (Some(designation), None) => designated(api, caller, designation).await?,
        (None, Some(other)) => (AnswerBody::Other(other), None),
        _ => {
            return Err(ApiError::field(
                "designation",
                ReasonCode::OneOfDesignationOrOther,
                "Désignez un conducteur (designation) ou répondez autrement (other).",
            ))
        }
    };
    check_body(&body, &notice, input.notify_driver, now)?;
    let submission = Submission {
        body,
        driver_id,
        by: caller.user.user_id.clone(),
        notify_driver: input.notify_driver,
    };
    submit(api, caller, notice, submission, input.version, now).await
}

/// The designated driver: one of the base (not restricted), or typed in.
async fn designated(
    api: &Api,
    caller: &Caller,
    input: DesignationInput,
) -> Result<(AnswerBody, Option<String>), ApiError> {
    match (input.driver_id, input.driver) {
        (Some(id), None) => {
            let (driver, _) = driver_for(&api.storage, caller, &id, Action::ReadDrivers)
                .await
                .map_err(|e| match e {
                    ApiError::NotFound(_) | ApiError::Forbidden(_) => ApiError::field(
                        "designation.driver_id",
                        ReasonCode::UnknownDriver,
                        "Ce conducteur n'existe pas dans votre base.",
                    ),
                    other => other,
                })?;
            if driver.restricted {
                return Err(ApiError::field(
                    "designation.driver_id",
                    ReasonCode::DriverRestricted,
                    "Le traitement des données de ce conducteur est limité à sa demande : levez la limitation (demande RGPD) avant de le désigner.",
                ));
            }
            Ok((AnswerBody::Designation(driver.designated()), Some(id)))
        }
        (None, Some(driver)) => Ok((AnswerBody::Designation(driver), None)),
        _ => Err(ApiError::field(
            "designation",
            ReasonCode::OneOfDriverIdOrDriver,
            "Indiquez soit un conducteur de la base (driver_id), soit ses coordonnées (driver).",
        )),
    }
}

/// The answer's own rules (dates, texts, the driver's e-mail to notify).
fn check_body(
    body: &AnswerBody,
    notice: &StoredNotice,
    notify_driver: Option<bool>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let errors = check_answer(body, offence_day(notice), paris_date(now));
    if !errors.is_empty() {
        let message = INVALID_FIELDS.to_string();
        let field_prefix = match body {
            AnswerBody::Designation(_) => "designation.",
            AnswerBody::Other(_) => "other.",
        };
        return Err(ApiError::invalid(
            message,
            errors
                .into_iter()
                .map(|e| FieldError::new(format!("{field_prefix}{}", e.field), e.code, e.message))
                .collect(),
        ));
    }
    if body.driver_email().is_none() && notify_driver == Some(true) {
        return Err(ApiError::field(
            "notify_driver",
            ReasonCode::NoDriverEmail,
            "Le conducteur désigné n'a pas d'adresse e-mail.",
        ));
    }
    Ok(())
}

/// Submits the answer if the notice is still as read; without a version,
/// only a first answer (or a correction) is accepted, so two users
/// answering at once cannot both be accepted.
async fn submit(
    api: &Api,
    caller: &Caller,
    current: StoredNotice,
    submission: Submission,
    version: Option<u64>,
    now: DateTime<Utc>,
) -> ApiResult {
    if let Some(v) = version {
        if v != current.version {
            return Err(stale(&current, now));
        }
    } else if !matches!(
        current.status,
        designa::domain::NoticeStatus::Open | designa::domain::NoticeStatus::AnswerInError
    ) {
        let refusal = match &current.answer {
            Some(a) if a.editable(now) => {
                return Err(stale(&current, now));
            }
            _ => Refusal::AlreadyAnswered {
                status: current.status,
            },
        };
        return Err(conflict(&refusal, &current, now));
    }
    let mut changed = current.clone();
    answering::submit(&mut changed, submission, &caller.tenant.settings, now)
        .map_err(|r| conflict(&r, &current, now))?;
    write_back(api, caller, &current, changed, "answer", now).await
}

/// Withdraw an answer during its grace window.
#[utoipa::path(delete, path = "/notices/{noticeNumber}/answer", tag = "Answers",
    params(NoticeNumberPath),
    responses((status = 200, description = "Withdrawn", body = AnswerView), WriteErrors))]
pub async fn delete(Id(number): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let number = number.as_str();
    let notice = tenant_notice(&api.storage, caller, number).await?;
    caller.require(Action::AnswerNotices, &notice.entity_id, Resource::Notice)?;
    let now = api.clock.now();
    let mut changed = notice.clone();
    answering::cancel(&mut changed, &caller.user.user_id, now)
        .map_err(|r| conflict(&r, &notice, now))?;
    write_back(api, caller, &notice, changed, "cancel_answer", now).await
}

/// The answer and its transmission history (journaled for a designation).
#[utoipa::path(get, path = "/notices/{noticeNumber}/answer", tag = "Answers",
    params(NoticeNumberPath),
    responses((status = 200, description = "The answer", body = AnswerView), ReadErrors))]
pub async fn get(Id(number): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let number = number.as_str();
    let notice = tenant_notice(&api.storage, caller, number).await?;
    caller.require(Action::ReadNotices, &notice.entity_id, Resource::Notice)?;
    if notice.answer.is_none() {
        return Err(ApiError::NotFound(Resource::Answer));
    }
    if matches!(
        notice.answer.as_ref().map(|a| &a.body),
        Some(AnswerBody::Designation(_))
    ) {
        // The designated driver's name and address are personal data.
        crate::journal::record(api, caller, "read", format!("notice:{number}:answer")).await?;
    }
    Ok(ApiResponse::json(
        200,
        &answer_view(&notice, api.clock.now()),
    ))
}

/// A notice and its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    pub notice: NoticeView,
    /// Send it back to edit the answer.
    pub version: u64,
    pub answer: Option<AnswerDetail>,
}

/// An answer as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Answer)]
pub struct AnswerDetail {
    pub state: AnswerState,
    pub body: AnswerBody,
    /// The driver of the base the designation was made from.
    pub driver_id: Option<String>,
    /// User id of the last author, or `automatic`.
    pub answered_by: String,
    pub answered_at: DateTime<Utc>,
    /// Until then the answer can be edited or withdrawn.
    pub window_ends_at: DateTime<Utc>,
    pub editable: bool,
    pub notify_driver: bool,
    /// `identifiantDesignation` of the current transmission.
    pub transmission_id: String,
    pub history: Vec<AnswerHistoryEntry>,
}

fn answer_view(n: &StoredNotice, now: DateTime<Utc>) -> AnswerView {
    let answer = n.answer.as_ref().map(|a| AnswerDetail {
        state: a.state,
        body: a.body.clone(),
        driver_id: a.driver_id.clone(),
        answered_by: a.answered_by.clone(),
        answered_at: a.answered_at,
        window_ends_at: a.window_ends_at,
        editable: a.editable(now),
        notify_driver: a.notify_driver,
        transmission_id: a.transmission_id(&n.notice.notice_number),
        history: a.history.clone(),
    });
    AnswerView {
        notice: view(n, now),
        version: n.version,
        answer,
    }
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new().routes(handlers!(put, get, delete))
}
