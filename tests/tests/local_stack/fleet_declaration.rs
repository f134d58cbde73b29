//! The fleet declaration against the emulator: DynamoDB scan in, outbound file out.

use chrono::{Days, Utc};
use designa::aws::S3BlobStore;
use designa::domain::time::paris_date;
use designa::exchange::{parse_bytes, FleetOperation, FleetRecord};
use designa::memory::FixedClock;
use designa::ports::FleetStore;
use designa::store::{DeclarationMode, Vehicle};
use designa_integration_tests::exclusive;
use designa_integration_tests::world::world;
use fleet_declaration::{Config, FleetDeclaration, Outcome};

#[tokio::test]
async fn the_full_declaration_is_written_once_for_the_relay() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let fleet = w.seed_fleet(25).await;
    // A day of its own, so that no earlier run's declaration is "today's".
    let offset = 1 + uuid::Uuid::new_v4().as_u128() % 20_000;
    let now = Utc::now() + Days::new(offset as u64);
    let today = paris_date(now);
    // One of them left the fleet long before that day: not declared any more.
    let gone = &fleet[0];
    let storage = w.raw_storage();
    storage
        .put_vehicle(
            &Vehicle {
                tenant_id: w.tenant.as_str().into(),
                entity_id: "e-north".into(),
                vehicle_id: "v0".into(),
                plate: gone.plate.clone(),
                make: gone.make.clone(),
                model: gone.model.clone(),
                entry_on: today - Days::new(30_000),
                exit_on: Some(today - Days::new(1000)),
                pool: false,
                removed_on: None,
            },
            Utc::now(),
        )
        .await
        .unwrap()
        .expect("the plate is free");

    let handler = FleetDeclaration {
        blobs: S3BlobStore::new(w.aws.s3().clone()),
        storage,
        clock: FixedClock::at(now),
        config: Config {
            exchange_bucket: w.bucket.clone(),
            outbound_prefix: "outbound/".into(),
            smart_exit_grace_days: 60,
        },
    };
    let declaration = match handler.declare(DeclarationMode::Full).await.unwrap() {
        Outcome::Written(d) | Outcome::AlreadyDone(d) => d,
    };
    let object = w
        .aws
        .s3()
        .get_object()
        .bucket(&w.bucket)
        .key(&declaration.key)
        .send()
        .await
        .unwrap();
    let bytes = object.body.collect().await.unwrap().into_bytes();
    let parsed = parse_bytes::<FleetRecord>(&bytes).unwrap();
    assert!(parsed.rejected.is_empty());
    let declared: Vec<&FleetRecord> = parsed.records.iter().map(|(_, r)| r).collect();
    assert!(declared.iter().all(|r| r.operation == FleetOperation::Full));
    for vehicle in &fleet[1..] {
        assert!(
            declared.iter().any(|r| r.plate == vehicle.plate),
            "{} declared",
            vehicle.plate.display()
        );
    }
    assert!(
        !declared.iter().any(|r| r.plate == gone.plate),
        "a vehicle gone long ago is not declared"
    );

    // A second run the same day changes nothing.
    assert!(matches!(
        handler.declare(DeclarationMode::Full).await.unwrap(),
        Outcome::AlreadyDone(_)
    ));
}
