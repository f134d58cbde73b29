//! Data-subject rights (GDPR articles 15 to 18, 20 and 21) for drivers and
//! users: access, rectification, erasure, portability, restriction,
//! objection. Each request is answered at once and recorded in the tenant's
//! register (ids, right, outcome: never the personal data itself); the
//! requester is told by e-mail when the admin gives their address
//! (`confirm_to`, not stored). Tenant admins only: they act for the data
//! controller.
//!
//! Objection (art. 21) reaches what rests on the company's legitimate
//! interest: a driver who objects is no longer designated automatically
//! from the planning. Designating the driver of an offence is a legal
//! obligation (art. L.121-6 of the Code de la route) that an objection does
//! not stop; a user's account and a typed-in designation rest on the
//! contract and the law, so objections to them are refused with the reason.
//!
//! Erasing a driver crypto-shreds it (its data key is deleted: every sealed
//! copy, backups included, becomes unreadable), removes its record, its
//! planning and the outbound files that carried it. The answers it was
//! designated in keep their acknowledgement history as legal proof, with
//! the driver reading "[effacé]". While an answer designating the driver is
//! still on its way to ANTAI the erasure is refused: the designation is a
//! legal obligation (article 17(3)(b)); ask again once it is acknowledged.

use crate::drivers::{check as check_driver, DriverInput};
use crate::extract::Id;
use crate::extract::{Json, RequestIdPath};
use crate::http::{ApiError, ApiResponse, ApiResult, ReadErrors, WriteErrors};
use crate::http::{ReasonCode, Resource};
use crate::router::handlers;
use crate::router::Routes;
use crate::Api;
use crate::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use designa::app::caller::Caller;
use designa::app::idempotency::erase_person;
use designa::app::journal::{entries as journal_entries, JournalEntry};
use designa::app::records::{load, load_all, new_id, save};
use designa::domain::address::REQUIRED;
use designa::domain::answer::{AnswerBody, AnswerState};
use designa::domain::assignment::Assignment;
use designa::domain::driver::Driver;
use designa::domain::tenant::User;
use designa::domain::NoticeStatus;
use designa::notifications::Preferences;
use designa::ports::{BlobStore, Clock, IdentityProvider, Storage};
use designa::privacy::sealing::ERASED;
use designa::privacy::Subject;
use designa::store::{epoch_after, RecordKind, StoredNotice};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

mod confirmation;
use confirmation::confirmation_email;

/// Register entries are kept 5 years: the proof that requests were answered.
pub const REGISTER_DAYS: u64 = 5 * 365 + 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    Access,
    Rectification,
    Erasure,
    Portability,
    Restriction,
    LiftRestriction,
    Objection,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    Driver,
    User,
    /// A driver typed into one answer rather than chosen from the base
    /// (`id`: the notice number).
    Designee,
}

/// Whose data: `designee` is a driver typed into one answer, its id the
/// notice number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PrivacySubject)]
pub struct SubjectRef {
    #[serde(rename = "type")]
    pub kind: SubjectType,
    #[schema(min_length = 1)]
    pub id: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PrivacyRequestInput)]
pub struct RequestInput {
    pub right: Right,
    pub subject: SubjectRef,
    /// Rectification only: a driver's last_name, first_name, address,
    /// personal_email, professional_email; a user's first_name, last_name.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub changes: Option<Value>,
    /// The requester's own reference code (letter, ticket); a code, never a name.
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z0-9._/#-]{1,40}$")]
    pub reference: Option<String>,
    /// Where to e-mail the requester what became of the request; used once,
    /// never stored.
    #[serde(default)]
    #[schema(format = "email")]
    pub confirm_to: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Done,
    Refused,
}

/// One line of the register: no personal data, ids and counts only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterEntry {
    pub request_id: String,
    pub right: Right,
    pub subject: SubjectRef,
    pub requested_by: String,
    pub received_at: DateTime<Utc>,
    pub outcome: Outcome,
    /// Why a request was refused.
    pub reason: Option<String>,
    /// What was done: counts, fields changed, files removed.
    pub details: Value,
    pub reference: Option<String>,
}

/// A register entry as the API shows it: ids and counts only, never the
/// personal data.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PrivacyRegisterEntry)]
pub struct RegisterView {
    pub request_id: String,
    pub right: Right,
    pub subject: SubjectRef,
    pub requested_by: String,
    pub received_at: DateTime<Utc>,
    pub outcome: Outcome,
    pub reason: Option<String>,
    #[schema(value_type = Object)]
    pub details: Value,
    pub reference: Option<String>,
}

