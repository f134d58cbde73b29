//! Cold starts measured as Lambda sees them: a function's release binary is
//! spawned against a minimal Lambda Runtime API on loopback (the contract
//! `lambda_runtime` speaks: `GET /2018-06-01/runtime/invocation/next`, then
//! `POST …/invocation/{id}/response` or `…/error`). Init is spawn → first
//! `next`; the first invocation is the event handed out → its answer.

use anyhow::{bail, Context, Result};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What the runtime API heard from the function, and when.
#[derive(Debug)]
enum Heard {
    Next,
    Response,
    Error(String),
    InitError(String),
}

#[derive(Clone)]
struct Probe {
    event: Bytes,
    handed_out: Arc<AtomicBool>,
    heard: mpsc::UnboundedSender<(Instant, Heard)>,
}

/// One cold start: init and first invocation, and how the invocation ended.
#[derive(Debug, Clone)]
pub struct ColdStart {
    pub init: Duration,
    pub first_invocation: Duration,
    /// `None` when the function answered; its error type otherwise.
    pub error: Option<String>,
}

/// What to start: the binary, its environment and the event it is handed.
pub struct Subject<'a> {
    pub binary: &'a Path,
    pub env: &'a BTreeMap<String, String>,
    pub memory_mb: u32,
    pub event: Bytes,
}

const REQUEST_ID: &str = "cold-start-bench-0001";

async fn next(State(probe): State<Probe>) -> (HeaderMap, Bytes) {
    if probe.handed_out.swap(true, Ordering::SeqCst) {
        // One invocation per process: the next poll waits until it is killed.
        std::future::pending::<()>().await;
    }
    let _ = probe.heard.send((Instant::now(), Heard::Next));
    let deadline = std::time::SystemTime::now() + Duration::from_secs(60);
    let deadline_ms = deadline
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    let mut headers = HeaderMap::new();
    let header = |value: String| HeaderValue::from_str(&value).expect("an ASCII header");
    headers.insert("lambda-runtime-aws-request-id", header(REQUEST_ID.into()));
    headers.insert(
        "lambda-runtime-deadline-ms",
        header(deadline_ms.to_string()),
    );
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        header("arn:aws:lambda:eu-west-3:000000000000:function:bench".into()),
    );
    headers.insert("lambda-runtime-trace-id", header("Root=1-bench".into()));
    headers.insert("content-type", header("application/json".into()));
    (headers, probe.event.clone())
}

fn heard(probe: &Probe, what: Heard) -> StatusCode {
    let _ = probe.heard.send((Instant::now(), what));
    StatusCode::ACCEPTED
}

/// The error type a function reported (`errorType` of its JSON body).
fn error_type(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("errorType")?.as_str().map(str::to_string))
        .unwrap_or_else(|| String::from_utf8_lossy(body).chars().take(80).collect())
}

fn runtime_api(probe: Probe) -> Router {
    Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(|State(p): State<Probe>| async move { heard(&p, Heard::Response) }),
        )
        .route(
            "/2018-06-01/runtime/invocation/{id}/error",
            post(|State(p): State<Probe>, body: Bytes| async move {
                heard(&p, Heard::Error(error_type(&body)))
            }),
        )
        .route(
            "/2018-06-01/runtime/init/error",
            post(|State(p): State<Probe>, body: Bytes| async move {
                heard(&p, Heard::InitError(error_type(&body)))
            }),
        )
        .with_state(probe)
}

/// Starts `subject` once under a fresh runtime API and measures it.
pub async fn measure(subject: &Subject<'_>) -> Result<ColdStart> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let probe = Probe {
        event: subject.event.clone(),
        handed_out: Arc::new(AtomicBool::new(false)),
        heard: tx,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(std::future::IntoFuture::into_future(axum::serve(
        listener,
        runtime_api(probe),
    )));
    let spawned = Instant::now();
    let mut child = tokio::process::Command::new(subject.binary)
        .env_clear()
        .envs(subject.env)
        .envs(lambda_env(&address.to_string(), subject.memory_mb))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", subject.binary.display()))?;
    let result = async {
        let (at_next, first) = wait(&mut rx, "its first `next`").await?;
        match first {
            Heard::Next => {}
            Heard::InitError(e) => bail!("init failed: {e}"),
            other => bail!("answered before asking for an event: {other:?}"),
        }
        let (at_answer, answer) = wait(&mut rx, "its answer").await?;
        Ok(ColdStart {
            init: at_next - spawned,
            first_invocation: at_answer - at_next,
            error: match answer {
                Heard::Response => None,
                Heard::Error(e) | Heard::InitError(e) => Some(e),
                Heard::Next => Some("polled again without answering".into()),
            },
        })
    }
    .await;
    let _ = child.kill().await;
    server.abort();
    result.with_context(|| subject.binary.display().to_string())
}

async fn wait(
    rx: &mut mpsc::UnboundedReceiver<(Instant, Heard)>,
    what: &str,
) -> Result<(Instant, Heard)> {
    match tokio::time::timeout(Duration::from_secs(30), rx.recv()).await {
        Ok(Some(heard)) => Ok(heard),
        _ => bail!("no {what} within 30 s"),
    }
}

/// What Lambda sets for every runtime.
fn lambda_env(runtime_api: &str, memory_mb: u32) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_LAMBDA_RUNTIME_API", runtime_api.to_string()),
        ("AWS_LAMBDA_FUNCTION_NAME", "bench".into()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", memory_mb.to_string()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench".into()),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "bench".into()),
        ("PATH", "/usr/bin:/bin".into()),
    ]
}

/// The median of `values` (the upper one of an even count).
pub fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// What the cold starts need of `.local/stack.json` (written by
/// `infra/local_stack.py create` from template.yaml).
#[derive(Debug, serde::Deserialize)]
pub struct LocalStack {
    pub endpoint: String,
    pub region: String,
    /// Each function's resolved environment, by logical id.
    pub functions: BTreeMap<String, BTreeMap<String, String>>,
    /// Each function's package and memory size, by logical id.
    pub function_code: BTreeMap<String, FunctionCode>,
}

#[derive(Debug, serde::Deserialize)]
pub struct FunctionCode {
    /// The crate under `functions/`, also its binary's name.
    pub package: String,
    /// MB, as Lambda tells the runtime.
    pub memory: u32,
}

impl LocalStack {
    pub fn load() -> Result<LocalStack> {
        let path = repo_root().join(".local/stack.json");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{} is missing: run `make local-stack` first",
                path.display()
            )
        })?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a stack description", path.display()))
    }
}

/// The repository root (this crate lives in `infra/cold-starts`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}
