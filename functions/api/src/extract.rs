//! What a handler states it needs, extracted the same way behind API Gateway,
//! on the local server and in the tests:
//!
//! - `Caller`: who is calling, from the verified claims a layer put in the
//!   request's extensions (API Gateway's authorizer context on the Lambda,
//!   the local JWT check, or the tests). Extracted before the body is read;
//!   a public route is simply a handler that takes no `Caller`.
//! - `Id`: the path's one parameter, percent-decoded, at most
//!   `MAX_PARAMETER_LENGTH` characters (longer is no route: 404).
//! - `Json<T>`: the body as `T`, an error naming the faulty field's path.
//! - `Query<T>`: the query string as `T`.
//! - `ApiRequest`: the raw body and its content type, read once with a
//!   limit: for the workbook import, and for the routes that read their
//!   body only once the resource is found (an unknown notice, import or
//!   invitation answers 404 whatever the body).

use crate::decode_errors;
use crate::http::{ApiError, ApiRequest, Claims, FieldError, ReasonCode, Resource};
use crate::AppState;
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Path, Request};
use axum::http::request::Parts;
use designa::app::caller::{authenticate, Caller};
use designa::ports::IdentityProvider;
use lambda_http::request::RequestContext;
use lambda_http::RequestExt;
use serde::de::DeserializeOwned;

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

/// Declares a path parameter for the spec: its name in the route and the
/// length `Id` accepts.
macro_rules! path_parameters {
    ($($(#[$doc:meta])* $type:ident = $name:literal;)*) => {$(
        $(#[$doc])*
        #[derive(utoipa::IntoParams)]
        #[into_params(names($name), parameter_in = Path)]
        #[allow(dead_code)] // only its schema is used: `Id` reads the value
        pub struct $type(#[param(min_length = 1, max_length = 200)] String);
    )*};
}

path_parameters! {
    EntityIdPath = "entityId";
    UserIdPath = "userId";
    VehicleIdPath = "vehicleId";
    DriverIdPath = "driverId";
    AssignmentIdPath = "assignmentId";
    ImportIdPath = "importId";
    /// The notice's number, as ANTAI gave it.
    NoticeNumberPath = "noticeNumber";
    ExportIdPath = "exportId";
    RequestIdPath = "requestId";
    /// The invitation's token, from the link e-mailed to the invitee.
    InvitationTokenPath = "token";
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        // Already known when a layer needed it first (idempotency keys).
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let claims = parts.extensions.get::<Claims>();
        let today = designa::domain::time::paris_date(app.clock.now());
        let caller = authenticate(&app.storage, claims, &request_id(parts), today).await?;
        tracing::Span::current().record("tenant_id", caller.tenant_id().0.as_str());
        hold_to_second_factor(app, &caller, parts).await?;
        Ok(caller)
    }
}

/// A tenant that requires a second factor: a caller without one may only
/// read `/me` (the web app then sends them to « Sécurité », where they set it
/// up with Cognito directly).
async fn hold_to_second_factor(
    app: &AppState,
    caller: &Caller,
    parts: &Parts,
) -> Result<(), ApiError> {
    if !caller.tenant.settings.second_factor_required || parts.uri.path() == "/me" {
        return Ok(());
    }
    if app
        .identity
        .second_factor_enrolled(&caller.user.email)
        .await?
    {
        return Ok(());
    }
    Err(ApiError::SecondFactorRequired)
}

/// A path parameter (every route has at most one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let no_route = || ApiError::NotFound(Resource::Route);
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
        let body = axum::body::to_bytes(body, MAX_REQUEST_BODY)
            .await
            .map_err(|_| ApiError::TooLarge(MAX_REQUEST_BODY))?;
        Ok(ApiRequest {
            content_type: parts
                .headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            body: body.to_vec(),
        })
    }
}

/// A JSON body parsed into `T` (the spec's request body is `T`'s schema).
#[derive(Debug, Clone)]
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, ApiError> {
        let body = axum::body::to_bytes(request.into_body(), MAX_REQUEST_BODY)
            .await
            .map_err(|_| ApiError::TooLarge(MAX_REQUEST_BODY))?;
        parse_json(&body).map(Json)
    }
}