impl From<RegisterEntry> for RegisterView {
    fn from(e: RegisterEntry) -> Self {
        RegisterView {
            request_id: e.request_id,
            right: e.right,
            subject: e.subject,
            requested_by: e.requested_by,
            received_at: e.received_at,
            outcome: e.outcome,
            reason: e.reason,
            details: e.details,
            reference: e.reference,
        }
    }
}

/// A request's register entry and, for access and portability, the data.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PrivacyRequestResult)]
pub struct RequestResult {
    pub request: RegisterView,
    /// Access: everything held on the subject; portability: the data the
    /// subject gave (format designa.driver.v1 or designa.user.v1). Returned
    /// once, never stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterList {
    pub requests: Vec<RegisterView>,
}

/// What the request produced besides its register entry.
struct Handled {
    outcome: Outcome,
    reason: Option<String>,
    details: Value,
    /// Access and portability: the data, returned once, never stored.
    data: Option<Value>,
}

impl Handled {
    fn done(details: Value) -> Handled {
        Handled {
            outcome: Outcome::Done,
            reason: None,
            details,
            data: None,
        }
    }

    /// Done, with data returned once (access, portability).
    fn with_data(details: Value, data: Value) -> Handled {
        Handled {
            data: Some(data),
            ..Handled::done(details)
        }
    }

    fn refused(reason: impl Into<String>, details: Value) -> Handled {
        Handled {
            outcome: Outcome::Refused,
            reason: Some(reason.into()),
            details,
            data: None,
        }
    }
}

/// The request's own rules, before any data is touched.
fn check_request(input: &RequestInput) -> Result<(), ApiError> {
    if input.subject.id.trim().is_empty() {
        return Err(ApiError::field(
            "subject.id",
            ReasonCode::Required,
            REQUIRED,
        ));
    }
    if input.changes.is_some() && input.right != Right::Rectification {
        return Err(ApiError::field(
            "changes",
            ReasonCode::NotAllowed,
            "Seule une rectification porte des modifications (changes).",
        ));
    }
    if let Some(to) = &input.confirm_to {
        if !designa::domain::driver::is_plausible_email(to) {
            return Err(ApiError::field(
                "confirm_to",
                ReasonCode::InvalidEmail,
                "Ce n'est pas une adresse e-mail.",
            ));
        }
    }
    // A code, never a name: the register holds no personal data.
    if let Some(reference) = &input.reference {
        let code = |c: char| c.is_ascii_alphanumeric() || "._/#-".contains(c);
        if reference.is_empty() || reference.len() > 40 || !reference.chars().all(code) {
            return Err(ApiError::field(
                "reference",
                ReasonCode::Invalid,
                "Une référence est un code de 1 à 40 lettres, chiffres ou . _ / # - (jamais un nom).",
            ));
        }
    }
    Ok(())
}

/// Handle a data subject's request (tenant admins): access, rectification,
/// erasure, portability, restriction; recorded in the register.
#[utoipa::path(post, path = "/privacy/requests", tag = "Privacy", operation_id = "postPrivacyRequest",
    responses((status = 201, description = "Done", body = RequestResult),
        (status = 409, description = "Refused: the register entry says why", body = RequestResult),
        WriteErrors))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<RequestInput>,
) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.require_tenant_admin()?;
    check_request(&input)?;
    let handled = match input.subject.kind {
        SubjectType::Driver => driver_request(api, caller, &input).await?,
        SubjectType::User => user_request(api, caller, &input).await?,
        SubjectType::Designee => designee_request(api, caller, &input).await?,
    };
    let now = api.clock.now();
    let mut entry = RegisterEntry {
        request_id: format!("{}-{}", now.format("%Y%m%dT%H%M%SZ"), new_id()),
        right: input.right,
        subject: input.subject.clone(),
        requested_by: caller.user.user_id.clone(),
        received_at: now,
        outcome: handled.outcome,
        reason: handled.reason,
        details: handled.details,
        reference: input.reference.clone(),
    };
    if let Some(to) = &input.confirm_to {
        let sent = confirm(api, caller, to, &entry).await;
        entry.details["confirmation_sent"] = json!(sent);
    }
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::PrivacyRequest,
        &entry.request_id,
        &entry,
        None,
        Some(epoch_after(now, REGISTER_DAYS)),
    )
    .await?;
    let target = format!(
        "{}:{}",
        match input.subject.kind {
            SubjectType::Driver => "driver",
            SubjectType::User => "user",
            SubjectType::Designee => "notice",
        },
        input.subject.id
    );
    crate::journal::record(
        api,
        caller,
        &format!("privacy:{}", right_name(input.right)),
        target,
    )
    .await?;
    let status = match entry.outcome {
        Outcome::Done => 201,
        Outcome::Refused => 409,
    };
    let result = RequestResult {
        request: entry.into(),
        data: handled.data,
    };
    Ok(ApiResponse::json(status, &result))
}

