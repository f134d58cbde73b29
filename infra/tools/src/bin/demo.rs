//! `make demo`: the notice-ingest pipeline and the answer loop on the local stack, end to end.
//!
//! Seeds a fictional tenant and fleet, has the ANTAI simulator drop a notice
//! file (and a damaged one) into the inbound prefix, lets S3 notify the
//! ingest queue, runs the ingest handler on the queue's batches as Lambda
//! would, and prints what landed where. Then a fleet manager answers two
//! notices through the API, the outbound job writes them for the relay, the
//! simulator acknowledges (refusing one), the refused answer is corrected
//! and resent, and both end acknowledged.

use anyhow::{Context, Result};
use aws_sdk_s3::primitives::ByteStream;
use chrono::{Days, Utc};
use designa::aws::{AwsClients, DynamoStorage, S3BlobStore, SesMailer, SqsQueue};
use designa::domain::time::{format_paris_datetime, paris_date};
use designa::domain::Plate;
use designa::ports::{FleetStore, NoticeStore, SystemClock};
use designa::store::DeclarationMode;
use designa::store::Vehicle;
use designa_tools::runner::drain_queue;
use designa_tools::simulator::{generate_notices, notice_file, NoticeBatch, SimulatedVehicle};
use designa_tools::stack::LocalStack;
use fleet_declaration::{FleetDeclaration, Outcome};
use ingest::{Config, Ingest};

use designa_tools::demo_admin::{self, TENANT, TENANT_NAME};

struct DemoVehicle {
    entity: &'static str,
    plate: &'static str,
    make: &'static str,
    model: &'static str,
    exit_days_ago: Option<u64>,
}

const FLEET: [DemoVehicle; 5] = [
    DemoVehicle {
        entity: "e-lyon",
        plate: "AB-123-CD",
        make: "RENAULT",
        model: "CLIO",
        exit_days_ago: None,
    },
    DemoVehicle {
        entity: "e-lyon",
        plate: "GH-456-JK",
        make: "PEUGEOT",
        model: "308",
        exit_days_ago: None,
    },
    DemoVehicle {
        entity: "e-paris",
        plate: "123 ABC 75",
        make: "CITROEN",
        model: "BERLINGO",
        exit_days_ago: None,
    },
    DemoVehicle {
        entity: "e-paris",
        plate: "1234 AB 2A",
        make: "RENAULT",
        model: "KANGOO",
        exit_days_ago: None,
    },
    // Left the fleet 20 days ago: older offences still come in (smart exit).
    DemoVehicle {
        entity: "e-lyon",
        plate: "EF-789-LM",
        make: "PEUGEOT",
        model: "PARTNER",
        exit_days_ago: Some(20),
    },
];

