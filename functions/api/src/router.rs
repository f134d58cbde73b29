//! The whole API: every resource's router, the public one, and the
//! middleware they share (request ids, the request log, CORS for the web
//! app, compression). Unknown paths answer 404 and known paths with another
//! method 405, both in the API's error body.

use crate::extract::REQUEST_ID;
use crate::http::{ApiError, Claims};
use crate::{
    answers, assignments, drivers, entities, exports, imports, journal, notices, preferences,
    privacy, tenant, users, vehicles, AppState,
};
use axum::extract::{MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{self, MethodFilter};
use axum::Router;
use std::sync::Arc;
use std::time::Instant;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tracing::Instrument;

/// Verifies a bearer token as API Gateway's JWT authorizer does, for the
/// servers that have no API Gateway in front (the local server): `None`
/// refuses the request with API Gateway's own 401.
pub type TokenCheck = Arc<dyn Fn(Option<&str>) -> Option<Claims> + Send + Sync>;

/// A method and a path template, as the router serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
}

/// An axum router and the routes it was built with, so the tests (the
/// isolation table, the spec) and the local server iterate exactly what is
/// served.
pub struct Routes {
    router: Router<AppState>,
    served: Vec<Route>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

macro_rules! method {
    ($name:ident, $method:literal, $filter:expr) => {
        pub fn $name<H, T>(self, path: &'static str, handler: H) -> Self
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            self.on($method, $filter, path, handler)
        }
    };
}

impl Routes {
    pub fn new() -> Self {
        Routes {
            router: Router::new(),
            served: Vec::new(),
        }
    }

    method!(get, "GET", MethodFilter::GET);
    method!(post, "POST", MethodFilter::POST);
    method!(put, "PUT", MethodFilter::PUT);
    method!(delete, "DELETE", MethodFilter::DELETE);

    fn on<H, T>(
        mut self,
        method: &'static str,
        filter: MethodFilter,
        path: &'static str,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        // Routing one path again adds the method to it.
        self.router = self.router.route(path, routing::on(filter, handler));
        self.served.push(Route { method, path });
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.served.extend(other.served);
        self
    }

    pub fn served(&self) -> &[Route] {
        &self.served
    }
}

/// The routes served without a token (template.yaml: `Authorizer: NONE`).
pub fn public_routes() -> Vec<Route> {
    users::public_router().served
}

/// Every route, public ones included, in declaration order.
pub fn all_routes() -> Vec<Route> {
    let mut all = public_routes();
    all.extend(authenticated().served);
    all
}

/// Every route that needs a caller.
fn authenticated() -> Routes {
    Routes::new()
        .merge(tenant::router())
        .merge(preferences::router())
        .merge(entities::router())
        .merge(users::router())
        .merge(vehicles::router())
        .merge(drivers::router())
        .merge(assignments::router())
        .merge(imports::router())
        .merge(notices::router())
        .merge(answers::router())
        .merge(exports::router())
        .merge(journal::router())
        .merge(privacy::router())
}

/// The API as one service. `token_check` is for servers without API
/// Gateway in front; behind it (the Lambda) and in tests, claims arrive in
/// the request's extensions already.
pub fn router(state: AppState, token_check: Option<TokenCheck>) -> Router {
    let mut private = authenticated().router;
    if let Some(check) = token_check {
        private = private.route_layer(middleware::from_fn_with_state(check, require_token));
    }
    let request_id = HeaderName::from_static(REQUEST_ID);
    Router::new()
        .merge(users::public_router().router)
        .merge(private)
        .fallback(|| async { ApiError::NotFound("route".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn(log_request))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(cors(&state.config.app_url))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// The web app (and only it) may call the API from a browser.
fn cors(app_url: &str) -> CorsLayer {
    let origin = app_url.trim_end_matches('/');
    CorsLayer::new()
        .allow_origin(match HeaderValue::from_str(origin) {
            Ok(origin) => AllowOrigin::exact(origin),
            Err(_) => AllowOrigin::list([]),
        })
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([
            HeaderName::from_static(REQUEST_ID),
            header::CONTENT_DISPOSITION,
        ])
}

async fn require_token(
    State(check): State<TokenCheck>,
    mut request: Request,
    next: Next,
) -> Response {
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match check(authorization) {
        Some(claims) => {
            request.extensions_mut().insert(claims);
            next.run(request).await
        }
        // API Gateway's own answer; no handler is called.
        None => (
            axum::http::StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({ "message": "Unauthorized" })),
        )
            .into_response(),
    }
}

/// One JSON line per request: never the token, the path's ids or the body
/// (the route is the matched template, e.g. `/vehicles/{vehicleId}`). The
/// span carries the request id and, once known, the tenant id to every log
/// line the request writes.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_string();
    let request_id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        tenant_id = tracing::field::Empty
    );
    let response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::info!(
            method = %method,
            route = %route,
            status = response.status().as_u16(),
            duration_ms = started.elapsed().as_millis() as u64,
            "request"
        )
    });
    response
}
