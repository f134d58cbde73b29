//! A test world on the local stack: clients, resource names, a fresh tenant,
//! and helpers to seed a fleet, drop files, run the ingest as Lambda would
//! and look at what landed.

use crate::{clients, local_stack};
use aws_lambda_events::event::sqs::SqsEvent;
use aws_sdk_s3::primitives::ByteStream;
use chrono::{Days, Utc};
use designa::aws::{
    AwsClients, CognitoIdentity, KmsKeyVault, S3BlobStore, SealedDynamoStorage, SesMailer, SqsQueue,
};
use designa::domain::time::paris_date;
use designa::domain::HoldingConflict;
use designa::ports::{FleetStore, SystemClock, TenantStore};
use designa::privacy::sealing::Sealing;
use designa::store::Vehicle;
use designa_tools::runner::{drain_queue, DrainStats};
use designa_tools::simulator::{synthetic_fleet, NoticeBatch, SimulatedVehicle};
use ingest::{Config, Ingest};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Everything a test needs; each world has its own tenant.
/// The web app's address in invitation links, and the sender of e-mails, in tests.
pub const APP_URL: &str = "https://app.designa.example";
pub const SENDER: &str = "no-reply@designa.example";

/// The API on this stack's adapters, as its Lambda builds it.
pub type TestApi = api::AppState;

