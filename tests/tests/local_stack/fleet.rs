//! A plate's holders on the table: the conditional transaction refuses a
//! second holder, a removal keeps the holding with a TTL on the vehicle,
//! and a vehicle entered again replaces the removed one in one transaction.

use chrono::{NaiveDate, Utc};
use designa::app::vehicles::{plate_conflicts, put_vehicle, PlateRefusal};
use designa::domain::{HoldingConflict, Plate, TenantId};
use designa::ports::{FleetStore, NoticeStore, SystemClock};
use designa::store::Vehicle;
use designa_integration_tests::exclusive;
use designa_integration_tests::world::world;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A plate no other test or run uses, drawn from a fresh uuid.
fn unique_plate() -> Plate {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTVWXYZ";
    let mut n = uuid::Uuid::new_v4().as_u128();
    loop {
        let mut letter = || {
            let l = LETTERS[(n % 23) as usize] as char;
            n /= 23;
            l
        };
        let (a, b, c, d) = (letter(), letter(), letter(), letter());
        let raw = format!("{a}{b}-{:03}-{c}{d}", 1 + n % 999);
        // A few pairs are not issued (`SS`, `WW`): draw again.
        if let Ok(plate) = Plate::parse(&raw, "FRA") {
            return plate;
        }
        n = uuid::Uuid::new_v4().as_u128();
    }
}

fn vehicle(tenant: &str, id: &str, plate: &Plate, entry_on: NaiveDate) -> Vehicle {
    Vehicle {
        tenant_id: tenant.into(),
        entity_id: "e-north".into(),
        vehicle_id: id.into(),
        plate: plate.clone(),
        make: "RENAULT".into(),
        model: "KANGOO".into(),
        entry_on,
        exit_on: None,
        pool: false,
        removed_on: None,
    }
}

#[tokio::test]
async fn one_holder_per_plate_and_a_removal_that_keeps_routing() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let storage = w.raw_storage();
    let plate = unique_plate();
    let holder = w.tenant.as_str();
    let claimant = format!("{holder}-other");
    let first = vehicle(holder, "v-first", &plate, day(2026, 1, 5));
    storage
        .put_vehicle(&first, Utc::now())
        .await
        .unwrap()
        .expect("the plate is free");

    let claim = vehicle(&claimant, "v-claim", &plate, day(2026, 6, 1));
    let refused = storage.put_vehicle(&claim, Utc::now()).await.unwrap();
    assert_eq!(
        refused,
        Err(HoldingConflict::OtherTenant {
            tenant_id: TenantId(holder.into())
        })
    );
    assert!(storage
        .vehicle(&claimant.as_str().into(), "v-claim")
        .await
        .unwrap()
        .is_none());
    // Through the use case, the refusal lands in the operators' list.
    let refusal = put_vehicle(&storage, &SystemClock, &claim).await.unwrap();
    assert_eq!(refusal, Err(PlateRefusal::Elsewhere));
    let listed = plate_conflicts(&storage).await.unwrap();
    assert!(listed
        .iter()
        .any(|c| c.plate == plate.display() && c.claimant.0 == claimant && c.holder.0 == holder));

    let removed = Vehicle {
        exit_on: Some(day(2026, 11, 20)),
        removed_on: Some(day(2026, 11, 20)),
        ..first.clone()
    };
    let forget_at = Utc::now() + chrono::Days::new(60);
    storage
        .remove_vehicle(&removed, Utc::now(), forget_at)
        .await
        .unwrap();
    assert!(storage
        .vehicle(&holder.into(), "v-first")
        .await
        .unwrap()
        .is_none());
    let item = w
        .aws
        .dynamodb()
        .get_item()
        .table_name(&w.config.table_name)
        .key(
            "pk",
            aws_sdk_dynamodb::types::AttributeValue::S(format!("TENANT#{holder}")),
        )
        .key(
            "sk",
            aws_sdk_dynamodb::types::AttributeValue::S("VEHICLE#v-first".into()),
        )
        .send()
        .await
        .unwrap()
        .item
        .expect("kept for the declaration and the grace");
    let ttl = item["expires_at"].as_n().unwrap().parse::<i64>().unwrap();
    assert_eq!(ttl, forget_at.timestamp());
    let holdings = storage.holdings(&[plate.key()]).await.unwrap()[&plate.key()].clone();
    assert_eq!(holdings.len(), 1);
    assert_eq!(holdings[0].removed_on, Some(day(2026, 11, 20)));

    // Entered again by its fleet: the new vehicle replaces the removed one.
    let again = vehicle(holder, "v-again", &plate, day(2026, 1, 5));
    storage
        .put_vehicle(&again, Utc::now())
        .await
        .unwrap()
        .expect("replaces the removed one");
    let holdings = storage.holdings(&[plate.key()]).await.unwrap()[&plate.key()].clone();
    assert_eq!(
        holdings
            .iter()
            .map(|h| h.vehicle_id.as_str())
            .collect::<Vec<_>>(),
        ["v-again"]
    );
    let changed = storage.vehicles_changed_since(None).await.unwrap();
    assert!(!changed
        .iter()
        .any(|(v, _)| v.tenant_id.0 == holder && v.vehicle_id == "v-first"));
}
