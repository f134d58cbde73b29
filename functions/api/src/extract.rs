//! What a handler states it needs, extracted the same way behind API Gateway,
//! on the local server and in the tests:
//!
//! - `Caller`: who is calling, from the verified claims a layer put in the
//!   request's extensions (API Gateway's authorizer context on the Lambda,
//!   the local JWT check, or the tests). Extracted before the body is read;
//!   a public route is simply a handler that takes no `Caller`.
//! - `Id`: the path's one parameter, percent-decoded, at most
//!   `MAX_PARAMETER_LENGTH` characters (longer is no route: 404).
//! - `ApiRequest`: the query, content type and body, read once with a limit.

use crate::http::{ApiError, ApiRequest, Claims};
use crate::AppState;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use designa::app::caller::{authenticate, Caller};

/// The longest path parameter served (ids are far shorter; the table's keys
/// have a size limit).
pub const MAX_PARAMETER_LENGTH: usize = 200;

/// The largest request body read: API Gateway's payload limit. Inline
/// imports stop at `MAX_INLINE_BODY`, below it.
pub const MAX_REQUEST_BODY: usize = 10 * 1024 * 1024;

/// The header carrying the request id (set by API Gateway's context on the
/// Lambda, by tower-http's request-id layer elsewhere).
pub const REQUEST_ID: &str = "x-request-id";

/// The request's id, for the journal and the logs.
pub fn request_id(parts: &Parts) -> String {
    parts
        .headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let claims = parts.extensions.get::<Claims>();
        let caller = authenticate(&app.storage, claims, &request_id(parts)).await?;
        tracing::Span::current().record("tenant_id", caller.tenant_id().0.as_str());
        Ok(caller)
    }
}

/// A path parameter (every route has at most one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let no_route = || ApiError::NotFound("route".into());
        let Path(value) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| no_route())?;
        if value.is_empty() || value.len() > MAX_PARAMETER_LENGTH {
            return Err(no_route());
        }
        Ok(Id(value))
    }
}

impl<S: Send + Sync> FromRequest<S> for ApiRequest {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, ApiError> {
        let (parts, body) = request.into_parts();
        let query = match parts.uri.query() {
            None => Vec::new(),
            Some(raw) => serde_urlencoded::from_str(raw)
                .map_err(|e| ApiError::field("query", format!("cannot be read: {e}")))?,
        };
        let body = axum::body::to_bytes(body, MAX_REQUEST_BODY)
            .await
            .map_err(|_| ApiError::TooLarge(MAX_REQUEST_BODY))?;
        Ok(ApiRequest {
            query,
            content_type: parts
                .headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            body: body.to_vec(),
            request_id: request_id(&parts),
        })
    }
}
