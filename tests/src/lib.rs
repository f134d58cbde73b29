//! Harness for the integration tests: makes sure the local AWS emulator runs
//! and holds the resources of template.yaml, then hands out clients.
//!
//! If something already listens on the emulator's address (`make test`
//! started it, or LocalStack runs there), it is used as is. Otherwise the
//! harness starts the pinned moto server from `.venv` itself, tied to this
//! test process: the kernel kills it when the process ends, so no stray
//! server is ever left behind.

pub mod world;

use anyhow::{bail, Context, Result};
use designa::aws::AwsClients;
use designa_tools::stack::{repo_root, LocalStack};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:4566";

fn endpoint() -> String {
    std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| DEFAULT_ENDPOINT.to_string())
}

fn socket_of(endpoint: &str) -> Result<SocketAddr> {
    let host_port = endpoint
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .trim_end_matches('/');
    host_port
        .to_socket_addrs()?
        .next()
        .with_context(|| format!("cannot resolve {endpoint}"))
}

fn listening(addr: &SocketAddr) -> bool {
    TcpStream::connect_timeout(addr, Duration::from_millis(200)).is_ok()
}

/// Starts moto in a thread that lives as long as the process: the child is
/// killed when its parent thread ends (PR_SET_PDEATHSIG), so that thread must outlive every test.
fn spawn_moto(addr: SocketAddr) -> Result<()> {
    let root = repo_root();
    let moto = root.join(".venv/bin/moto_server");
    if !moto.exists() {
        bail!(
            "{} is missing: run `make venv` (or `make test`, which does it)",
            moto.display()
        );
    }
    std::fs::create_dir_all(root.join(".local"))?;
    let log = std::fs::File::create(root.join(".local/moto-tests.log"))?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("moto-server".into())
        .spawn(move || {
            let mut command = Command::new(moto);
            // Tests capture sent e-mails through moto's request recorder.
            command.env(
                "MOTO_RECORDER_FILEPATH",
                repo_root().join(".local/moto-recording.jsonl"),
            );
            command
                .args(["-H", &addr.ip().to_string(), "-p", &addr.port().to_string()])
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log file"))
                .stderr(log);
            // Safety: prctl is async-signal-safe; it only sets this child's death signal.
            unsafe {
                use std::os::unix::process::CommandExt;
                command.pre_exec(|| {
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            match command.spawn() {
                Ok(mut child) => {
                    let _ = tx.send(Ok(()));
                    let _ = child.wait();
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                }
            }
        })?;
    rx.recv()?.context("starting moto_server")?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !listening(&addr) {
        if Instant::now() > deadline {
            let log =
                std::fs::read_to_string(root.join(".local/moto-tests.log")).unwrap_or_default();
            bail!("moto_server did not answer on {addr} within 30 s; its log:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

fn create_resources(endpoint: &str) -> Result<()> {
    let root = repo_root();
    let status = Command::new(root.join(".venv/bin/python"))
        .arg(root.join("infra/local_stack.py"))
        .arg("create")
        .env("AWS_ENDPOINT_URL", endpoint)
        .stdout(Stdio::null())
        .status()
        .context("running infra/local_stack.py create")?;
    if !status.success() {
        bail!("infra/local_stack.py create failed ({status})");
    }
    Ok(())
}

fn start() -> Result<LocalStack> {
    let endpoint = endpoint();
    let addr = socket_of(&endpoint)?;
    if !listening(&addr) {
        spawn_moto(addr)?;
    }
    create_resources(&endpoint)?;
    let stack = LocalStack::load()?;
    stack.apply_env("IngestFunction")?;
    Ok(stack)
}

/// The local stack, started once per test process.
pub fn local_stack() -> &'static LocalStack {
    static STACK: OnceLock<LocalStack> = OnceLock::new();
    STACK
        .get_or_init(|| start().unwrap_or_else(|e| panic!("local AWS emulator unavailable: {e:#}")))
}

/// Clients pointed at the local stack.
pub async fn clients() -> AwsClients {
    local_stack();
    AwsClients::from_env().await
}

/// Integration tests share the bucket and the queues: one at a time.
pub async fn exclusive() -> tokio::sync::MutexGuard<'static, ()> {
    static LOCK: OnceLock<tokio::sync::Mutex<()>> = OnceLock::new();
    LOCK.get_or_init(|| tokio::sync::Mutex::new(()))
        .lock()
        .await
}

/// One plain HTTP/1.0 request to the emulator (moto's own API); the body of the answer.
pub async fn emulator_http(method: &str, path: &str) -> Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let endpoint = endpoint();
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = tokio::net::TcpStream::connect(host).await?;
    stream
        .write_all(
            format!("{method} {path} HTTP/1.0\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n")
                .as_bytes(),
        )
        .await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    anyhow::ensure!(head.contains(" 200"), "{method} {path}: {head}");
    Ok(body.to_string())
}

/// The SES requests of `action` (`SendEmail`, `SendTemplatedEmail`) made
/// while moto's request recorder ran, each as its decoded form fields (the
/// emulator keeps no mailbox).
pub async fn recorded_ses_requests(action: &str) -> Vec<std::collections::HashMap<String, String>> {
    let recording = emulator_http("GET", "/moto-api/recorder/download-recording")
        .await
        .unwrap();
    recording
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|entry| {
            let body = entry["body"].as_str()?.to_string();
            let body = if entry["body_encoded"] == true {
                use base64::Engine;
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(body)
                        .ok()?,
                )
                .ok()?
            } else {
                body
            };
            let form: std::collections::HashMap<String, String> = body
                .split('&')
                .filter_map(|pair| {
                    let (k, v) = pair.split_once('=')?;
                    Some((
                        k.to_string(),
                        urlencoding::decode(&v.replace('+', " ")).ok()?.into_owned(),
                    ))
                })
                .collect();
            (form.get("Action").map(String::as_str) == Some(action)).then_some(form)
        })
        .collect()
}
