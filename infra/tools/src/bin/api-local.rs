//! The API on http://127.0.0.1:3000 against the local emulator: the same
//! handler the Lambda runs, behind a token check identical to API Gateway's
//! JWT authorizer (keys from the emulator's Cognito). `make api` starts it.
//!
//!     cargo run -p designa-tools --bin api-local [-- --port 3000]

use anyhow::{Context, Result};
use api::http::ApiRequest;
use api::AwsApi;
use designa_tools::jwt::JwtVerifier;
use designa_tools::stack::LocalStack;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use std::time::Instant;

/// API Gateway's payload limit.
const MAX_BODY: usize = 10 * 1024 * 1024;

struct Server {
    api: AwsApi,
    verifier: JwtVerifier,
}

fn json_response(status: u16, body: serde_json::Value) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("valid response")
}

async fn serve(server: Arc<Server>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let route = api::routes::find(&method, &path).map_or("unmatched", |(template, _)| template);
    let query: Vec<(String, String)> = request
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                urlencoding::decode(&s.replace('+', " "))
                    .map(|d| d.into_owned())
                    .unwrap_or_else(|_| s.to_string())
            };
            (decode(k), decode(v))
        })
        .collect();
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (authorization, content_type) = (header("authorization"), header("content-type"));
    let claims = if api::routes::is_public(&method, &path) {
        None
    } else {
        match server.verifier.verify(authorization.as_deref()) {
            Ok(claims) => Some(claims),
            // API Gateway's own answer; the handler is not called.
            Err(_) => {
                return log(
                    &method,
                    route,
                    401,
                    &request_id,
                    started,
                    json_response(401, serde_json::json!({ "message": "Unauthorized" })),
                )
            }
        }
    };
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => {
            let error = serde_json::json!({ "error": { "code": "too_large", "message": format!("request body too large: {MAX_BODY} bytes at most") } });
            return log(
                &method,
                route,
                413,
                &request_id,
                started,
                json_response(413, error),
            );
        }
    };
    let response = server
        .api
        .handle(ApiRequest {
            method: method.clone(),
            path,
            query,
            content_type,
            body,
            claims,
            request_id: request_id.clone(),
        })
        .await;
    let mut builder = Response::builder()
        .status(response.status)
        .header("content-type", response.content_type)
        .header("x-request-id", &request_id);
    for (name, value) in &response.headers {
        builder = builder.header(*name, value);
    }
    let status = response.status;
    let http = builder
        .body(Full::new(Bytes::from(response.body)))
        .expect("valid response");
    log(&method, route, status, &request_id, started, http)
}

/// One JSON line per request: never the token, the path's ids or the body
/// (the route is the matched template, e.g. `/vehicles/{vehicleId}`).
fn log(
    method: &str,
    route: &str,
    status: u16,
    request_id: &str,
    started: Instant,
    response: Response<Full<Bytes>>,
) -> Response<Full<Bytes>> {
    println!(
        "{}",
        serde_json::json!({ "request_id": request_id, "method": method, "route": route, "status": status,
                            "duration_ms": started.elapsed().as_millis() as u64 })
    );
    response
}

/// The routes template.yaml serves without a token must be exactly those the
/// API treats as public, or this server would not behave as deployed.
fn check_public_routes(stack: &LocalStack) -> Result<()> {
    let mut in_template: Vec<(String, String)> = stack.public_routes.clone();
    let mut in_code: Vec<(String, String)> = api::routes::PUBLIC
        .iter()
        .map(|(m, t)| (m.to_uppercase(), t.to_string()))
        .collect();
    in_template.sort();
    in_code.sort();
    if in_template != in_code {
        anyhow::bail!(
            "template.yaml's public routes {in_template:?} differ from api::routes::PUBLIC {in_code:?}"
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flags = designa_tools::cli::parse_flags(&args, "usage: api-local [--port 3000]")?;
    let port: u16 = flags
        .get("port")
        .map(|p| p.parse())
        .transpose()
        .context("--port takes a number")?
        .unwrap_or(3000);
    let stack = LocalStack::load()?;
    check_public_routes(&stack)?;
    stack.apply_env("ApiFunction")?;
    let aws = designa::aws::AwsClients::from_env().await;
    designa_tools::demo_admin::seed(&stack, &aws).await?;
    let verifier = JwtVerifier::from_stack(&stack).await?;
    let mut api = AwsApi::from_env().await.map_err(anyhow::Error::msg)?;
    // moto is not safe with concurrent DynamoDB transactions.
    api.config.imports.write_concurrency = 1;
    let issuer = verifier.issuer.clone();
    let server = Arc::new(Server { api, verifier });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("port {port} is taken"))?;
    println!("designa API on http://127.0.0.1:{port} (tokens checked against {issuer})");
    println!("{}\n", designa_tools::demo_admin::instructions(port));
    loop {
        let (stream, _) = listener.accept().await?;
        let server = server.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let server = server.clone();
                async move { Ok::<_, std::convert::Infallible>(serve(server, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