/// Creates an internal entity through the API as `claims`' user; its id.
pub async fn create_entity(
    api: &TestApi,
    claims: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> String {
    let entity = call(
        api,
        claims,
        "POST",
        "/entities",
        serde_json::json!({ "kind": "internal", "name": name }),
    )
    .await;
    assert_eq!(entity.status, 201, "{:?}", entity.body_json());
    entity.body_json()["entity_id"]
        .as_str()
        .expect("the new entity's id")
        .to_string()
}

/// One API request as `claims`' user, with a JSON body (`Null`: none).
pub async fn call(
    api: &TestApi,
    claims: &serde_json::Map<String, serde_json::Value>,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> api::testing::Reply {
    api.handle(api::testing::Call {
        method: method.into(),
        path: path.into(),
        content_type: Some("application/json".into()),
        body: if body.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(&body).unwrap()
        },
        claims: Some(claims.clone()),
        request_id: format!("it-{method}-{path}"),
        ..Default::default()
    })
    .await
}

pub struct World {
    pub aws: AwsClients,
    pub bucket: String,
    pub ingest_queue: String,
    pub notifications_queue: String,
    pub dead_letter_queue: String,
    pub config: Config,
    pub tenant: String,
    pub vault: std::sync::Arc<KmsKeyVault>,
}

/// A world with its own tenant; the ingest queue is drained first (S3 sends
/// a test event whenever the bucket's notifications are configured).
pub async fn world() -> World {
    let stack = local_stack();
    let aws = clients().await;
    let world = World {
        bucket: stack.resource("ExchangeBucket").unwrap().into(),
        ingest_queue: stack.resource("IngestQueue").unwrap().into(),
        notifications_queue: stack.resource("NotificationsQueue").unwrap().into(),
        dead_letter_queue: stack.resource("IngestDeadLetterQueue").unwrap().into(),
        config: Config::from_env().unwrap(),
        tenant: format!("t-{}", uuid::Uuid::new_v4().simple()),
        vault: std::sync::Arc::new(
            KmsKeyVault::from_env(&aws).expect("the ingest function's key settings"),
        ),
        aws,
    };
    world.run_ingest().await;
    world
}

impl World {
    pub fn handler(
        &self,
    ) -> Ingest<S3BlobStore, SealedDynamoStorage, SqsQueue, SystemClock, SesMailer> {
        Ingest {
            blobs: S3BlobStore::new(self.aws.s3().clone()),
            storage: self.storage(),
            queue: SqsQueue::new(self.aws.sqs().clone()),
            clock: SystemClock,
            mailer: SesMailer::new(
                self.aws.ses().clone(),
                std::env::var("SENDER_ADDRESS").expect("the ingest function's SENDER_ADDRESS"),
            ),
            config: self.config.clone(),
        }
    }

    /// The tenant API on this stack, as its Lambda builds it (write
    /// concurrency 1: moto is not safe with concurrent transactions).
    pub fn api(&self) -> TestApi {
        let stack = local_stack();
        api::AppState::from(api::Api {
            storage: std::sync::Arc::new(self.storage()),
            blobs: std::sync::Arc::new(S3BlobStore::new(self.aws.s3().clone())),
            identity: std::sync::Arc::new(CognitoIdentity::new(
                self.aws.cognito().clone(),
                stack.resource("UserPool").unwrap(),
            )),
            mailer: std::sync::Arc::new(SesMailer::new(self.aws.ses().clone(), SENDER)),
            clock: std::sync::Arc::new(SystemClock),
            signer: std::sync::Arc::new(designa::aws::KmsSigner::new(
                self.aws.kms().clone(),
                stack.resource("CertificateSigningKey").unwrap_or_default(),
            )),
            config: api::Config {
                imports: designa::app::imports::ImportSettings {
                    bucket: self.bucket.clone(),
                    imports_prefix: designa::app::layout::IMPORTS_PREFIX.into(),
                    write_concurrency: 1,
                },
                app_url: APP_URL.into(),
                journal_anchors: stack
                    .resource("JournalAnchorBucket")
                    .unwrap_or_default()
                    .into(),
            },
            // No test here posts exports; a stack described before
            // ExportQueue existed still serves every other route.
            export_queue: api::JobQueue::new(
                std::sync::Arc::new(SqsQueue::new(self.aws.sqs().clone())),
                stack.resource("ExportQueue").unwrap_or_default(),
            ),
        })
    }

    /// The claims API Gateway hands the API for `user_id` of this world's
    /// tenant.
    pub fn claims_of(&self, user_id: &str) -> serde_json::Map<String, serde_json::Value> {
        serde_json::json!({ "sub": user_id, "custom:tenant_id": self.tenant.as_str() })
            .as_object()
            .expect("an object")
            .clone()
    }

    /// Creates this world's tenant with default settings.
    pub async fn create_tenant(&self, name: &str) {
        self.storage()
            .create_tenant(&designa::domain::tenant::Tenant {
                tenant_id: self.tenant.as_str().into(),
                name: name.into(),
                settings: designa::domain::tenant::TenantSettings::default(),
                ended_on: None,
            })
            .await
            .unwrap();
    }

    /// Adds an active designation user over all entities; its e-mail.
    pub async fn add_designation_user(&self, user_id: &str) -> String {
        self.add_user(user_id, designa::domain::access::Role::Designation)
            .await
    }

    /// Adds an active user with `role` over all entities; its e-mail.
    pub async fn add_user(&self, user_id: &str, role: designa::domain::access::Role) -> String {
        use designa::domain::access::{Grant, Scope};
        let email = format!("{user_id}@{}.example", self.tenant);
        self.storage()
            .put_user(&designa::domain::tenant::User {
                tenant_id: self.tenant.as_str().into(),
                user_id: user_id.into(),
                email: email.clone(),
                first_name: "Sam".into(),
                last_name: "Fictif".into(),
                active: true,
                grants: vec![Grant {
                    role,
                    scope: Scope::AllEntities,
                    until: None,
                }],
                sealed: None,
            })
            .await
            .unwrap();
        email
    }

    /// The table as the functions see it: drivers' personal data sealed
    /// with this world's key vault (one cache, as one Lambda instance has).
    pub fn storage(&self) -> SealedDynamoStorage {
        Sealing::new(self.raw_storage(), self.vault.clone())
    }

    /// The table without field-level encryption: what is really stored.
    pub fn raw_storage(&self) -> designa::aws::DynamoStorage {
        designa::aws::DynamoStorage::new(self.aws.dynamodb().clone(), &self.config.table_name)
    }

    /// A fleet of about `n` vehicles with plates unique to this test: a
    /// generated plate that another test's tenant already holds on the
    /// shared table is left out (a plate has one holder at a time).
    pub async fn seed_fleet(&self, n: usize) -> Vec<SimulatedVehicle> {
        let today = paris_date(Utc::now());
        let seed = self
            .tenant
            .bytes()
            .fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(b as u64));
        let fleet = synthetic_fleet(n, seed);
        let storage = self.storage();
        let mut held = Vec::with_capacity(n);
        for v in fleet {
            // `held[i]` is vehicle `v{i}`, whatever was left out.
            let i = held.len();
            let placed = storage
                .put_vehicle(
                    &Vehicle {
                        tenant_id: self.tenant.as_str().into(),
                        entity_id: if i % 2 == 0 { "e-north" } else { "e-south" }.into(),
                        vehicle_id: format!("v{i}"),
                        plate: v.plate.clone(),
                        make: v.make.clone(),
                        model: v.model.clone(),
                        entry_on: today - Days::new(365),
                        exit_on: None,
                        pool: false,
                        removed_on: None,
                    },
                    Utc::now(),
                )
                .await
                .unwrap();
            match placed {
                Ok(()) => held.push(v),
                Err(HoldingConflict::OtherTenant { .. }) => {}
                Err(conflict) => panic!("{conflict}"),
            }
        }
        held
    }

    pub async fn drop_file(&self, name: &str, bytes: Vec<u8>) -> String {
        let key = format!("{}{name}", self.config.inbound_prefix);
        self.aws
            .s3()
            .put_object()
            .bucket(&self.bucket)
            .key(&key)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .unwrap();
        key
    }

    /// Feeds the ingest queue to the handler; returns the stats and every message body seen.
    pub async fn run_ingest(&self) -> (DrainStats, Vec<String>) {
        let handler = self.handler();
        let bodies = Mutex::new(Vec::new());
        let stats = drain_queue(self.aws.sqs(), &self.ingest_queue, 50, |event: SqsEvent| {
            bodies
                .lock()
                .unwrap()
                .extend(event.records.iter().filter_map(|m| m.body.clone()));
            handler.handle_event(event)
        })
        .await
        .unwrap();
        (stats, bodies.into_inner().unwrap())
    }

    pub async fn object(&self, key: &str) -> Option<Vec<u8>> {
        match self
            .aws
            .s3()
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(o) => Some(o.body.collect().await.unwrap().into_bytes().to_vec()),
            Err(_) => None,
        }
    }

    pub async fn report(&self, key: &str) -> serde_json::Value {
        let bytes = self
            .object(key)
            .await
            .unwrap_or_else(|| panic!("no report at {key}"));
        serde_json::from_slice(&bytes).unwrap()
    }

    /// What a replay could change: this tenant's items (and the records of
    /// its files), the table's item count, and every object of the bucket
    /// with its ETag. Items are printed through JSON, whose maps are sorted.
    pub async fn snapshot(&self) -> (Vec<String>, i32, BTreeMap<String, String>) {
        let pages = self
            .aws
            .dynamodb()
            .scan()
            .table_name(&self.config.table_name)
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await;
        let mut mine = Vec::new();
        let mut count = 0;
        for page in pages {
            let page = page.unwrap();
            count += page.count();
            for item in page.items.unwrap_or_default() {
                let json = serde_dynamo::from_item::<_, serde_json::Value>(item)
                    .unwrap()
                    .to_string();
                if json.contains(&self.tenant) {
                    mine.push(json);
                }
            }
        }
        mine.sort();
        let mut objects = BTreeMap::new();
        let listed = self
            .aws
            .s3()
            .list_objects_v2()
            .bucket(&self.bucket)
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await;
        for page in listed {
            for o in page.unwrap().contents() {
                objects.insert(
                    o.key().unwrap().to_string(),
                    o.e_tag().unwrap_or_default().to_string(),
                );
            }
        }
        (mine, count, objects)
    }

    /// Takes this tenant's messages off the notifications queue.
    pub async fn notifications(&self) -> Vec<serde_json::Value> {
        let mut mine = Vec::new();
        loop {
            let out = self
                .aws
                .sqs()
                .receive_message()
                .queue_url(&self.notifications_queue)
                .max_number_of_messages(10)
                .wait_time_seconds(0)
                .send()
                .await
                .unwrap();
            let messages = out.messages.unwrap_or_default();
            if messages.is_empty() {
                return mine;
            }
            for m in messages {
                let body: serde_json::Value = serde_json::from_str(m.body().unwrap()).unwrap();
                self.aws
                    .sqs()
                    .delete_message()
                    .queue_url(&self.notifications_queue)
                    .receipt_handle(m.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
                if body["tenant_id"] == self.tenant.as_str() {
                    mine.push(body);
                }
            }
        }
    }
}

pub fn batch(count: usize, first_number: u64) -> NoticeBatch {
    NoticeBatch {
        count,
        offence_window_days: 20,
        issued_on: paris_date(Utc::now()) - Days::new(1),
        first_number,
        seed: first_number,
    }
}

pub fn unique_number() -> u64 {
    1_000_000_000 + (uuid::Uuid::new_v4().as_u128() % 8_000_000_000) as u64 / 100_000 * 100_000
}
