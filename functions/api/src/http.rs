//! The API's request parts, responses and errors, and how they become HTTP:
//! `ApiError` is the one place that knows an application error's status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response as Documented, ResponseBuilder};
use utoipa::{IntoResponses, ToSchema};

pub use designa::app::caller::Claims;
use designa::app::AppError;
pub use designa::app::{FieldError, Resource};
pub use designa::domain::ReasonCode;

/// The raw body and its content type, for the routes that take a workbook
/// or read their body only once the resource is found (see `extract`).
#[derive(Debug, Clone, Default)]
pub struct ApiRequest {
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

pub const JSON: &str = "application/json";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl ApiResponse {
    pub fn json<T: Serialize>(status: u16, value: &T) -> Self {
        ApiResponse {
            status,
            content_type: JSON,
            headers: Vec::new(),
            body: serde_json::to_vec(value).expect("responses serialize"),
        }
    }

    pub fn no_content() -> Self {
        ApiResponse {
            status: 204,
            content_type: JSON,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn xlsx(file_name: &str, body: Vec<u8>) -> Self {
        ApiResponse {
            status: 200,
            content_type: XLSX,
            headers: vec![(
                "content-disposition",
                format!("attachment; filename=\"{file_name}\""),
            )],
            body,
        }
    }

    pub fn body_json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

impl IntoResponse for ApiResponse {
    fn into_response(self) -> Response {
        let mut response = (
            StatusCode::from_u16(self.status).expect("handlers answer valid statuses"),
            [(header::CONTENT_TYPE, self.content_type)],
            self.body,
        )
            .into_response();
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, value);
            }
        }
        response
    }
}

/// A file's bytes, as the document describes a binary body.
fn binary_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
        .into()
}

/// An Excel workbook (`XLSX`), as a response or request body.
pub struct Workbook;

impl utoipa::PartialSchema for Workbook {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        binary_schema()
    }
}

impl ToSchema for Workbook {}

/// A PDF document, as a response body.
pub struct PdfFile;

impl utoipa::PartialSchema for PdfFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        binary_schema()
    }
}

impl ToSchema for PdfFile {}

/// The message of a 422 whose fields each say what is wrong.
pub const INVALID_FIELDS: &str = "Certains champs sont invalides : voyez le détail de chacun.";

/// Every way a request fails, with its status and a stable code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("Vous n'êtes pas connecté.")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    /// Also for another tenant's or an out-of-scope entity's resources: their
    /// existence is not revealed.
    #[error("{}", .0.not_found())]
    NotFound(Resource),
    #[error("Cette adresse n'accepte pas cette méthode HTTP.")]
    MethodNotAllowed,
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("{message}")]
    Conflict { message: String, current: Value },
    #[error("Le contenu envoyé dépasse {0} octets : passez par un dépôt de fichier (upload).")]
    TooLarge(usize),
    #[error("Ce type de contenu n'est pas accepté : {0}.")]
    UnsupportedMedia(String),
    /// Other writers kept winning the same item (a plate's holdings): the
    /// client retries after `Retry-After`.
    #[error("Trop de modifications simultanées de la même donnée : réessayez dans un instant.")]
    Busy(String),
    /// An `Idempotency-Key` already used for another request (another
    /// method, path or body).
    #[error("Cette clé d'idempotence (Idempotency-Key) a déjà servi pour une autre requête : utilisez-en une nouvelle.")]
    IdempotencyKeyReused,
    /// The first request with this `Idempotency-Key` is still running.
    #[error("Une requête avec cette clé d'idempotence (Idempotency-Key) est en cours : réessayez dans un instant.")]
    IdempotencyKeyInUse,
    /// The tenant requires a second factor the caller has not set up.
    #[error("Votre compte client exige la double authentification : activez-la dans « Sécurité » pour continuer.")]
    SecondFactorRequired,
    #[error("Une erreur interne est survenue ; elle est enregistrée, réessayez dans un instant.")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(message: impl Into<String>, fields: Vec<FieldError>) -> Self {
        ApiError::Invalid {
            message: message.into(),
            fields,
        }
    }

    pub fn field(field: &str, code: ReasonCode, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        ApiError::Invalid {
            message: format!("{field} : {reason}"),
            fields: vec![FieldError::new(field, code, reason)],
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::Unauthenticated => 401,
            ApiError::Forbidden(_) | ApiError::SecondFactorRequired => 403,
            ApiError::NotFound(_) => 404,
            ApiError::MethodNotAllowed => 405,
            ApiError::Conflict { .. } | ApiError::IdempotencyKeyInUse => 409,
            ApiError::TooLarge(_) => 413,
            ApiError::UnsupportedMedia(_) => 415,
            ApiError::Invalid { .. } | ApiError::IdempotencyKeyReused => 422,
            ApiError::Internal(_) => 500,
            ApiError::Busy(_) => 503,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::SecondFactorRequired => "second_factor_required",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Conflict { .. } => "conflict",
            ApiError::TooLarge(_) => "too_large",
            ApiError::UnsupportedMedia(_) => "unsupported_media_type",
            ApiError::Invalid { .. } => "invalid",
            ApiError::Internal(_) => "internal",
            ApiError::Busy(_) => "busy",
            ApiError::IdempotencyKeyReused => "idempotency_key_reused",
            ApiError::IdempotencyKeyInUse => "idempotency_key_in_use",
        }
    }

    pub fn to_response(self) -> ApiResponse {
        let status = self.status();
        let busy = matches!(self, ApiError::Busy(_) | ApiError::IdempotencyKeyInUse);
        let mut response = ApiResponse::json(status, &ErrorBody::from(self));
        if busy {
            response
                .headers
                .push(("retry-after", RETRY_AFTER_SECONDS.to_string()));
        }
        response
    }
}

