//! The whole API: every resource's router, the public one, and the
//! middleware they share (request ids, the request log, CORS for the web
//! app, compression). Unknown paths answer 404 and known paths with another
//! method 405, both in the API's error body.

use crate::extract::REQUEST_ID;
use crate::http::Resource;
use crate::http::{ApiError, Claims};
use crate::{
    answers, assignments, certificates, drivers, entities, exports, imports, journal, notices,
    preferences, privacy, stats, tenant, users, vehicles, AppState,
};
use axum::extract::{MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum::Router;
use std::sync::Arc;
use std::time::Instant;
use tower::Layer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::normalize_path::{NormalizePath, NormalizePathLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tracing::Instrument;
use utoipa::openapi::path::{HttpMethod, Paths};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr};
use utoipa_axum::PathItemExt;

/// Verifies a bearer token as API Gateway's JWT authorizer does, for the
/// servers that have no API Gateway in front (the local server): `None`
/// refuses the request with API Gateway's own 401.
pub type TokenCheck = Arc<dyn Fn(Option<&str>) -> Option<Claims> + Send + Sync>;

/// A method and a path template, as the router serves it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub method: &'static str,
    pub path: String,
}

/// The OpenAPI part of one path's handlers: their operations and the
/// schemas those name.
pub type Documented = (Vec<(String, RefOr<Schema>)>, Paths);

/// The handlers of one path, from [`handlers!`]: their axum method router,
/// built at once, and their OpenAPI part, built only when asked for.
/// Building every operation and schema took most of the API Lambda's cold
/// start (docs/operations.md, "Cold starts"), and only the document and the
/// tests read them.
pub struct Handlers {
    pub path: String,
    pub methods: MethodRouter<AppState>,
    pub document: fn() -> Documented,
}

/// The handlers of one path, each with its `#[utoipa::path]`, as
/// `utoipa_axum::routes!` takes them: served at the path and with the methods
/// their `#[utoipa::path]` declares, documented by `routes!` itself on demand.
macro_rules! handlers {
    ($first:ident $(, $handler:ident)* $(,)?) => {
        utoipa_axum::paste! {
            $crate::router::Handlers {
                path: <[<__path_ $first>] as utoipa::Path>::path(),
                methods: $crate::router::serve(<[<__path_ $first>] as utoipa::Path>::methods(), $first)
                    $( .merge($crate::router::serve(<[<__path_ $handler>] as utoipa::Path>::methods(), $handler)) )*,
                document: || {
                    let (schemas, paths, _): utoipa_axum::router::UtoipaMethodRouter<$crate::AppState> =
                        utoipa_axum::routes!($first $(, $handler)*);
                    (schemas, paths)
                },
            }
        }
    };
}
pub(crate) use handlers;

/// `handler` under each of `methods`.
pub fn serve<H, T>(methods: Vec<HttpMethod>, handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    methods.iter().fold(MethodRouter::new(), |router, method| {
        router.on(method.to_method_filter(), handler.clone())
    })
}

/// An axum router and the OpenAPI parts of its handlers, declared together
/// from each handler's `#[utoipa::path]`: what is served is what is
/// documented, and the tests (the isolation table, the spec) and the local
/// server iterate exactly that.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    /// Each group of handlers' path and OpenAPI part.
    documents: Vec<(String, fn() -> Documented)>,
}

impl Routes {
    pub fn new() -> Self {
        Routes::default()
    }

    /// Handlers of one path, from [`handlers!`]. Routing one path again
    /// adds its other methods.
    pub fn routes(mut self, handlers: Handlers) -> Self {
        self.router = self.router.route(&handlers.path, handlers.methods);
        self.documents.push((handlers.path, handlers.document));
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.documents.extend(other.documents);
        self
    }

    pub fn served(&self) -> Vec<Route> {
        operations(&self.document())
    }

    /// The router alone, as the Lambda serves it.
    pub fn into_router(self) -> Router<AppState> {
        self.router
    }

    /// The OpenAPI operations and schemas of every handler.
    ///
    /// # Panics
    /// When a group of handlers documents a path other than the one it is
    /// served at (handlers of two paths in one `handlers!`): every test of
    /// the document finds it.
    pub fn document(&self) -> OpenApi {
        let mut spec = OpenApi::default();
        let components = spec.components.get_or_insert_with(Default::default);
        for (served_at, document) in &self.documents {
            let (schemas, paths) = document();
            for (path, item) in paths.paths {
                assert_eq!(
                    &path, served_at,
                    "one handlers! call groups the handlers of one path"
                );
                match spec.paths.paths.get_mut(&path) {
                    Some(known) => known.merge_operations(item),
                    None => {
                        spec.paths.paths.insert(path, item);
                    }
                }
            }
            components.schemas.extend(schemas);
        }
        spec
    }
}

/// Every operation of a document, in its order.
pub fn operations(spec: &OpenApi) -> Vec<Route> {
    spec.paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("DELETE", &item.delete),
            ]
            .into_iter()
            .filter(|(_, operation)| operation.is_some())
            .map(|(method, _)| Route {
                method,
                path: path.clone(),
            })
        })
        .collect()
}

/// The routes served without a token (template.yaml: `Authorizer: NONE`).
pub fn public_routes() -> Vec<Route> {
    public().served()
}

/// Every route, public ones included, in declaration order.
pub fn all_routes() -> Vec<Route> {
    let mut all = public_routes();
    all.extend(authenticated().served());
    all
}

/// Every route served without a token.
fn public() -> Routes {
    Routes::new()
        .merge(users::public_router())
        .merge(certificates::public_router())
        .merge(crate::openapi::router())
}

/// The API's whole document: every route's operation and schemas.
pub fn spec() -> OpenApi {
    let public = public().document();
    let mut private = authenticated().document();
    crate::openapi::document_idempotency_keys(&mut private);
    let mut spec = crate::openapi::document();
    spec.merge(public);
    spec.merge(private);
    crate::openapi::name_operations(&mut spec);
    spec
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
        .merge(stats::router())
        .merge(answers::router())
        .merge(certificates::router())
        .merge(exports::router())
        .merge(journal::router())
        .merge(privacy::router())
}

/// The API as served: the router behind a trailing-slash trim, so
/// `/vehicles/` is `/vehicles` (the trim happens before routing, which a
/// router's own layers cannot do).
pub fn service(state: AppState, token_check: Option<TokenCheck>) -> NormalizePath<Router> {
    NormalizePathLayer::trim_trailing_slash().layer(router(state, token_check))
}

/// The API's router. `token_check` is for servers without API Gateway in
/// front; behind it (the Lambda) and in tests, claims arrive in the
/// request's extensions already.
pub fn router(state: AppState, token_check: Option<TokenCheck>) -> Router {
    let mut private = authenticated().into_router();
    let public = public().into_router();
    private = private.route_layer(middleware::from_fn_with_state(
        state.clone(),
        crate::idempotency::once_per_key,
    ));
    if let Some(check) = token_check {
        private = private.route_layer(middleware::from_fn_with_state(check, require_token));
    }
    let request_id = HeaderName::from_static(REQUEST_ID);
    Router::new()
        .merge(public)
        .merge(private)
        .fallback(|| async { ApiError::NotFound(Resource::Route) })
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
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static(crate::idempotency::IDEMPOTENCY_KEY),
        ])
        .expose_headers([
            HeaderName::from_static(REQUEST_ID),
            header::CONTENT_DISPOSITION,
            HeaderName::from_static(crate::idempotency::REPLAYED),
            HeaderName::from_static(crate::idempotency::BODY_NOT_KEPT),
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