/// E-mails the requester; `false` (logged) if it could not go: the
/// request itself is done and recorded either way.
async fn confirm(api: &Api, caller: &Caller, to: &str, entry: &RegisterEntry) -> bool {
    let company = match api.storage.tenant(caller.tenant_id()).await {
        Ok(Some(tenant)) => tenant.name,
        _ => caller.tenant_id().0.clone(),
    };
    let email = confirmation_email(to, &company, entry, api.clock.now());
    match api.mailer.send(&email).await {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e.chain(), request_id = %entry.request_id, "privacy confirmation not sent");
            false
        }
    }
}

fn right_name(right: Right) -> &'static str {
    match right {
        Right::Access => "access",
        Right::Rectification => "rectification",
        Right::Erasure => "erasure",
        Right::Portability => "portability",
        Right::Restriction => "restriction",
        Right::LiftRestriction => "lift_restriction",
        Right::Objection => "objection",
    }
}

/// The register of data-subject requests, newest first (tenant admins).
#[utoipa::path(get, path = "/privacy/requests", tag = "Privacy",
    responses((status = 200, description = "The register", body = RegisterList), ReadErrors))]
pub async fn list(State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    caller.require_tenant_admin()?;
    let mut entries: Vec<RegisterEntry> =
        load_all(&api.storage, caller.tenant_id(), RecordKind::PrivacyRequest).await?;
    entries.sort_by(|a, b| b.request_id.cmp(&a.request_id));
    let requests = entries.into_iter().map(RegisterView::from).collect();
    Ok(ApiResponse::json(200, &RegisterList { requests }))
}

/// One request of the register (tenant admins).
#[utoipa::path(get, path = "/privacy/requests/{requestId}", tag = "Privacy", operation_id = "getPrivacyRequest",
    params(RequestIdPath),
    responses((status = 200, description = "The request", body = RequestResult), ReadErrors))]
pub async fn get(Id(request_id): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let caller = &caller;
    let request_id = request_id.as_str();
    caller.require_tenant_admin()?;
    let (entry, _): (RegisterEntry, u64) = load(
        &api.storage,
        caller.tenant_id(),
        RecordKind::PrivacyRequest,
        request_id,
    )
    .await?
    .ok_or(ApiError::NotFound(Resource::PrivacyRequest))?;
    let result = RequestResult {
        request: entry.into(),
        data: None,
    };
    Ok(ApiResponse::json(200, &result))
}

/// The notices whose answer designates `driver_id`, opened.
async fn designations<S: Storage>(
    storage: &S,
    caller: &Caller,
    driver_id: &str,
) -> Result<Vec<StoredNotice>, ApiError> {
    let mut found = Vec::new();
    for listed in storage.tenant_notices(&caller.tenant_id().0).await? {
        let designates = listed
            .answer
            .as_ref()
            .is_some_and(|a| a.driver_id.as_deref() == Some(driver_id));
        if designates {
            if let Some(notice) = storage.notice(&listed.notice.notice_number).await? {
                found.push(notice);
            }
        }
    }
    Ok(found)
}

/// Is the notice's answer done with ANTAI (or never going)?
fn settled(notice: &StoredNotice) -> bool {
    notice.status == NoticeStatus::GoneToPaper
        || notice
            .answer
            .as_ref()
            .is_none_or(|a| matches!(a.state, AnswerState::Acknowledged | AnswerState::Cancelled))
}

fn designation_view(notice: &StoredNotice) -> Value {
    let answer = notice.answer.as_ref();
    json!({
        "notice_number": notice.notice.notice_number,
        "offence_at": notice.notice.offence_at,
        "status": notice.status,
        "answer": answer.map(|a| json!({
            "designated_as": a.body,
            "state": a.state,
            "answered_at": a.answered_at,
            "history": a.history,
        })),
    })
}

