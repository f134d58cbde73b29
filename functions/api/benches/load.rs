//! The API under load (a bench binary, not a test): the router the Lambda
//! runs, served by `axum::serve` on loopback over the in-memory ports
//! (sealed as in production), hit by 50 keep-alive connections at once.
//! Prints, for `GET /notices`, `GET /notices/{n}` and `PUT
//! /notices/{n}/answer`, the requests per second, p50, p99 and the worst
//! latency, and every status seen; then 50 answers to one notice at the same
//! moment. Fails on any 5xx, and unless exactly one of the 50 is accepted.
//! Run with `make bench`.
//!
//! In production API Gateway verifies the token before the Lambda runs; here
//! a bearer naming the admin stands for it. The lists are bounded by the
//! in-memory table, which scans every notice under one lock for each Query
//! (DynamoDB reads only the range): their items read are `list_pages`'s.

mod common;

use axum::extract::Request;
use axum::ServiceExt;
use common::{api_on, history, tenant_and_admin, TENANT};
use designa::memory::MemoryStorage;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

const CONNECTIONS: usize = 50;
const NOTICES: usize = 20_000;
const READS: usize = 2_000;
/// A year of history: every notice is within its retention period (the
/// in-memory table keeps expired items, which DynamoDB's TTL deletes).
const DAYS: u64 = 365;

/// One request the load sends.
#[derive(Clone)]
struct Send {
    method: &'static str,
    path: String,
    body: Option<Value>,
}

/// What one phase measured.
struct Phase {
    latencies: Vec<Duration>,
    statuses: BTreeMap<u16, usize>,
    /// The first body answered with each status of 400 and above.
    first_error: BTreeMap<u16, String>,
    elapsed: Duration,
}

impl Phase {
    fn percentile(&self, p: f64) -> Duration {
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i]
    }

    fn server_errors(&self) -> usize {
        self.statuses
            .iter()
            .filter(|(s, _)| **s >= 500)
            .map(|(_, n)| n)
            .sum()
    }

    fn print(&self, what: &str) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let rate = self.latencies.len() as f64 / self.elapsed.as_secs_f64();
        let statuses: Vec<String> = self
            .statuses
            .iter()
            .map(|(s, n)| format!("{s}×{n}"))
            .collect();
        println!(
            "  {what:<26} {:>6} requests {rate:>7.0}/s   p50 {:>6.2} ms   p99 {:>6.2} ms   max {:>7.2} ms   {}",
            self.latencies.len(),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.99)),
            ms(*self.latencies.last().unwrap()),
            statuses.join(" ")
        );
        for (status, body) in &self.first_error {
            let body: String = body.chars().take(240).collect();
            println!("      first {status}: {body}");
        }
    }
}

/// A name of letters only for `i` (names have no digits): "Fictif-ba".
fn name(mut i: usize) -> String {
    let mut letters = String::new();
    loop {
        letters.push((b'a' + (i % 26) as u8) as char);
        i /= 26;
        if i == 0 {
            return format!("Fictif-{letters}");
        }
    }
}

/// A typed-in driver for notice `i`.
fn designation(i: usize) -> Value {
    json!({ "designation": { "driver": {
        "last_name": name(i), "first_name": "Dominique",
        "address": { "line1": "4 allée de l'Essai", "line2": null, "postcode": "59000",
            "city": "Lille", "country": "FRA" },
        "personal_email": null, "professional_email": "dominique.fictif@example.com" } } })
}

/// The API on a free loopback port; a bearer `admin` is the tenant's admin.
async fn serve(storage: Arc<MemoryStorage>) -> SocketAddr {
    let check: api::router::TokenCheck = Arc::new(|authorization| {
        (authorization == Some("Bearer admin")).then(|| {
            let claims = json!({ "sub": "admin", "custom:tenant_id": TENANT });
            claims.as_object().unwrap().clone()
        })
    });
    let service = api::service(api_on(storage), Some(check));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, ServiceExt::<Request>::into_make_service(service))
            .await
            .unwrap()
    });
    address
}

type Connection = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(address: SocketAddr) -> Connection {
    let stream = TcpStream::connect(address).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    sender
}

