//! Export jobs through the API: scope, validation, queueing, status, and
//! the download link once the worker is done.

use super::*;
use async_trait::async_trait;
use designa::app::exports::{load_job, save_job, ExportStatus};
use designa::ports::{PortError, Queue, QueueMessage};
use std::sync::Arc;

/// The world, its export queue replaced by one the test reads.
async fn world_with_queue() -> (TestApi, Arc<MemoryQueue>, Ids, Ids) {
    let (mut api, north, south, _) = world().await;
    let queue = Arc::new(MemoryQueue::default());
    api.export_queue = JobQueue::new(queue.clone(), "memory://export-queue");
    (api, queue, north, south)
}

/// One message for the worker, naming job `id` and nothing else.
fn assert_one_message_naming_the_job(queue: &MemoryQueue, id: &str) {
    let sent = queue.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "memory://export-queue");
    assert_eq!(
        serde_json::from_str::<Value>(&sent[0].1.body).unwrap(),
        json!({ "tenant_id": "acme", "export_id": id })
    );
}

/// The North manager's export `id` is listed to its requester and the tenant
/// admins; another designator of the same entity does not see it.
async fn assert_only_the_requester_and_admins_see_it(
    api: &TestApi,
    id: &str,
    north: &Ids,
    south: &Ids,
) {
    let mine = call(api, NORTH_MANAGER, "GET", "/exports", Value::Null).await;
    let listed = mine.body_json();
    let ids: Vec<&str> = listed["exports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["export_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id], "not the admin's exports");
    assert!(!ids.contains(&south.export.as_str()));
    let all = call(api, ADMIN, "GET", "/exports", Value::Null).await;
    assert_eq!(all.body_json()["exports"].as_array().unwrap().len(), 3);
    add_user(
        api,
        "acme",
        "other",
        vec![grant(Role::Designation, &[&north.entity])],
    )
    .await;
    let other = call(
        api,
        ("acme", "other"),
        "GET",
        &format!("/exports/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(other.status, 404);
}

/// The worker's end of job `id`: done now, two rows, a file, seven days.
/// Returns when it finished.
async fn finish_as_the_worker_would(api: &TestApi, id: &str) -> chrono::DateTime<Utc> {
    let (mut done, version) = load_job(&api.storage, &"acme".into(), id)
        .await
        .unwrap()
        .unwrap();
    let now = api.clock.now();
    done.status = ExportStatus::Done;
    done.rows_total = 2;
    done.rows_done = 2;
    done.file_key = Some(format!("exports/acme/{id}.xlsx"));
    done.finished_at = Some(now);
    done.expires_at = Some(now + chrono::Duration::days(7));
    save_job(&api.storage, &"acme".into(), &done, Some(version))
        .await
        .unwrap();
    now
}

#[tokio::test]
async fn an_export_is_queued_in_the_callers_scope_and_links_its_file_once_done() {
    let (api, queue, north, south) = world_with_queue().await;
    let asked = call(&api, NORTH_MANAGER, "POST", "/exports", Value::Null).await;
    assert_eq!(asked.status, 202, "{:?}", asked.body_json());
    let job = asked.body_json();
    assert_eq!(job["status"], "queued");
    assert_eq!(job["progress"], 0);
    assert_eq!(job["format"], "xlsx");
    assert_eq!(job["period_from"], "2025-11-20T09:00:00Z");
    assert_eq!(job["period_to"], "2026-11-20T09:00:00Z");
    assert!(job["download_url"].is_null());
    let id = job["export_id"].as_str().unwrap().to_string();
    assert_one_message_naming_the_job(&queue, &id);
    // The whole-tenant request of an entity-scoped user is its entities.
    let (stored, _) = load_job(&api.storage, &"acme".into(), &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.scope,
        Scope::Entities([EntityId(north.entity.clone())].into())
    );
    let entries = designa::app::journal::entries(&api.storage, &"acme".into())
        .await
        .unwrap();
    assert!(entries
        .iter()
        .any(|e| e.action == "create" && e.target == format!("export:{id}")));

    assert_only_the_requester_and_admins_see_it(&api, &id, &north, &south).await;

    let now = finish_as_the_worker_would(&api, &id).await;
    let got = call(
        &api,
        NORTH_MANAGER,
        "GET",
        &format!("/exports/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body_json()["progress"], 100);
    // Saved as designa-avis-<day asked>.xlsx.
    let url = got.body_json()["download_url"]
        .as_str()
        .unwrap()
        .to_string();
    let (file, saved_as) = url.split_once("?download=designa-avis-").unwrap();
    assert_eq!(file, format!("memory://exchange/exports/acme/{id}.xlsx"));
    assert!(saved_as.ends_with(".xlsx&expires=3600"), "{url}");
    // A user who lost the right to export that entity gets no link.
    add_user(
        &api,
        "acme",
        "north",
        vec![grant(Role::FleetManagement, &[&north.entity])],
    )
    .await;
    let got = call(
        &api,
        NORTH_MANAGER,
        "GET",
        &format!("/exports/{id}"),
        Value::Null,
    )
    .await;
    assert!(got.body_json()["download_url"].is_null());
    // Once the file is gone, no link either.
    api.clock.set(now + chrono::Duration::days(8));
    let got = call(&api, ADMIN, "GET", &format!("/exports/{id}"), Value::Null).await;
    assert_eq!(got.body_json()["status"], "done");
    assert!(got.body_json()["download_url"].is_null());
}

#[tokio::test]
async fn an_out_of_scope_entity_or_a_missing_right_is_refused_and_bad_filters_are_named() {
    let (api, queue, north, south) = world_with_queue().await;
    let refused = call(
        &api,
        NORTH_MANAGER,
        "POST",
        "/exports",
        json!({ "entity_id": south.entity }),
    )
    .await;
    assert_eq!(refused.status, 404, "another entity's id reveals nothing");
    let refused = call(
        &api,
        RIVAL,
        "POST",
        "/exports",
        json!({ "entity_id": north.entity }),
    )
    .await;
    assert_eq!(
        refused.status, 404,
        "another tenant's entity reveals nothing"
    );
    add_user(
        &api,
        "acme",
        "fleet",
        vec![grant(Role::FleetManagement, &[])],
    )
    .await;
    let refused = call(&api, ("acme", "fleet"), "POST", "/exports", Value::Null).await;
    assert_eq!(
        refused.status, 403,
        "fleet management alone does not export notices"
    );
    for (body, field) in [
        (json!({ "format": "pdf" }), "format"),
        (json!({ "status": "CLOSED" }), "status"),
        (json!({ "plate": "!!" }), "plate"),
        (json!({ "plate": "ABCDEFGHIJKLMNOPQRSTUV" }), "plate"),
        (json!({ "columns": ["all"] }), "body"),
    ] {
        let bad = call(&api, ADMIN, "POST", "/exports", body.clone()).await;
        assert_eq!(bad.status, 422, "{body}: {:?}", bad.body_json());
        let named = bad.body_json()["error"]["fields"][0]["field"].clone();
        assert!(
            named.as_str().unwrap().starts_with(field) || field == "body",
            "{body} names {named}"
        );
    }
    assert!(
        queue.sent.lock().unwrap().is_empty(),
        "nothing queued for refused requests"
    );
    let fine = call(&api, NORTH_MANAGER, "POST", "/exports",
        json!({ "entity_id": north.entity, "format": "csv", "status": "OPEN", "plate": "ab 123 cd" })).await;
    assert_eq!(fine.status, 202, "{:?}", fine.body_json());
    assert_eq!(
        fine.body_json()["filters"],
        json!({ "entity_id": north.entity, "status": "OPEN", "plate": "AB123CD" })
    );
    assert_eq!(fine.body_json()["format"], "csv");
}

struct DownQueue;

#[async_trait]
impl Queue for DownQueue {
    async fn send(&self, _: &str, _: &[QueueMessage]) -> Result<(), PortError> {
        Err(PortError::new("sqs:SendMessageBatch", "unavailable"))
    }
}

#[tokio::test]
async fn a_job_that_cannot_be_queued_says_it_failed() {
    let (mut api, ..) = world().await;
    api.export_queue = JobQueue::new(Arc::new(DownQueue), "memory://down");
    let asked = call(&api, ADMIN, "POST", "/exports", Value::Null).await;
    assert_eq!(asked.status, 500);
    let listed = call(&api, ADMIN, "GET", "/exports", Value::Null)
        .await
        .body_json();
    let failed: Vec<&Value> = listed["exports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["message"]
        .as_str()
        .unwrap()
        .contains("pas pu être mis en file"));
}
