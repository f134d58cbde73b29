//! The `Idempotency-Key` header (every POST, and an answer's PUT): a
//! network retry of the same request within 24 hours gets the first
//! response again, marked `Idempotent-Replayed: true`, and the work is done
//! once. The rules live in `designa::app::idempotency`; this layer reads the
//! header and the body, asks who is calling (the handler then reuses that
//! `Caller`), and keeps the response: a 5xx lets the key go, so the retry
//! does the work; anything else is what every retry gets.

use crate::extract::MAX_REQUEST_BODY;
use crate::http::{ApiError, ReasonCode};
use crate::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use designa::app::caller::Caller;
use designa::app::idempotency::{self, valid_key, Begun, KeptResponse, KeyedRequest};

/// The request header, as the IETF draft and Stripe name it.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// The response header of a replay.
pub const REPLAYED: &str = "idempotent-replayed";
/// The response header of a replay whose body was not kept (over
/// `MAX_KEPT_BODY`, or erased with a person's data): the status alone.
pub const BODY_NOT_KEPT: &str = "idempotent-body-kept";
/// The one PUT that takes a key: answering a notice.
pub const ANSWER_ROUTE: &str = "/notices/{noticeNumber}/answer";
/// The headers a replay gives again with the body.
const KEPT_HEADERS: [HeaderName; 3] = [
    header::CONTENT_TYPE,
    header::CONTENT_DISPOSITION,
    header::LOCATION,
];

/// Does this route take an `Idempotency-Key`?
pub fn takes_key(method: &Method, route: &str) -> bool {
    *method == Method::POST || (*method == Method::PUT && route == ANSWER_ROUTE)
}

/// The layer on every authenticated route.
pub async fn once_per_key(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let key = request.headers().get(IDEMPOTENCY_KEY).cloned();
    match key {
        Some(key) if takes_key(request.method(), &route) => keyed(&app, key, request, next)
            .await
            .unwrap_or_else(IntoResponse::into_response),
        _ => next.run(request).await,
    }
}

async fn keyed(
    app: &AppState,
    key: HeaderValue,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let key = key
        .to_str()
        .ok()
        .filter(|k| valid_key(k))
        .ok_or_else(malformed_key)?
        .to_string();
    let (mut parts, body) = request.into_parts();
    let caller = Caller::from_request_parts(&mut parts, app).await?;
    let body = to_bytes(body, MAX_REQUEST_BODY)
        .await
        .map_err(|_| ApiError::TooLarge(MAX_REQUEST_BODY))?;
    let path = parts.uri.path_and_query().map_or("", |p| p.as_str());
    let keyed = KeyedRequest {
        tenant: caller.tenant_id().clone(),
        principal: caller.user.user_id.clone(),
        key,
        fingerprint: idempotency::fingerprint(parts.method.as_str(), path, &body),
    };
    match idempotency::begin(&app.storage, &keyed, app.clock.now()).await? {
        Begun::Replay(kept) => Ok(replay(kept)),
        Begun::InUse => Err(ApiError::IdempotencyKeyInUse),
        Begun::Mismatch => Err(ApiError::IdempotencyKeyReused),
        Begun::Claimed { version } => {
            // The handler's `Caller` extractor takes this one.
            parts.extensions.insert(caller);
            let response = next.run(Request::from_parts(parts, Body::from(body))).await;
            Ok(keep(app, &keyed, version, response).await)
        }
    }
}

fn malformed_key() -> ApiError {
    ApiError::field(
        "Idempotency-Key",
        ReasonCode::Malformed,
        format!(
            "la clé doit compter de 1 à {} caractères ASCII visibles (un UUID, par exemple).",
            idempotency::MAX_KEY_LENGTH
        ),
    )
}

/// Keeps the response for the retries (a 5xx lets the key go instead) and
/// gives it to the client. A failure to keep it is logged, not answered:
/// the work is done and the client has its result.
async fn keep(app: &AppState, keyed: &KeyedRequest, version: u64, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(e) => return ApiError::Internal(format!("response body: {e}")).into_response(),
    };
    let kept = if parts.status.is_server_error() {
        idempotency::release(&app.storage, keyed).await
    } else {
        let response = KeptResponse {
            status: parts.status.as_u16(),
            headers: kept_headers(&parts.headers),
            body: body.to_vec(),
            body_kept: true,
        };
        idempotency::finish(&app.storage, keyed, version, response, app.clock.now()).await
    };
    if let Err(e) = kept {
        tracing::error!(error = %ApiError::from(e), "idempotency key not updated");
    }
    Response::from_parts(parts, Body::from(body))
}

fn kept_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    KEPT_HEADERS
        .iter()
        .filter_map(|name| {
            let value = headers.get(name)?.to_str().ok()?;
            Some((name.to_string(), value.to_string()))
        })
        .collect()
}

/// The first response again.
fn replay(kept: KeptResponse) -> Response {
    let status = StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK);
    let mut response = (status, kept.body).into_response();
    let headers = response.headers_mut();
    if !kept.body_kept {
        headers.insert(BODY_NOT_KEPT, HeaderValue::from_static("false"));
        headers.insert(REPLAYED, HeaderValue::from_static("true"));
        return response;
    }
    for (name, value) in kept.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::from_str(&value),
        ) {
            headers.insert(name, value);
        }
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}
