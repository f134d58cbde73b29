//! Driving the router as a client would, for tests and benchmarks: a
//! request with the claims an authorizer would have verified, sent with
//! `tower::ServiceExt::oneshot`, and its answer read whole.

use crate::http::Claims;
use crate::AppState;
use axum::body::Body;
use axum::http::Request;
use serde_json::Value;
use tower::ServiceExt;

/// A request as the API receives it behind its authorizer.
#[derive(Debug, Clone, Default)]
pub struct Call {
    pub method: String,
    /// The path, e.g. `/vehicles/v-1` (percent-encoded where it must be).
    pub path: String,
    /// Query parameters, sent URL-encoded.
    pub query: Vec<(String, String)>,
    pub content_type: Option<String>,
    /// Other request headers (`Idempotency-Key`…).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The verified token's claims; `None` for an anonymous caller.
    pub claims: Option<Claims>,
    pub request_id: String,
}

/// The answer, read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn body_json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl AppState {
    /// `send`, as a method.
    pub async fn handle(&self, call: Call) -> Reply {
        send(self, call).await
    }
}

/// Sends one request through the whole router (no token check: the claims
/// stand for the authorizer's).
pub async fn send(state: &AppState, call: Call) -> Reply {
    Client::new(state.clone()).send(call).await
}

/// The router built once, for callers that send many requests (a fuzzer
/// sends millions: building the router is most of a request's cost).
#[derive(Clone)]
pub struct Client {
    service: tower_http::normalize_path::NormalizePath<axum::Router>,
}

impl Client {
    pub fn new(state: AppState) -> Client {
        Client {
            service: crate::service(state, None),
        }
    }

    pub async fn send(&self, call: Call) -> Reply {
        let response = self
            .service
            .clone()
            .oneshot(request_of(call))
            .await
            .expect("the router never fails");
        reply_of(response).await
    }
}

fn request_of(call: Call) -> Request<Body> {
    let uri = if call.query.is_empty() {
        call.path.clone()
    } else {
        let query = serde_urlencoded::to_string(&call.query).expect("pairs encode");
        format!("{}?{query}", call.path)
    };
    let mut request = Request::builder().method(call.method.as_str()).uri(uri);
    if let Some(content_type) = &call.content_type {
        request = request.header("content-type", content_type);
    }
    if !call.request_id.is_empty() {
        request = request.header(crate::extract::REQUEST_ID, &call.request_id);
    }
    for (name, value) in &call.headers {
        request = request.header(name, value);
    }
    let mut request = request
        .body(Body::from(call.body))
        .expect("a valid request");
    if let Some(claims) = call.claims {
        request.extensions_mut().insert(claims);
    }
    request
}

async fn reply_of(response: axum::response::Response) -> Reply {
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("bodies are read whole")
        .to_vec();
    let content_type = headers
        .iter()
        .find(|(n, _)| n == "content-type")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    Reply {
        status,
        content_type,
        headers,
        body,
    }
}