/// What a 503 asks the client to wait before trying again.
pub const RETRY_AFTER_SECONDS: u32 = 1;

/// The body of every error the API answers (API Gateway's own 401 aside).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable: clients branch on it, never on the message.
    #[schema(value_type = ErrorCode)]
    pub code: &'static str,
    pub message: String,
    /// Each faulty field of an invalid request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldError>>,
    /// The conflicting resource as it stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Value>,
}

/// The codes of `ErrorDetail`, one per status the API answers.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // only its schema is used: `ApiError::code` writes the codes
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    TooLarge,
    UnsupportedMediaType,
    Invalid,
    Internal,
    Busy,
    IdempotencyKeyReused,
    IdempotencyKeyInUse,
}

impl From<ApiError> for ErrorBody {
    fn from(e: ApiError) -> Self {
        let code = e.code();
        let message = e.to_string();
        let (fields, current) = match e {
            ApiError::Invalid { fields, .. } => (Some(fields), None),
            ApiError::Conflict { current, .. } => (None, Some(current).filter(|c| !c.is_null())),
            _ => (None, None),
        };
        ErrorBody {
            error: ErrorDetail {
                code,
                message,
                fields,
                current,
            },
        }
    }
}

/// API Gateway's answer to a missing or invalid token.
#[derive(Debug, Serialize, ToSchema)]
pub struct GatewayUnauthorized {
    pub message: String,
}

/// A 401: API Gateway's when the token is missing or invalid, the API's
/// when a valid token names no active user.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used
pub enum Unauthorized {
    Gateway(GatewayUnauthorized),
    Api(ErrorBody),
}

const UNAUTHORIZED: (u16, &str) = (401, "No valid token, or no active user behind it");
const FORBIDDEN: (u16, &str) = (403, "The caller's roles do not allow this");
const NOT_FOUND: (u16, &str) = (404, "Not found, or not visible to the caller");
const INVALID: (u16, &str) = (422, "Invalid request: error.fields names each faulty field");
const INTERNAL: (u16, &str) = (500, "Internal error (logged with the request id)");
const BUSY: (u16, &str) = (
    503,
    "Too many simultaneous changes of the same data: retry after Retry-After seconds",
);

/// The documented error responses of a route: each status with its
/// meaning; the body is `Unauthorized` for a 401, `Error` otherwise.
fn error_responses(statuses: &[(u16, &str)]) -> BTreeMap<String, RefOr<Documented>> {
    statuses
        .iter()
        .map(|&(status, description)| {
            let schema = if status == 401 {
                "Unauthorized"
            } else {
                "Error"
            };
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(schema)))
                .build();
            let response = ResponseBuilder::new()
                .description(description)
                .content(JSON, content)
                .build();
            (status.to_string(), response.into())
        })
        .collect()
}