fn journal_about(entries: Vec<JournalEntry>, target: &str) -> Vec<Value> {
    entries
        .into_iter()
        .filter(|e| e.target == target)
        .map(|e| json!({ "at": e.at, "by": e.user_id, "action": e.action, "request_id": e.request_id }))
        .collect()
}

async fn driver_request(
    api: &Api,
    caller: &Caller,
    input: &RequestInput,
) -> Result<Handled, ApiError> {
    let tenant = caller.tenant_id();
    let driver_id = input.subject.id.as_str();
    let (driver, version): (Driver, u64) =
        load(&api.storage, tenant, RecordKind::Driver, driver_id)
            .await?
            .ok_or(ApiError::NotFound(Resource::Driver))?;
    let assignments: Vec<Assignment> = load_all(&api.storage, tenant, RecordKind::Assignment)
        .await?
        .into_iter()
        .filter(|a: &Assignment| a.driver_id == driver_id)
        .collect();
    match input.right {
        Right::Access => driver_access(api, caller, input, &driver, &assignments).await,
        Right::Portability => Ok(Handled::with_data(
            json!({}),
            json!({
                "format": "designa.driver.v1",
                "driver": {
                    "last_name": driver.last_name,
                    "first_name": driver.first_name,
                    "address": driver.address,
                    "personal_email": driver.personal_email,
                    "professional_email": driver.professional_email,
                },
            }),
        )),
        Right::Rectification => rectify_driver(api, caller, input, &driver, version).await,
        Right::Restriction | Right::LiftRestriction => {
            restrict_driver(api, caller, input, &driver, version).await
        }
        Right::Erasure => erase_driver(api, caller, &driver, assignments).await,
        Right::Objection => object_for_driver(api, caller, &driver, version).await,
    }
}

/// Everything held on a driver, returned once.
async fn driver_access(
    api: &Api,
    caller: &Caller,
    input: &RequestInput,
    driver: &Driver,
    assignments: &[Assignment],
) -> Result<Handled, ApiError> {
    let tenant = caller.tenant_id();
    let driver_id = input.subject.id.as_str();
    let notices = designations(&api.storage, caller, driver_id).await?;
    let journal = journal_entries(&api.storage, tenant).await?;
    Ok(Handled::with_data(
        json!({
            "assignments": assignments.len(),
            "designations": notices.len(),
        }),
        json!({
            "subject": input.subject,
            "generated_at": api.clock.now(),
            "driver": driver,
            "assignments": assignments,
            "designations": notices.iter().map(designation_view).collect::<Vec<_>>(),
            "accesses": journal_about(journal, &format!("driver:{driver_id}")),
        }),
    ))
}

/// Corrects a driver's personal fields, checked as a driver edit is.
async fn rectify_driver(
    api: &Api,
    caller: &Caller,
    input: &RequestInput,
    driver: &Driver,
    version: u64,
) -> Result<Handled, ApiError> {
    let tenant = caller.tenant_id();
    let driver_id = input.subject.id.as_str();
    let changes = input.changes.clone().ok_or_else(|| {
        let reason = "Une rectification indique ses modifications (changes).";
        ApiError::field("changes", ReasonCode::Required, reason)
    })?;
    let Value::Object(changes) = changes else {
        let reason = "Les modifications sont un objet des champs du conducteur.";
        return Err(ApiError::field("changes", ReasonCode::Malformed, reason));
    };
    let mut current = serde_json::to_value(driver).expect("drivers serialize");
    let mut fields: Vec<String> = Vec::new();
    for (field, value) in changes {
        if !designa::privacy::sealing::DRIVER_PERSONAL_FIELDS.contains(&field.as_str()) {
            return Err(ApiError::field(
                &format!("changes.{field}"),
                ReasonCode::NotAllowed,
                "Seuls last_name, first_name, address, personal_email et professional_email se rectifient ici.",
            ));
        }
        current[&field] = value;
        fields.push(field);
    }
    let input_fields = json!({
        "entity_id": driver.entity_id,
        "last_name": current["last_name"],
        "first_name": current["first_name"],
        "address": current["address"],
        "personal_email": current["personal_email"],
        "professional_email": current["professional_email"],
    });
    let checked: DriverInput = serde_json::from_value(input_fields).map_err(|e| {
        let field = crate::decode_errors::field_error(".", &e.to_string());
        ApiError::field(
            &format!("changes.{}", field.field),
            field.code,
            field.reason,
        )
    })?;
    let mut rectified = check_driver(checked, caller, driver_id.into())?;
    rectified.restricted = driver.restricted;
    rectified.objected = driver.objected;
    save(
        &api.storage,
        tenant,
        RecordKind::Driver,
        driver_id,
        &rectified,
        Some(version),
        None,
    )
    .await?;
    fields.sort();
    Ok(Handled::done(json!({ "fields": fields })))
}