/// An optional JSON body: none when the body is empty.
impl<S: Send + Sync, T: DeserializeOwned> OptionalFromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Option<Self>, ApiError> {
        let body = axum::body::to_bytes(request.into_body(), MAX_REQUEST_BODY)
            .await
            .map_err(|_| ApiError::TooLarge(MAX_REQUEST_BODY))?;
        if body.is_empty() {
            return Ok(None);
        }
        parse_json(&body).map(|value| Some(Json(value)))
    }
}

/// Parses a JSON body into `T`, naming the field serde complains about.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.is_empty() {
        let reason = "Le contenu de la requête est vide : un objet JSON est attendu.";
        return Err(ApiError::field("body", ReasonCode::Required, reason));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let inner = e.inner();
        let field = if inner.is_syntax() || inner.is_eof() {
            decode_errors::syntax_error(inner.line(), inner.column())
        } else {
            decode_errors::field_error(&e.path().to_string(), &inner.to_string())
        };
        one_field(field)
    })
}

/// `parse_json`, refusing any field `T` does not have instead of dropping
/// it: a licence number typed into a designation is said, not lost.
pub fn parse_json_exact<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut unknown = Vec::new();
    let parsed: Result<T, _> = {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        // serde_ignored writes `?` for each `Option` on the way.
        let mut note = |path: serde_ignored::Path| {
            let path = path.to_string();
            let named: Vec<&str> = path.split('.').filter(|s| *s != "?").collect();
            unknown.push(named.join("."))
        };
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(
            &mut deserializer,
            &mut note,
        ))
    };
    if let Some(path) = unknown.first() {
        let name = path.rsplit('.').next().unwrap_or(path);
        let reason = format!("Le champ « {name} » n'existe pas ici : retirez-le.");
        return Err(one_field(FieldError::new(
            path.as_str(),
            ReasonCode::Malformed,
            reason,
        )));
    }
    match parsed {
        Ok(value) => Ok(value),
        Err(_) => parse_json(body),
    }
}

fn one_field(field: FieldError) -> ApiError {
    ApiError::field(&field.field, field.code, field.reason)
}

/// The query string parsed into `T` (the spec's parameters are `T`'s).
#[derive(Debug, Clone)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Query)
            .map_err(|e| {
                let field =
                    decode_errors::field_error(&e.path().to_string(), &e.inner().to_string());
                one_field(field)
            })
    }
}

// Behind API Gateway (HTTP API, payload 2.0), the Lambda moves the JWT
// authorizer's verified claims into the request's extensions and API
// Gateway's request id into `x-request-id`, where the extractors read them.

/// The claims API Gateway's JWT authorizer verified, if any.
fn claims(request: &lambda_http::Request) -> Option<Claims> {
    match request.request_context_ref()? {
        RequestContext::ApiGatewayV2(context) => {
            let jwt = context.authorizer.as_ref()?.jwt.as_ref()?;
            Some(
                jwt.claims
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect(),
            )
        }
        _ => None,
    }
}

fn gateway_request_id(request: &lambda_http::Request) -> Option<String> {
    match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.request_id.clone(),
        _ => None,
    }
    .or_else(|| request.lambda_context_ref().map(|c| c.request_id.clone()))
}

/// Moves API Gateway's context where the router reads it.
pub fn from_api_gateway(mut request: lambda_http::Request) -> lambda_http::Request {
    if let Some(claims) = claims(&request) {
        request.extensions_mut().insert(claims);
    }
    if let Some(id) = gateway_request_id(&request) {
        if let Ok(value) = id.parse() {
            request.headers_mut().insert(REQUEST_ID, value);
        }
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_event_carries_its_claims_and_request_id_to_the_router() {
        let event = include_str!("../../../events/api-get-me.json");
        let request =
            from_api_gateway(lambda_http::request::from_str(event).expect("a payload 2.0 event"));
        assert_eq!(request.method(), "GET");
        assert_eq!(request.uri().path(), "/me");
        assert_eq!(
            request.headers()[REQUEST_ID],
            "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
        );
        let claims = request.extensions().get::<Claims>().expect("claims");
        assert_eq!(claims["custom:tenant_id"], "t-demo");
    }
}