#[tokio::main]
async fn main() -> Result<()> {
    let stack = LocalStack::load()?;
    stack.apply_env("IngestFunction")?;
    let config = Config::from_env().map_err(anyhow::Error::msg)?;
    let aws = AwsClients::from_env().await;
    let bucket = stack.resource("ExchangeBucket")?.to_string();
    let ingest_queue = stack.resource("IngestQueue")?.to_string();
    let today = paris_date(Utc::now());

    println!(
        "== designa demo on {} (stack {}) ==\n",
        stack.endpoint, stack.stack_name
    );
    let storage = DynamoStorage::new(aws.dynamodb().clone(), &config.table_name);
    println!("1. Tenant {TENANT} \"{TENANT_NAME}\", entities e-lyon (Agence de Lyon) and e-paris (Siège), fleet:");
    let mut simulated = Vec::new();
    for v in &FLEET {
        let plate = Plate::parse(v.plate, "FRA")?;
        let exit_on = v.exit_days_ago.map(|d| today - Days::new(d));
        storage
            .put_vehicle(
                &Vehicle {
                    tenant_id: TENANT.into(),
                    entity_id: v.entity.into(),
                    vehicle_id: format!("v-{}", plate.normalized.to_lowercase()),
                    plate: plate.clone(),
                    make: v.make.into(),
                    model: v.model.into(),
                    entry_on: today - Days::new(400),
                    exit_on,
                    pool: false,
                    removed_on: None,
                },
                Utc::now(),
            )
            .await??;
        println!(
            "   {:<12} {:<8} {:<9} {:<8} {}",
            plate.display(),
            v.make,
            v.model,
            v.entity,
            exit_on
                .map(|d| format!("left the fleet on {d}"))
                .unwrap_or_default()
        );
        simulated.push(SimulatedVehicle {
            plate,
            make: v.make.into(),
            model: v.model.into(),
        });
    }

    // A file of notices for the fleet, plus one for a plate nobody holds.
    let issued_on = today - Days::new(2);
    let seed = Utc::now().timestamp() as u64;
    let first_number = 4_000_000_000 + (seed % 1_000_000) * 100;
    let mut notices = generate_notices(
        &simulated,
        &NoticeBatch {
            count: 12,
            offence_window_days: 30,
            issued_on,
            first_number,
            seed,
        },
    );
    let stranger = SimulatedVehicle {
        plate: Plate::parse("ZZ-999-YZ", "FRA")?,
        make: "FIAT".into(),
        model: "DOBLO".into(),
    };
    notices.extend(generate_notices(
        &[stranger],
        &NoticeBatch {
            count: 1,
            offence_window_days: 5,
            issued_on,
            first_number: first_number + 50,
            seed,
        },
    ));
    let file = notice_file(&format!("SIM-{}", first_number), Utc::now(), &notices);
    put(
        &aws,
        &bucket,
        &format!("inbound/{}", file.name),
        file.bytes.clone(),
    )
    .await?;
    println!(
        "\n2. The ANTAI simulator dropped {} notices in s3://{bucket}/inbound/{}",
        notices.len(),
        file.name
    );

    // The same file damaged in transit: its checksum no longer matches.
    let damaged = String::from_utf8(file.bytes)?.replacen("RENAULT", "RENAUL7", 1);
    let damaged_name = file.name.replace(".v1.txt", "-DAMAGED.v1.txt");
    put(
        &aws,
        &bucket,
        &format!("inbound/{damaged_name}"),
        damaged.into_bytes(),
    )
    .await?;
    println!("   and a damaged copy as inbound/{damaged_name}");

    println!("\n3. S3 notified the ingest queue; the ingest handler runs on its batches as Lambda would:");
    let handler = Ingest {
        blobs: S3BlobStore::new(aws.s3().clone()),
        storage: designa::aws::sealed_storage(&aws, &config.table_name)
            .map_err(anyhow::Error::msg)?,
        queue: SqsQueue::new(aws.sqs().clone()),
        clock: SystemClock,
        mailer: SesMailer::new(
            aws.ses().clone(),
            std::env::var("SENDER_ADDRESS").context("SENDER_ADDRESS of the ingest function")?,
        ),
        config: config.clone(),
    };
    let stats = drain_queue(aws.sqs(), &ingest_queue, 20, |event| {
        handler.handle_event(event)
    })
    .await?;
    println!(
        "   {} batch(es), {} message(s), {} failed",
        stats.batches, stats.messages, stats.failed
    );

    println!("\n4. Notices of {TENANT}, soonest deadline first:");
    println!(
        "   {:<12} {:<8} {:<12} {:<20} {:<6} {:<10} offence",
        "notice", "entity", "plate", "offence time (Paris)", "NATINF", "deadline"
    );
    for n in storage.tenant_notices(TENANT).await? {
        let label: String = n.notice.offence.label.chars().take(48).collect();
        println!(
            "   {:<12} {:<8} {:<12} {:<20} {:<6} {:<10} {}",
            n.notice.notice_number,
            n.entity_id,
            n.notice.plate.display(),
            format_paris_datetime(&n.notice.offence_at),
            n.notice.offence.natinf_code,
            n.deadline,
            label
        );
    }

    println!("\n5. Processing reports and quarantine:");
    for prefix in [
        config.reports_prefix.as_str(),
        config.quarantine_prefix.as_str(),
    ] {
        let listed = aws
            .s3()
            .list_objects_v2()
            .bucket(&bucket)
            .prefix(prefix)
            .send()
            .await?;
        for object in listed.contents() {
            let key = object.key().unwrap_or_default();
            if !key.ends_with(".report.json") {
                println!("   s3://{bucket}/{key} (kept aside)");
                continue;
            }
            let body = aws
                .s3()
                .get_object()
                .bucket(&bucket)
                .key(key)
                .send()
                .await?
                .body
                .collect()
                .await?
                .into_bytes();
            let report: serde_json::Value = serde_json::from_slice(&body)?;
            println!("   s3://{bucket}/{key}");
            println!(
                "      status {} | counts {}",
                report["status"], report["counts"]
            );
            if let Some(message) = report["file_error"]["message"].as_str() {
                println!("      refused: {message}");
            }
            for u in report["unrouted"].as_array().into_iter().flatten() {
                println!(
                    "      unrouted line {}: notice {} ({})",
                    u["line"],
                    u["notice_number"],
                    u["explanation"].as_str().unwrap_or_default()
                );
            }
        }
    }

    let notifications = stack.resource("NotificationsQueue")?;
    let attrs = aws
        .sqs()
        .get_queue_attributes()
        .queue_url(notifications)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
        .send()
        .await?;
    let waiting = attrs
        .attributes()
        .and_then(|a| a.get(&aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages))
        .cloned()
        .unwrap_or_default();
    println!("\n6. \"Notices received\" messages waiting on the notifications queue: {waiting}");

    // The fleet declaration the monthly schedule would write for the relay.
    stack.apply_env("FleetDeclarationFunction")?;
    let declaration = FleetDeclaration {
        blobs: S3BlobStore::new(aws.s3().clone()),
        storage: DynamoStorage::new(aws.dynamodb().clone(), &config.table_name),
        clock: SystemClock,
        config: fleet_declaration::Config::from_env().map_err(anyhow::Error::msg)?,
    };
    let (Outcome::Written(d) | Outcome::AlreadyDone(d)) =
        declaration.declare(DeclarationMode::Full).await?;
    println!(
        "\n7. Fleet declaration for ANTAI: {} plate(s) in s3://{bucket}/{}",
        d.lines, d.key
    );

    // The tenant API, as a fleet manager meets it: sign in, then requests.
    demo_admin::seed(&stack, &aws).await?;
    let token = demo_admin::sign_in(&stack, &aws).await?;
    let claims = designa_tools::jwt::JwtVerifier::from_stack(&stack)
        .await?
        .verify(Some(&format!("Bearer {token}")))
        .map_err(anyhow::Error::msg)?;
    stack.apply_env("ApiFunction")?;
    let mut api = api::Api::from_env().await.map_err(anyhow::Error::msg)?;
    // moto is not safe with concurrent DynamoDB transactions.
    api.config.imports.write_concurrency = 1;
    let api = api::AppState::from(api);
    println!(
        "\n8. Tenant API: {} signed in (ID token verified against the emulator's Cognito keys):",
        demo_admin::EMAIL
    );
    for (path, query) in [
        ("/me", vec![]),
        ("/notices", vec![("limit", "3")]),
        ("/vehicles", vec![("entity_id", "e-lyon")]),
    ] {
        let response = api
            .handle(api::testing::Call {
                method: "GET".into(),
                path: path.into(),
                query: query
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                claims: Some(claims.clone()),
                request_id: format!("demo-{path}"),
                ..Default::default()
            })
            .await;
        let body = response.body_json();
        let summary = match path {
            "/me" => format!(
                "{} {}, tenant {}",
                body["user"]["first_name"], body["user"]["last_name"], body["tenant"]["name"]
            ),
            "/notices" => body["notices"]
                .as_array()
                .map(|n| {
                    n.iter()
                        .map(|n| {
                            format!(
                                "{} {} due {}",
                                n["notice_number"], n["plate"], n["deadline"]
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default(),
            _ => body["vehicles"]
                .as_array()
                .map(|v| {
                    v.iter()
                        .map(|v| v["plate"]["normalized"].to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        };
        let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        println!("   GET {path}{query} -> {}: {summary}", response.status);
    }
    answer_loop(
        &api,
        &claims,
        &aws,
        &config.table_name,
        &bucket,
        &ingest_queue,
        &handler,
    )
    .await?;
    println!(
        "\nDone. Replaying the same S3 events changes nothing: each file is recorded as processed."
    );
    println!(
        "\nTo use the API yourself: `make api` serves it on http://127.0.0.1:3000 with the same admin.\n{}",
        demo_admin::instructions(3000)
    );
    Ok(())
}

async fn put(aws: &AwsClients, bucket: &str, key: &str, body: Vec<u8>) -> Result<()> {
    aws.s3()
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body))
        .send()
        .await
        .with_context(|| format!("uploading s3://{bucket}/{key}"))?;
    Ok(())
}

/// Step 9: the answer loop. Two open notices are answered through the API,
/// the outbound job (its clock moved past the grace window) writes the file
/// for the relay, the ANTAI simulator refuses part of it, the refused
/// answers are corrected and resent, and everything ends acknowledged.
async fn answer_loop(
    api: &api::AppState,
    claims: &serde_json::Map<String, serde_json::Value>,
    aws: &AwsClients,
    table: &str,
    bucket: &str,
    ingest_queue: &str,
    handler: &Ingest<
        S3BlobStore,
        designa::aws::SealedDynamoStorage,
        SqsQueue,
        SystemClock,
        SesMailer,
    >,
) -> Result<()> {
    let call = |method: &str, path: String, body: serde_json::Value| {
        api.handle(api::testing::Call {
            method: method.into(),
            path,
            content_type: Some("application/json".into()),
            body: serde_json::to_vec(&body).unwrap_or_default(),
            claims: Some(claims.clone()),
            request_id: "demo-answer".into(),
            ..Default::default()
        })
    };
    let driver = |postcode: &str| {
        serde_json::json!({ "designation": { "driver": {
            "last_name": "Fictif", "first_name": "Dominique",
            "address": { "line1": "4 allée de l'Essai", "line2": null, "postcode": postcode, "city": "Lille", "country": "FRA" },
            "personal_email": null, "professional_email": "dominique.fictif@example.com" } } })
    };
    let open = DynamoStorage::new(aws.dynamodb().clone(), table)
        .tenant_notices(TENANT)
        .await?
        .into_iter()
        .filter(|n| n.status == designa::domain::NoticeStatus::Open)
        .take(2)
        .map(|n| n.notice.notice_number)
        .collect::<Vec<_>>();
    println!("\n9. The answer loop (grace window of 4 hours; the jobs' clock is moved past it):");
    for (i, number) in open.iter().enumerate() {
        // The first designation carries a postcode ANTAI will not know.
        let body = if i == 0 {
            driver("59999")
        } else {
            serde_json::json!({ "other": { "reason": "vehicle_unknown" } })
        };
        let r = call("PUT", format!("/notices/{number}/answer"), body).await;
        println!(
            "   PUT /notices/{number}/answer -> {}: {} until {}",
            r.status,
            r.body_json()["notice"]["status"],
            r.body_json()["answer"]["window_ends_at"]
        );
    }
    let mut at = Utc::now();
    for round in 1..=2 {
        at += chrono::Duration::hours(5);
        let sent = designa_tools::answer_loop::send_due_answers(aws, table, bucket, at).await?;
        for batch in &sent {
            println!(
                "   outbound job: {} answer(s) in s3://{bucket}/{}",
                batch.answers, batch.file_key
            );
            // First round: the simulator refuses about half; second: all acknowledged.
            let share = if round == 1 { 0.5 } else { 0.0 };
            let (key, text) = designa_tools::answer_loop::acknowledge_outbound(
                aws,
                bucket,
                &batch.file_key,
                share,
                3,
            )
            .await?;
            println!("   ANTAI SIMULATOR answered with s3://{bucket}/{key}:");
            for line in text.lines().filter(|l| l.starts_with("DETAIL")) {
                println!("     {line}");
            }
        }
        drain_queue(aws.sqs(), ingest_queue, 20, |event| {
            handler.handle_event(event)
        })
        .await?;
        for number in &open {
            let r = call(
                "GET",
                format!("/notices/{number}/answer"),
                serde_json::Value::Null,
            )
            .await;
            let body = r.body_json();
            println!(
                "   notice {number}: {} (transmission {})",
                body["notice"]["status"], body["answer"]["transmission_id"]
            );
            if body["notice"]["status"] == "ANSWER_IN_ERROR" {
                let corrected = if body["answer"]["body"]["type"] == "designation" {
                    driver("59000")
                } else {
                    serde_json::json!({ "other": { "reason": "vehicle_unknown" } })
                };
                let r = call("PUT", format!("/notices/{number}/answer"), corrected).await;
                println!(
                    "   corrected through the API -> {}: {} as {}",
                    r.status,
                    r.body_json()["notice"]["status"],
                    r.body_json()["answer"]["transmission_id"]
                );
            }
        }
    }

    println!(
        "\n10. GDPR: the designated driver asks to be erased (crypto-shredding, docs/privacy.md):"
    );
    for number in &open {
        let erasure = serde_json::json!({ "right": "erasure", "subject": { "type": "designee", "id": number } });
        let r = call("POST", "/privacy/requests".into(), erasure).await;
        if r.status == 404 {
            continue; // not a designation typed into the answer
        }
        println!(
            "   POST /privacy/requests (erasure, notice {number}) -> {}: {}",
            r.status,
            r.body_json()["request"]["details"]
        );
        let proof = call(
            "GET",
            format!("/notices/{number}/answer"),
            serde_json::Value::Null,
        )
        .await
        .body_json();
        println!(
            "   the answer stays as legal proof: {} ({} events), the driver now reads {}",
            proof["answer"]["state"],
            proof["answer"]["history"].as_array().map_or(0, Vec::len),
            proof["answer"]["body"]["last_name"]
        );
    }
    Ok(())
}
