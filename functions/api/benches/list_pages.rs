//! What a page of a list costs against the tenant's size (a bench binary,
//! not a test): 1,000 then 100,000 notices, and as many journal entries,
//! with the in-memory ports, which read as DynamoDB's Query does (`Limit`
//! items in key order, then the filter). Prints, for a page of notices
//! (every status, one status, a plate search) and a page of the journal,
//! the table requests and the items read (what DynamoDB bills), and the
//! ratio between the two sizes. Run with `make bench`.

mod common;

use common::{api_on, as_admin, history, tenant_and_admin, TENANT};
use designa::memory::MemoryStorage;
use std::sync::Arc;

const PAGES: [(&str, &str); 4] = [
    ("notices, every status", "/notices?limit=50"),
    ("notices, open ones", "/notices?limit=50&status=OPEN"),
    (
        "notices, a plate",
        "/notices?limit=50&status=OPEN&search=AA-001-AA",
    ),
    ("journal", "/journal?limit=100"),
];

/// The tenant with `size` notices over two years and `size` journal entries.
async fn tenant_of(size: usize) -> (Arc<MemoryStorage>, api::AppState) {
    let storage = Arc::new(MemoryStorage::default());
    storage.set_now(common::now());
    history(&storage, size, 730).await;
    tenant_and_admin(&*storage).await;
    for i in 0..size {
        designa::app::journal::append(
            &*storage,
            &TENANT.into(),
            common::now(),
            "admin",
            "read",
            format!("notice:B{i:09}:suggestions"),
            "bench",
        )
        .await
        .unwrap();
    }
    let api = api_on(storage.clone());
    (storage, api)
}

/// Requests and items read by one page.
async fn cost(storage: &MemoryStorage, api: &api::AppState, path: &str) -> (usize, usize) {
    let (requests, items) = (storage.requests(), storage.items_read());
    let (path, query) = path.split_once('?').unwrap();
    let mut call = as_admin("GET", path);
    call.query = serde_urlencoded::from_str(query).unwrap();
    let reply = api.handle(call).await;
    assert_eq!(reply.status, 200, "{path}");
    (storage.requests() - requests, storage.items_read() - items)
}

#[tokio::main]
async fn main() {
    let mut figures = Vec::new();
    for size in [1_000, 100_000] {
        let (storage, api) = tenant_of(size).await;
        let mut row = Vec::new();
        for (_, path) in PAGES {
            row.push(cost(&storage, &api, path).await);
        }
        figures.push((size, row));
    }
    println!("a page of a list, by tenant size (table requests / items read):");
    for (i, (what, _)) in PAGES.iter().enumerate() {
        let line: Vec<String> = figures
            .iter()
            .map(|(size, row)| format!("{size:>7} notices: {:>2} / {:>4}", row[i].0, row[i].1))
            .collect();
        let ratio = figures[1].1[i].1 as f64 / figures[0].1[i].1.max(1) as f64;
        println!("  {what:<22} {}   ratio {ratio:.2}", line.join("   "));
    }
}
