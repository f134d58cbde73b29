//! The API's request parts, responses and errors, and how they become HTTP:
//! `ApiError` is the one place that knows an application error's status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Value};

pub use designa::app::caller::Claims;
use designa::app::AppError;
pub use designa::app::FieldError;

/// What handlers read of a request besides its path and caller (see
/// `extract`): the decoded query, the content type and the body.
#[derive(Debug, Clone, Default)]
pub struct ApiRequest {
    /// Query parameters, decoded.
    pub query: Vec<(String, String)>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// API Gateway's request id (or the local server's), for the journal and logs.
    pub request_id: String,
}

impl ApiRequest {
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
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

/// Every way a request fails, with its status and a stable code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    /// Also for another tenant's or an out-of-scope entity's resources: their
    /// existence is not revealed.
    #[error("{0} not found")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("{message}")]
    Conflict { message: String, current: Value },
    #[error("request body too large: {0} bytes at most; use an upload")]
    TooLarge(usize),
    #[error("unsupported media type: {0}")]
    UnsupportedMedia(String),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(message: impl Into<String>, fields: Vec<FieldError>) -> Self {
        ApiError::Invalid {
            message: message.into(),
            fields,
        }
    }

    pub fn field(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        ApiError::Invalid {
            message: format!("{field}: {reason}"),
            fields: vec![FieldError::new(field, reason)],
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::Unauthenticated => 401,
            ApiError::Forbidden(_) => 403,
            ApiError::NotFound(_) => 404,
            ApiError::MethodNotAllowed => 405,
            ApiError::Conflict { .. } => 409,
            ApiError::TooLarge(_) => 413,
            ApiError::UnsupportedMedia(_) => 415,
            ApiError::Invalid { .. } => 422,
            ApiError::Internal(_) => 500,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Conflict { .. } => "conflict",
            ApiError::TooLarge(_) => "too_large",
            ApiError::UnsupportedMedia(_) => "unsupported_media_type",
            ApiError::Invalid { .. } => "invalid",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn to_response(self) -> ApiResponse {
        let mut error = json!({ "code": self.code(), "message": self.to_string() });
        match &self {
            ApiError::Invalid { fields, .. } => error["fields"] = json!(fields),
            ApiError::Conflict { current, .. } => error["current"] = current.clone(),
            _ => {}
        }
        ApiResponse::json(self.status(), &json!({ "error": error }))
    }
}

impl From<designa::ports::PortError> for ApiError {
    fn from(e: designa::ports::PortError) -> Self {
        // The whole chain: the cause of a logged 500 is not lost.
        ApiError::Internal(e.chain())
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
        if let ApiError::Internal(detail) = &self {
            // The span carries the request id; the client sees no detail.
            tracing::error!(error = %detail, "request failed");
        }
        self.to_response().into_response()
    }
}

pub type ApiResult = Result<ApiResponse, ApiError>;
