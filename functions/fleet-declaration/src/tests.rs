use super::*;
use chrono::TimeZone;
use designa::domain::Plate;
use designa::exchange::parse_bytes;
use designa::memory::{FixedClock, MemoryBlobStore, MemoryStorage};
use designa::ports::FleetStore;

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

fn vehicle(tenant: &str, plate: &str, entry: NaiveDate, exit: Option<NaiveDate>) -> Vehicle {
    Vehicle {
        tenant_id: tenant.into(),
        entity_id: "e1".into(),
        vehicle_id: plate.into(),
        plate: Plate::parse(plate, "FRA").unwrap(),
        make: "RENAULT".into(),
        model: "MASTER".into(),
        entry_on: entry,
        exit_on: exit,
        pool: false,
        removed_on: None,
    }
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn handler() -> FleetDeclaration<MemoryBlobStore, MemoryStorage, FixedClock> {
    FleetDeclaration {
        blobs: MemoryBlobStore::default(),
        storage: MemoryStorage::default(),
        clock: FixedClock::at(at(1, 3)),
        config: Config {
            exchange_bucket: "exchange".into(),
            outbound_prefix: "outbound/".into(),
            smart_exit_grace_days: 60,
        },
    }
}

fn lines(
    h: &FleetDeclaration<MemoryBlobStore, MemoryStorage, FixedClock>,
    d: &Declaration,
) -> Vec<(FleetOperation, String)> {
    let bytes = h.blobs.get("exchange", &d.key).expect("file written");
    parse_bytes::<FleetRecord>(&bytes)
        .unwrap()
        .records
        .into_iter()
        .map(|(_, r)| (r.operation, r.plate.normalized))
        .collect()
}

#[tokio::test]
async fn the_full_declaration_lists_every_managed_plate_once_a_day() {
    let h = handler();
    let s = &h.storage;
    s.put_vehicle(&vehicle("acme", "AB-123-CD", day(1, 5), None), at(1, 1))
        .await
        .unwrap()
        .expect("the plate is free");
    s.put_vehicle(
        &vehicle("globex", "EF-456-GH", day(3, 1), Some(day(10, 15))),
        at(1, 1),
    )
    .await
    .unwrap()
    .expect("the plate is free"); // left 17 days ago: still declared
    s.put_vehicle(
        &vehicle("acme", "JK-789-LM", day(1, 5), Some(day(6, 30))),
        at(1, 1),
    )
    .await
    .unwrap()
    .expect("the plate is free"); // left long ago
    let Outcome::Written(d) = h.declare(DeclarationMode::Full).await.unwrap() else {
        panic!("not written")
    };
    assert_eq!(d.file_id, "FLOTTE-COMPLETE-20261101");
    assert!(
        d.key.starts_with("outbound/DECLARATION_FLOTTE_")
            && d.key.ends_with("_FLOTTE-COMPLETE-20261101.v1.txt")
    );
    assert_eq!(
        lines(&h, &d),
        vec![
            (FleetOperation::Full, "AB123CD".into()),
            (FleetOperation::Full, "EF456GH".into())
        ]
    );

    // Later the same day: nothing new, the same object.
    h.clock.set(at(1, 9));
    assert_eq!(
        h.declare(DeclarationMode::Full).await.unwrap(),
        Outcome::AlreadyDone(d.clone())
    );
    assert_eq!(h.blobs.keys().len(), 1);
}

#[tokio::test]
async fn daily_changes_carry_only_what_changed_since_the_last_declaration() {
    let h = handler();
    let s = &h.storage;
    s.put_vehicle(&vehicle("acme", "AB-123-CD", day(1, 5), None), at(1, 1))
        .await
        .unwrap()
        .expect("the plate is free");
    s.put_vehicle(&vehicle("acme", "EF-456-GH", day(1, 5), None), at(1, 1))
        .await
        .unwrap()
        .expect("the plate is free");
    h.declare(DeclarationMode::Full).await.unwrap();

    // During the 1st: one new vehicle, one leaving, one renamed model.
    s.put_vehicle(&vehicle("acme", "NP-111-QR", day(11, 1), None), at(1, 10))
        .await
        .unwrap()
        .expect("the plate is free");
    s.put_vehicle(
        &vehicle("acme", "AB-123-CD", day(1, 5), Some(day(11, 30))),
        at(1, 11),
    )
    .await
    .unwrap()
    .expect("the plate is free");
    let mut renamed = vehicle("acme", "EF-456-GH", day(1, 5), None);
    renamed.model = "MASTER III".into();
    s.put_vehicle(&renamed, at(1, 12))
        .await
        .unwrap()
        .expect("the plate is free");

    h.clock.set(at(2, 1));
    let Outcome::Written(d) = h.declare(DeclarationMode::Changes).await.unwrap() else {
        panic!("not written")
    };
    assert_eq!(
        lines(&h, &d),
        vec![
            (FleetOperation::Leaving, "AB123CD".into()),
            (FleetOperation::Changed, "EF456GH".into()),
            (FleetOperation::Added, "NP111QR".into())
        ]
    );

    // The next day without changes: an empty declaration, recorded.
    h.clock.set(at(3, 1));
    let Outcome::Written(empty) = h.declare(DeclarationMode::Changes).await.unwrap() else {
        panic!("not written")
    };
    assert_eq!(empty.lines, 0);
    assert!(lines(&h, &empty).is_empty());
}

#[test]
fn the_sample_events_are_valid_schedule_inputs() {
    let full: DeclarationRequest =
        serde_json::from_str(include_str!("../../../events/fleet-declaration-full.json")).unwrap();
    let changes: DeclarationRequest = serde_json::from_str(include_str!(
        "../../../events/fleet-declaration-changes.json"
    ))
    .unwrap();
    assert_eq!(
        (full.mode, changes.mode),
        (DeclarationMode::Full, DeclarationMode::Changes)
    );
}

/// The smart-exit grace is each tenant's setting, not the stack's default.
#[tokio::test]
async fn a_left_vehicle_is_declared_for_its_tenants_smart_exit_grace() {
    use designa::domain::tenant::{Tenant, TenantSettings};
    use designa::ports::TenantStore;
    let h = handler();
    let s = &h.storage;
    for (tenant, grace) in [("acme", 10), ("globex", 90)] {
        let settings = TenantSettings {
            smart_exit_grace_days: grace,
            ..TenantSettings::default()
        };
        let tenant = Tenant {
            ended_on: None,
            tenant_id: tenant.into(),
            name: format!("{tenant} fictif"),
            settings,
        };
        s.create_tenant(&tenant).await.unwrap();
    }
    // Both left 17 days ago: past acme's 10 days, within globex's 90.
    for (tenant, plate) in [("acme", "AB-123-CD"), ("globex", "EF-456-GH")] {
        let left = vehicle(tenant, plate, day(3, 1), Some(day(10, 15)));
        s.put_vehicle(&left, at(1, 1))
            .await
            .unwrap()
            .expect("the plate is free");
    }
    let Outcome::Written(d) = h.declare(DeclarationMode::Full).await.unwrap() else {
        panic!("not written")
    };
    assert_eq!(
        lines(&h, &d),
        vec![(FleetOperation::Full, "EF456GH".into())]
    );
}

/// `DELETE /vehicles/{id}` is a removal: the same day's changes file
/// declares the vehicle leaving that day, not the next full file.
#[tokio::test]
async fn a_removed_vehicle_is_declared_leaving_in_the_days_changes() {
    let h = handler();
    let s = &h.storage;
    let kept = vehicle("acme", "AB-123-CD", day(1, 5), None);
    s.put_vehicle(&kept, at(1, 1))
        .await
        .unwrap()
        .expect("the plate is free");
    h.declare(DeclarationMode::Full).await.unwrap();

    h.clock.set(at(1, 15));
    designa::app::vehicles::remove_vehicle(s, &h.clock, &kept)
        .await
        .unwrap();
    assert!(
        s.vehicles(&"acme".into()).await.unwrap().is_empty(),
        "gone from the fleet"
    );
    h.clock.set(at(2, 1));
    let Outcome::Written(d) = h.declare(DeclarationMode::Changes).await.unwrap() else {
        panic!("not written")
    };
    let bytes = h.blobs.get("exchange", &d.key).expect("file written");
    let records = parse_bytes::<FleetRecord>(&bytes).unwrap().records;
    let (_, leaving) = records.first().expect("one line");
    assert_eq!(records.len(), 1);
    assert_eq!(leaving.operation, FleetOperation::Leaving);
    assert_eq!(leaving.managed_until, Some(day(11, 1)));
}