/// The failures of a route that reads.
pub struct ReadErrors;

impl IntoResponses for ReadErrors {
    fn responses() -> BTreeMap<String, RefOr<Documented>> {
        error_responses(&[UNAUTHORIZED, FORBIDDEN, NOT_FOUND, INVALID, INTERNAL])
    }
}

/// The failures of a route that writes.
pub struct WriteErrors;

impl IntoResponses for WriteErrors {
    fn responses() -> BTreeMap<String, RefOr<Documented>> {
        error_responses(&[
            UNAUTHORIZED,
            FORBIDDEN,
            NOT_FOUND,
            (
                409,
                "Conflict with the current state (returned in error.current)",
            ),
            (413, "Body too large: use an upload"),
            (415, "Unsupported content type"),
            INVALID,
            INTERNAL,
            BUSY,
        ])
    }
}

/// The failures of a certificate's routes: 409 until ANTAI acknowledged
/// the answer.
pub struct CertificateErrors;

impl IntoResponses for CertificateErrors {
    fn responses() -> BTreeMap<String, RefOr<Documented>> {
        error_responses(&[
            UNAUTHORIZED,
            FORBIDDEN,
            NOT_FOUND,
            (
                409,
                "ANTAI has not acknowledged the answer (error.current.reason.code: not_acknowledged)",
            ),
            INVALID,
            INTERNAL,
        ])
    }
}

/// The failures of a public route that reads nothing a caller names.
pub struct InternalErrors;

impl IntoResponses for InternalErrors {
    fn responses() -> BTreeMap<String, RefOr<Documented>> {
        error_responses(&[INTERNAL])
    }
}

/// The failures of the public check of a verification code (no token).
pub struct PublicCertificateErrors;

impl IntoResponses for PublicCertificateErrors {
    fn responses() -> BTreeMap<String, RefOr<Documented>> {
        error_responses(&[(404, "No certificate has this verification code"), INTERNAL])
    }
}

/// The failures of the public invitation route (no token).
pub struct PublicErrors;

impl IntoResponses for PublicErrors {
    fn responses() -> BTreeMap<String, RefOr<Documented>> {
        error_responses(&[
            (404, "No such invitation, or it expired"),
            (409, "The invitation was already accepted"),
            INVALID,
            INTERNAL,
        ])
    }
}

impl From<designa::ports::PortError> for ApiError {
    fn from(e: designa::ports::PortError) -> Self {
        // The whole chain: the cause of a logged 500 (or 503) is not lost.
        if e.is_contention() {
            ApiError::Busy(e.chain())
        } else {
            ApiError::Internal(e.chain())
        }
    }
}

/// The one place that knows an application error's status.
impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Unauthenticated => ApiError::Unauthenticated,
            AppError::Forbidden(reason) => ApiError::Forbidden(reason),
            AppError::NotFound(what) => ApiError::NotFound(what),
            AppError::Invalid { message, fields } => ApiError::Invalid { message, fields },
            AppError::Conflict { message, current } => ApiError::Conflict { message, current },
            AppError::Internal(detail) => ApiError::Internal(detail),
            AppError::Port(e) => e.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            // The span carries the request id; the client sees no detail.
            ApiError::Internal(detail) => tracing::error!(error = %detail, "request failed"),
            ApiError::Busy(detail) => tracing::warn!(error = %detail, "request lost to contention"),
            _ => {}
        }
        self.to_response().into_response()
    }
}

pub type ApiResult = Result<ApiResponse, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_contention_is_a_503_to_retry_and_keeps_its_cause() {
        let lost =
            designa::ports::PortError::contended("dynamodb:TransactWriteItems", "kept changing");
        let error = ApiError::from(lost);
        assert!(matches!(&error, ApiError::Busy(cause) if cause.contains("kept changing")));
        let response = error.to_response();
        assert_eq!(response.status, 503);
        assert!(response.headers.contains(&("retry-after", "1".to_string())));
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(body["error"]["code"], "busy");
        assert!(
            !body.to_string().contains("kept changing"),
            "no detail for the client"
        );
    }

    #[test]
    fn other_failures_stay_500s() {
        let failed = designa::ports::PortError::new("dynamodb:GetItem", "timeout");
        assert_eq!(ApiError::from(failed).status(), 500);
    }
}
