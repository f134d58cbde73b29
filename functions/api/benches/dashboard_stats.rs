//! The dashboard's cost against the length of a tenant's history (a bench
//! binary, not a test): 400 notices a month for 12, 24 and 36 months, then
//! `GET /stats` with the in-memory ports. Prints the notices the query reads
//! (what DynamoDB would read and bill: only the last 12 months, through the
//! deadline index) and the time of the whole request. Run with `make bench`.

mod common;

use common::{api_on, as_admin, history, tenant_and_admin, today, TENANT};
use designa::app::stats::first_month;
use designa::memory::MemoryStorage;
use designa::ports::NoticeStore;
use std::sync::Arc;
use std::time::Instant;

const PER_MONTH: usize = 400;

#[tokio::main]
async fn main() {
    println!("dashboard (GET /stats), {PER_MONTH} notices a month:");
    for months in [12, 24, 36] {
        let storage = Arc::new(MemoryStorage::default());
        storage.set_now(common::now());
        history(&storage, PER_MONTH * months as usize, months * 30).await;
        tenant_and_admin(&*storage).await;
        let api = api_on(storage.clone());
        let read = storage
            .tenant_notices_due_from(TENANT, first_month(today()))
            .await
            .unwrap()
            .len();
        let runs = 20;
        let start = Instant::now();
        for _ in 0..runs {
            let reply = api.handle(as_admin("GET", "/stats")).await;
            assert_eq!(reply.status, 200);
        }
        let each = start.elapsed().as_secs_f64() * 1000.0 / runs as f64;
        println!(
            "  {months:>2} months of history ({:>6} notices): {read:>5} notices read, {each:>6.1} ms a request",
            storage.notices().len()
        );
    }
}