/// Sends one request and reads the whole answer: its status and body.
async fn exchange(connection: &mut Connection, send: &Send) -> (u16, Bytes) {
    let body = send
        .body
        .as_ref()
        .map(|b| b.to_string())
        .unwrap_or_default();
    let request = hyper::Request::builder()
        .method(send.method)
        .uri(&send.path)
        .header("host", "127.0.0.1")
        .header("authorization", "Bearer admin")
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    connection.ready().await.unwrap();
    let response = connection.send_request(request).await.unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, body)
}

/// Sends every request of `sends` over `connections` connections at once.
async fn run(address: SocketAddr, connections: usize, sends: Vec<Send>) -> Phase {
    let sends = Arc::new(sends);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (sends, next) = (sends.clone(), next.clone());
            tokio::spawn(async move {
                let mut connection = connect(address).await;
                let mut seen = Vec::new();
                loop {
                    let Some(send) = sends.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        return seen;
                    };
                    let sent = Instant::now();
                    let (status, body) = exchange(&mut connection, send).await;
                    let body = (status >= 400).then(|| String::from_utf8_lossy(&body).into_owned());
                    seen.push((sent.elapsed(), status, body));
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut statuses = BTreeMap::new();
    let mut first_error = BTreeMap::new();
    for worker in workers {
        for (latency, status, body) in worker.await.unwrap() {
            latencies.push(latency);
            *statuses.entry(status).or_insert(0) += 1;
            if let Some(body) = body {
                first_error.entry(status).or_insert(body);
            }
        }
    }
    latencies.sort();
    let elapsed = started.elapsed();
    Phase {
        latencies,
        statuses,
        first_error,
        elapsed,
    }
}

fn get(path: String) -> Send {
    Send {
        method: "GET",
        path,
        body: None,
    }
}

/// The numbers of the notices still open: `history` issues notice `i`
/// `i × DAYS / NOTICES` days ago, and `common::notice` leaves those of the
/// last 45 days open.
fn open_numbers() -> Vec<String> {
    (0..NOTICES)
        .filter(|i| (*i as u64 * DAYS) / (NOTICES as u64) <= 44)
        .map(|i| format!("B{i:09}"))
        .collect()
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let storage = Arc::new(MemoryStorage::default());
    storage.set_now(common::now());
    history(&storage, NOTICES, DAYS).await;
    tenant_and_admin(&*storage).await;
    let address = serve(storage.clone()).await;
    let open = open_numbers();
    let (contested, answered) = open.split_first().unwrap();

    let list = |path: &str| (0..READS).map(|_| get(path.into())).collect::<Vec<_>>();
    let details = (0..READS)
        .map(|i| get(format!("/notices/B{:09}", (i * 7919) % NOTICES)))
        .collect();
    let answers = answered
        .iter()
        .enumerate()
        .map(|(i, number)| Send {
            method: "PUT",
            path: format!("/notices/{number}/answer"),
            body: Some(designation(i)),
        })
        .collect();
    let race = (0..CONNECTIONS)
        .map(|i| Send {
            method: "PUT",
            path: format!("/notices/{contested}/answer"),
            body: Some(designation(i)),
        })
        .collect();

    println!(
        "the API under load: {CONNECTIONS} connections on loopback, a tenant of {NOTICES} notices ({} open), in-memory ports:",
        open.len()
    );
    let mut server_errors = 0;
    for (what, sends) in [
        ("GET /notices", list("/notices?limit=50")),
        (
            "GET /notices?status=OPEN",
            list("/notices?limit=50&status=OPEN"),
        ),
        (
            "GET /notices?status&search",
            list("/notices?limit=50&status=OPEN&search=AA-001-AA"),
        ),
        ("GET /notices/{n}", details),
        ("PUT /notices/{n}/answer", answers),
    ] {
        let phase = run(address, CONNECTIONS, sends).await;
        phase.print(what);
        server_errors += phase.server_errors();
    }
    let race = run(address, CONNECTIONS, race).await;
    race.print("50 answers to one notice");
    let accepted = race.statuses.get(&200).copied().unwrap_or(0);
    let refused = race.statuses.get(&409).copied().unwrap_or(0);
    println!("  of the 50 answers to one notice: {accepted} accepted, {refused} refused with 409");
    assert_eq!(server_errors + race.server_errors(), 0, "no 5xx under load");
    assert_eq!(
        (accepted, refused),
        (1, CONNECTIONS - 1),
        "exactly one answer wins"
    );
}
