//! The demo data `make app` serves, made by the real pipeline on the local
//! stack: the fictional tenant and its admin, a fleet, drivers assigned to
//! vehicles (so notices come with suggestions), a notice file ingested as
//! ANTAI would drop it, and answers taken through the API, the outbound job
//! and the simulator's acknowledgements, so that every state is on screen:
//! open, due within 2 and 7 days, pending in the grace window, sent,
//! acknowledged, refused, gone to paper.

use crate::answer_loop::{acknowledge_outbound, send_due_answers};
use crate::demo_admin::{self, TENANT};
use crate::runner::drain_queue;
use crate::simulator::{generate_notices, notice_file, NoticeBatch, SimulatedVehicle};
use crate::stack::LocalStack;
use anyhow::{bail, Context, Result};
use api::testing::Call;
use api::AppState;
use aws_sdk_s3::primitives::ByteStream;
use chrono::{Days, Duration, NaiveDate, Utc};
use designa::aws::{
    AwsClients, DynamoStorage, S3BlobStore, SealedDynamoStorage, SesMailer, SqsQueue,
};
use designa::domain::time::paris_date;
use designa::domain::{NoticeStatus, Plate};
use designa::memory::FixedClock;
use designa::ports::{FleetStore, NoticeStore, SystemClock};
use designa::store::{StoredNotice, Vehicle};
use ingest::Ingest;
use serde_json::{json, Map, Value};

type IngestHandler = Ingest<S3BlobStore, SealedDynamoStorage, SqsQueue, SystemClock, SesMailer>;

/// The fleet: (entity, plate, make, model, driver assigned since long ago).
const FLEET: [(&str, &str, &str, &str, Option<&str>); 5] = [
    (
        "e-lyon",
        "AB-123-CD",
        "RENAULT",
        "CLIO",
        Some("Camille Exemple"),
    ),
    (
        "e-lyon",
        "GH-456-JK",
        "PEUGEOT",
        "308",
        Some("Dominique Fictif"),
    ),
    ("e-lyon", "LM-789-NP", "RENAULT", "KANGOO", None),
    (
        "e-paris",
        "QR-246-ST",
        "CITROEN",
        "BERLINGO",
        Some("Sacha Essai"),
    ),
    ("e-paris", "TV-135-WX", "TOYOTA", "YARIS", None),
];

/// A driver who left: no assignment, but the designated driver of an
/// acknowledged notice (the proof an erasure keeps, then shows "[effacé]").
const FORMER_DRIVER: (&str, &str, &str) = ("e-lyon", "Maxime", "Ancien");

/// Notice groups by issue date: (days ago, count). ANTAI's 45 days run from
/// the issue date, so 43 days ago is due in 2 days; 45 is due today, and
/// goes to paper when the deadline sweep runs a day later.
const GROUPS: [(u64, usize); 4] = [(45, 1), (43, 2), (38, 2), (3, 10)];

/// What the seed made, for the summary `make app` prints and the tests.
#[derive(Debug, Default)]
pub struct Seeded {
    pub notices: usize,
    pub by_status: Vec<(String, usize)>,
}

struct Seeder<'a> {
    stack: &'a LocalStack,
    aws: &'a AwsClients,
    api: AppState,
    claims: Map<String, Value>,
    table: String,
    bucket: String,
    ingest_queue: String,
}

/// Seeds the demo tenant on a freshly created stack.
pub async fn seed(stack: &LocalStack, aws: &AwsClients) -> Result<Seeded> {
    demo_admin::seed(stack, aws).await?;
    let token = demo_admin::sign_in(stack, aws).await?;
    let claims = crate::jwt::JwtVerifier::from_stack(stack)
        .await?
        .verify(Some(&format!("Bearer {token}")))
        .map_err(anyhow::Error::msg)?;
    stack.apply_env("ApiFunction")?;
    let mut api = api::Api::from_env().await.map_err(anyhow::Error::msg)?;
    // moto is not safe with concurrent DynamoDB transactions.
    api.config.imports.write_concurrency = 1;
    let seeder = Seeder {
        stack,
        aws,
        api: AppState::from(api),
        claims,
        table: stack.function_env("ApiFunction")?["TABLE_NAME"].clone(),
        bucket: stack.resource("ExchangeBucket")?.to_string(),
        ingest_queue: stack.resource("IngestQueue")?.to_string(),
    };
    let today = paris_date(Utc::now());
    let fleet = seeder.fleet(today).await?;
    let former_driver = seeder.drivers_and_assignments(today).await?;
    let ingest = seeder.ingest_handler()?;
    seeder.notices(&fleet, today, &ingest).await?;
    seeder.answers(today, &former_driver, &ingest).await?;
    seeder.summary().await
}