/// Sets or lifts the restriction of a driver's processing.
async fn restrict_driver(
    api: &Api,
    caller: &Caller,
    input: &RequestInput,
    driver: &Driver,
    version: u64,
) -> Result<Handled, ApiError> {
    let tenant = caller.tenant_id();
    let driver_id = input.subject.id.as_str();
    let mut changed = driver.clone();
    changed.restricted = input.right == Right::Restriction;
    save(
        &api.storage,
        tenant,
        RecordKind::Driver,
        driver_id,
        &changed,
        Some(version),
        None,
    )
    .await?;
    Ok(Handled::done(json!({ "restricted": changed.restricted })))
}

/// A driver's objection: no more automatic designation from the planning.
async fn object_for_driver(
    api: &Api,
    caller: &Caller,
    driver: &Driver,
    version: u64,
) -> Result<Handled, ApiError> {
    let mut changed = driver.clone();
    changed.objected = true;
    save(
        &api.storage,
        caller.tenant_id(),
        RecordKind::Driver,
        &driver.driver_id,
        &changed,
        Some(version),
        None,
    )
    .await?;
    // Designating by hand stays: a legal obligation an objection does not reach.
    Ok(Handled::done(json!({ "automatic_designation": false })))
}

async fn erase_driver(
    api: &Api,
    caller: &Caller,
    driver: &Driver,
    assignments: Vec<Assignment>,
) -> Result<Handled, ApiError> {
    let tenant = caller.tenant_id();
    let notices = designations(&api.storage, caller, &driver.driver_id).await?;
    let in_flight: Vec<&str> = notices
        .iter()
        .filter(|n| !settled(n))
        .map(|n| n.notice.notice_number.as_str())
        .collect();
    if !in_flight.is_empty() {
        return Ok(Handled::refused(
            IN_FLIGHT,
            json!({ "notices_in_flight": in_flight }),
        ));
    }
    // Everything that finds the driver goes before its key, so a request
    // cut short is simply asked again (the driver still reads until then).
    let files = delete_outbound_files(api, &notices).await?;
    let imports = delete_people_imports(api, tenant).await?;
    for assignment in &assignments {
        api.storage
            .delete_record(tenant, RecordKind::Assignment, &assignment.assignment_id)
            .await?;
    }
    // Once the key is gone the sealed fields are noise, wherever they are
    // copied: the record left after it is unreadable even if its delete fails.
    erase_person(
        &api.storage,
        &Subject::driver(tenant, &driver.driver_id),
        api.clock.now(),
    )
    .await?;
    api.storage
        .delete_record(tenant, RecordKind::Driver, &driver.driver_id)
        .await?;
    Ok(Handled::done(json!({
        "data_key_erased": true,
        "assignments_deleted": assignments.len(),
        "outbound_files_deleted": files,
        "imports_deleted": imports,
        "designations_kept_as_proof": notices.len(),
    })))
}

/// Deletes every version of the outbound files that carried these notices'
/// answers: their acknowledgements, kept in each history, are the proof.
async fn delete_outbound_files(
    api: &Api,
    notices: &[StoredNotice],
) -> Result<Vec<String>, ApiError> {
    let mut files: Vec<String> = notices
        .iter()
        .filter_map(|n| n.answer.as_ref())
        .flat_map(|a| a.history.iter())
        .filter_map(|h| match &h.event {
            designa::domain::answer::AnswerEvent::Sent { file_key, .. } => Some(file_key.clone()),
            _ => None,
        })
        .collect();
    files.sort();
    files.dedup();
    for key in &files {
        api.blobs
            .delete_every_version(&api.config.imports.bucket, key)
            .await?;
    }
    Ok(files)
}