impl Seeder<'_> {
    async fn call(&self, method: &str, path: &str, body: Value) -> Result<Value> {
        let reply = self
            .api
            .handle(Call {
                method: method.into(),
                path: path.into(),
                content_type: Some("application/json".into()),
                body: serde_json::to_vec(&body)?,
                claims: Some(self.claims.clone()),
                request_id: "app-seed".into(),
                ..Default::default()
            })
            .await;
        if reply.status >= 300 {
            bail!(
                "{method} {path} -> {}: {}",
                reply.status,
                String::from_utf8_lossy(&reply.body)
            );
        }
        Ok(reply.body_json())
    }

    async fn fleet(&self, today: NaiveDate) -> Result<Vec<SimulatedVehicle>> {
        let storage = DynamoStorage::new(self.aws.dynamodb().clone(), &self.table);
        let mut simulated = Vec::new();
        for (entity, plate, make, model, _) in FLEET {
            let plate = Plate::parse(plate, "FRA")?;
            let vehicle = Vehicle {
                tenant_id: TENANT.into(),
                entity_id: entity.into(),
                vehicle_id: vehicle_id(&plate),
                plate: plate.clone(),
                make: make.into(),
                model: model.into(),
                entry_on: today - Days::new(400),
                exit_on: None,
                pool: false,
                removed_on: None,
            };
            storage.put_vehicle(&vehicle, Utc::now()).await??;
            simulated.push(SimulatedVehicle {
                plate,
                make: make.into(),
                model: model.into(),
            });
        }
        Ok(simulated)
    }

    /// The fleet's drivers with their assignments, and the former driver (its id).
    async fn drivers_and_assignments(&self, today: NaiveDate) -> Result<String> {
        let since = (today - Days::new(400))
            .and_hms_opt(0, 0, 0)
            .expect("midnight");
        for (entity, plate, _, _, driver) in FLEET {
            let Some(name) = driver else { continue };
            let (first_name, last_name) = name.split_once(' ').expect("first and last name");
            let created = self
                .call(
                    "POST",
                    "/drivers",
                    json!({
                        "entity_id": entity, "first_name": first_name, "last_name": last_name,
                        "address": { "line1": "12 rue de l'Exemple", "postcode": "69003",
                                     "city": "Lyon", "country": "FRA" },
                        "professional_email": format!("{}@transports-exemple.example",
                                                      first_name.to_lowercase()),
                    }),
                )
                .await?;
            let plate = Plate::parse(plate, "FRA")?;
            self.call(
                "POST",
                "/assignments",
                json!({ "vehicle_id": vehicle_id(&plate), "driver_id": created["driver_id"],
                        "from": format!("{}Z", since.format("%Y-%m-%dT%H:%M:%S")) }),
            )
            .await?;
        }
        let (entity, first_name, last_name) = FORMER_DRIVER;
        let former = self
            .call(
                "POST",
                "/drivers",
                json!({
                    "entity_id": entity, "first_name": first_name, "last_name": last_name,
                    "address": { "line1": "5 impasse du Départ", "postcode": "69007",
                                 "city": "Lyon", "country": "FRA" },
                }),
            )
            .await?;
        former["driver_id"]
            .as_str()
            .map(str::to_string)
            .context("the former driver's id")
    }

    fn ingest_handler(&self) -> Result<IngestHandler> {
        self.stack.apply_env("IngestFunction")?;
        let config = ingest::Config::from_env().map_err(anyhow::Error::msg)?;
        Ok(Ingest {
            blobs: S3BlobStore::new(self.aws.s3().clone()),
            storage: designa::aws::sealed_storage(self.aws, &config.table_name)
                .map_err(anyhow::Error::msg)?,
            queue: SqsQueue::new(self.aws.sqs().clone()),
            clock: SystemClock,
            mailer: SesMailer::new(
                self.aws.ses().clone(),
                std::env::var("SENDER_ADDRESS").context("SENDER_ADDRESS of the ingest function")?,
            ),
            config,
        })
    }

    /// One notice file with every group, ingested as S3 would trigger it.
    async fn notices(
        &self,
        fleet: &[SimulatedVehicle],
        today: NaiveDate,
        ingest: &IngestHandler,
    ) -> Result<()> {
        let mut notices = Vec::new();
        for (i, (days_ago, count)) in GROUPS.into_iter().enumerate() {
            notices.extend(generate_notices(
                fleet,
                &NoticeBatch {
                    count,
                    offence_window_days: 10,
                    issued_on: today - Days::new(days_ago),
                    first_number: 4_100_000_000 + 100 * i as u64,
                    seed: 7 + i as u64,
                },
            ));
        }
        let file = notice_file("SIM-APP-DEMO", Utc::now(), &notices);
        self.put(&format!("inbound/{}", file.name), file.bytes)
            .await?;
        self.drain(ingest).await
    }

    async fn put(&self, key: &str, body: Vec<u8>) -> Result<()> {
        self.aws
            .s3()
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(ByteStream::from(body))
            .send()
            .await
            .with_context(|| format!("writing s3://{}/{key}", self.bucket))?;
        Ok(())
    }

    async fn drain(&self, ingest: &IngestHandler) -> Result<()> {
        let stats = drain_queue(self.aws.sqs(), &self.ingest_queue, 20, |event| {
            ingest.handle_event(event)
        })
        .await?;
        if stats.failed > 0 {
            bail!("{} ingest message(s) failed", stats.failed);
        }
        Ok(())
    }

    async fn open_notices(&self, issued_on: NaiveDate) -> Result<Vec<StoredNotice>> {
        let storage = DynamoStorage::new(self.aws.dynamodb().clone(), &self.table);
        Ok(storage
            .tenant_notices(TENANT)
            .await?
            .into_iter()
            .filter(|n| n.status == NoticeStatus::Open && n.notice.issued_on == issued_on)
            .collect())
    }

    /// Answers among the recent notices: one refused, two acknowledged, one
    /// sent and not yet acknowledged, one still in its grace window; and the
    /// oldest unanswered notice goes to paper.
    async fn answers(
        &self,
        today: NaiveDate,
        former_driver: &str,
        ingest: &IngestHandler,
    ) -> Result<()> {
        let recent = self.open_notices(today - Days::new(3)).await?;
        if recent.len() < 5 {
            bail!("only {} recent notices were ingested", recent.len());
        }
        let numbers: Vec<&str> = recent
            .iter()
            .map(|n| n.notice.notice_number.as_str())
            .collect();
        // Refused: ANTAI does not know this postcode for the town.
        self.answer_and_send(&numbers[..1], Some(1.0), ingest)
            .await?;
        // Acknowledged: one typed-in designee, one driver of the base.
        self.answer(numbers[1]).await?;
        let body = json!({ "designation": { "driver_id": former_driver } });
        self.call("PUT", &format!("/notices/{}/answer", numbers[2]), body)
            .await?;
        self.answer_and_send(&[], Some(0.0), ingest).await?;
        self.answer_and_send(&numbers[3..4], None, ingest).await?;
        self.answer(numbers[4]).await?;
        self.sweep_deadlines().await
    }

    async fn answer(&self, number: &str) -> Result<()> {
        let body = json!({ "designation": { "driver": {
            "last_name": "Exemple", "first_name": "Claude",
            "address": { "line1": "3 place de l'Essai", "postcode": "59000", "city": "Lille", "country": "FRA" } } } });
        self.call("PUT", &format!("/notices/{number}/answer"), body)
            .await?;
        Ok(())
    }

    /// Answers, runs the outbound job past the grace window, and has the
    /// simulator acknowledge with that share refused (`None`: not yet).
    async fn answer_and_send(
        &self,
        numbers: &[&str],
        refused_share: Option<f64>,
        ingest: &IngestHandler,
    ) -> Result<()> {
        for number in numbers {
            self.answer(number).await?;
        }
        let at = Utc::now() + Duration::hours(5);
        for batch in send_due_answers(self.aws, &self.table, &self.bucket, at).await? {
            if let Some(share) = refused_share {
                acknowledge_outbound(self.aws, &self.bucket, &batch.file_key, share, 3).await?;
            }
        }
        self.drain(ingest).await
    }

    /// The nightly deadline sweep, run as tomorrow's would.
    async fn sweep_deadlines(&self) -> Result<()> {
        let jobs = answer_jobs::AnswerJobs {
            store: designa::aws::sealed_storage(self.aws, &self.table)
                .map_err(anyhow::Error::msg)?,
            blobs: S3BlobStore::new(self.aws.s3().clone()),
            clock: FixedClock::at(Utc::now() + Duration::days(1)),
            // The demo shows the notices gone to paper; nobody reads their e-mails.
            queue: designa::memory::MemoryQueue::default(),
            config: answer_jobs::Config {
                exchange_bucket: self.bucket.clone(),
                ..answer_jobs::Config::for_tests()
            },
        };
        jobs.sweep_deadlines().await?;
        Ok(())
    }

    async fn summary(&self) -> Result<Seeded> {
        let storage = DynamoStorage::new(self.aws.dynamodb().clone(), &self.table);
        let notices = storage.tenant_notices(TENANT).await?;
        let mut by_status: Vec<(String, usize)> = Vec::new();
        for n in &notices {
            let status = format!("{:?}", n.status);
            match by_status.iter_mut().find(|(s, _)| *s == status) {
                Some((_, count)) => *count += 1,
                None => by_status.push((status, 1)),
            }
        }
        Ok(Seeded {
            notices: notices.len(),
            by_status,
        })
    }
}

fn vehicle_id(plate: &Plate) -> String {
    format!("v-{}", plate.normalized.to_lowercase())
}