/// Finished imports of drivers or of planning, with their workbooks: their
/// row reports and workbooks may name the driver (a workbook's text cannot
/// be searched), so an erasure takes them. Imports still running stay.
async fn delete_people_imports(
    api: &Api,
    tenant: &designa::domain::TenantId,
) -> Result<Vec<String>, ApiError> {
    use designa::app::imports::{ImportKind, ImportRecord, ImportStatus};
    let records: Vec<ImportRecord> = load_all(&api.storage, tenant, RecordKind::Import).await?;
    let mut deleted = Vec::new();
    for record in records {
        let about_people = matches!(record.kind, ImportKind::Drivers | ImportKind::Assignments);
        let running = matches!(
            record.status,
            ImportStatus::AwaitingUpload | ImportStatus::Processing
        );
        if !about_people || running {
            continue;
        }
        if let Some(key) = &record.upload_key {
            api.blobs
                .delete_every_version(&api.config.imports.bucket, key)
                .await?;
        }
        api.storage
            .delete_record(tenant, RecordKind::Import, &record.import_id)
            .await?;
        deleted.push(record.import_id);
    }
    Ok(deleted)
}

const IN_FLIGHT: &str = "La personne est désignée dans une réponse encore en route vers l'ANTAI (une obligation légale, RGPD art. 17.3.b) : redemandez une fois la réponse acceptée ou retirée.";

/// A driver typed into one answer: access, portability and erasure; the
/// answer itself is corrected through the answer routes.
async fn designee_request(
    api: &Api,
    caller: &Caller,
    input: &RequestInput,
) -> Result<Handled, ApiError> {
    let number = input.subject.id.as_str();
    // The driver typed into this tenant's notice, unless already erased.
    let typed_in = |n: &StoredNotice| match n.answer.as_ref() {
        Some(a) if a.driver_id.is_none() => match &a.body {
            AnswerBody::Designation(d) if d.last_name != ERASED => Some(d.clone()),
            _ => None,
        },
        _ => None,
    };
    let (notice, designated) = api
        .storage
        .notice(number)
        .await?
        .filter(|n| &n.tenant_id == caller.tenant_id())
        .and_then(|n| typed_in(&n).map(|d| (n, d)))
        .ok_or(ApiError::NotFound(Resource::TypedDesignation))?;
    match input.right {
        Right::Access => {
            Ok(Handled::with_data(
                json!({ "designations": 1 }),
                json!({
                    "subject": input.subject,
                    "generated_at": api.clock.now(),
                    "designations": [designation_view(&notice)],
                }),
            ))
        }
        Right::Portability => {
            Ok(Handled::with_data(
                json!({}),
                json!({ "format": "designa.driver.v1", "driver": designated }),
            ))
        }
        Right::Erasure => {
            if !settled(&notice) {
                return Ok(Handled::refused(
                    IN_FLIGHT,
                    json!({ "notices_in_flight": [number] }),
                ));
            }
            let files = delete_outbound_files(api, std::slice::from_ref(&notice)).await?;
            erase_person(&api.storage, &Subject::designee(caller.tenant_id(), number), api.clock.now()).await?;
            Ok(Handled::done(json!({
                "data_key_erased": true,
                "outbound_files_deleted": files,
                "designations_kept_as_proof": 1,
            })))
        }
        Right::Rectification | Right::Restriction | Right::LiftRestriction => Ok(Handled::refused(
            "Une désignation saisie se corrige ou se retire depuis la réponse de l'avis, pendant son délai de grâce.",
            json!({}),
        )),
        Right::Objection => Ok(Handled::refused(
            "La désignation du conducteur d'une infraction est une obligation légale de l'entreprise (art. L.121-6 du Code de la route) : l'opposition ne s'y applique pas (RGPD art. 21.1).",
            json!({}),
        )),
    }
}

async fn user_request(
    api: &Api,
    caller: &Caller,
    input: &RequestInput,
) -> Result<Handled, ApiError> {
    let user = api
        .storage
        .user(caller.tenant_id(), &input.subject.id)
        .await?
        .ok_or(ApiError::NotFound(Resource::User))?;
    match input.right {
        Right::Access => user_access(api, caller, input, &user).await,
        Right::Portability => Ok(Handled::with_data(
            json!({}),
            json!({
                "format": "designa.user.v1",
                "user": {
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                    "email": user.email,
                },
            }),
        )),
        Right::Rectification => rectify_user(api, input, user).await,
        Right::Erasure => erase_user(api, caller, &user).await,
        Right::Restriction | Right::LiftRestriction => Ok(Handled::refused(
            "Le traitement des données d'un utilisateur se limite en désactivant son compte (écran Utilisateurs).",
            json!({}),
        )),
        Right::Objection => Ok(Handled::refused(
            "Le compte d'un utilisateur sert au contrat de service de son entreprise, pas à son intérêt légitime : pour cesser le traitement, désactivez ou supprimez le compte (effacement).",
            json!({}),
        )),
    }
}

/// Everything held on a user, and what they did, returned once.
async fn user_access(
    api: &Api,
    caller: &Caller,
    input: &RequestInput,
    user: &User,
) -> Result<Handled, ApiError> {
    let tenant = caller.tenant_id();
    let user_id = user.user_id.as_str();
    let preferences: Option<(Preferences, u64)> = load(
        &api.storage,
        tenant,
        RecordKind::NotificationPreferences,
        user_id,
    )
    .await?;
    let journal = journal_entries(&api.storage, tenant).await?;
    let by_user: Vec<Value> = journal
        .iter()
        .filter(|e| e.user_id == user_id)
        .map(|e| json!({ "at": e.at, "action": e.action, "target": e.target, "request_id": e.request_id }))
        .collect();
    Ok(Handled::with_data(
        json!({ "journal_entries": by_user.len() }),
        json!({
            "subject": input.subject,
            "generated_at": api.clock.now(),
            "user": user,
            "notification_preferences": preferences.map(|(p, _)| p),
            "actions": by_user,
            "accesses": journal_about(journal, &format!("user:{user_id}")),
        }),
    ))
}

/// Corrects a user's names (an e-mail change is a new invitation).
async fn rectify_user(
    api: &Api,
    input: &RequestInput,
    mut user: User,
) -> Result<Handled, ApiError> {
    let Some(Value::Object(changes)) = input.changes.clone() else {
        return Err(ApiError::field(
            "changes",
            ReasonCode::Malformed,
            "Les modifications sont un objet avec first_name ou last_name.",
        ));
    };
    let mut fields = Vec::new();
    for (field, value) in changes {
        let Some(text) = value.as_str().map(str::trim).filter(|t| !t.is_empty()) else {
            return Err(ApiError::field(
                &format!("changes.{field}"),
                ReasonCode::Required,
                "Un texte non vide est attendu.",
            ));
        };
        match field.as_str() {
            "first_name" => user.first_name = text.into(),
            "last_name" => user.last_name = text.into(),
            _ => {
                return Err(ApiError::field(
                    &format!("changes.{field}"),
                    ReasonCode::NotAllowed,
                    "Seuls first_name et last_name se rectifient ici ; un changement d'e-mail passe par une nouvelle invitation.",
                ))
            }
        }
        fields.push(field);
    }
    api.storage.put_user(&user).await?;
    fields.sort();
    Ok(Handled::done(json!({ "fields": fields })))
}

/// Removes a user's identity, record, preferences and pending invitations.
async fn erase_user(api: &Api, caller: &Caller, user: &User) -> Result<Handled, ApiError> {
    let tenant = caller.tenant_id();
    let user_id = user.user_id.as_str();
    if user_id == caller.user.user_id {
        return Ok(Handled::refused(
            "Un administrateur ne peut pas effacer son propre compte : un autre administrateur le peut.",
            json!({}),
        ));
    }
    api.identity.remove(&user.email).await?;
    api.storage
        .delete_record(tenant, RecordKind::NotificationPreferences, user_id)
        .await?;
    // A pending invitation holds the address too.
    let mut invitations = 0;
    for record in api.storage.records(tenant, RecordKind::Invitation).await? {
        if record.data["user_id"].as_str() == Some(user_id) {
            api.storage
                .delete_record(tenant, RecordKind::Invitation, &record.id)
                .await?;
            invitations += 1;
        }
    }
    api.storage.delete_user(tenant, user_id).await?;
    // Crypto-shredding: the names and e-mail in the table's backups no
    // longer open.
    erase_person(
        &api.storage,
        &Subject::user(tenant, user_id),
        api.clock.now(),
    )
    .await?;
    // Journal entries keep the bare user id for their year: the
    // accountability of what was done with personal data.
    Ok(Handled::done(json!({
        "identity_removed": true,
        "user_deleted": true,
        "data_key_erased": true,
        "invitations_deleted": invitations,
    })))
}

/// This resource's routes.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(create, list))
        .routes(handlers!(get))
}
