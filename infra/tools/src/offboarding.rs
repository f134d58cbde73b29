//! Operator offboarding: ends a customer's contract (`end-tenant`).
//!
//! Always, at the end:
//! - every vehicle leaves the fleet (`app::vehicles::remove_vehicle`): the
//!   next daily declaration carries its `SORTIE`, and routing keeps older
//!   offences during the smart-exit grace (none with `--at-once`);
//! - every user is disabled at the identity provider, then erased: identity,
//!   user item, preferences, pending invitations, and the user's data key;
//! - every driver is erased (data key, then record) with the assignments:
//!   the base only existed to designate, which the end stops;
//! - entities (company data, no personal data) expire after
//!   `ENDED_ENTITY_DAYS`, past every archived notice that names them;
//! - the tenant item stays, marked ended, so its id is never reused.
//!
//! What remains leaves by its retention rule (docs/retention.md): notices
//! archived 12 months after their deadline as proof of the designations,
//! the journal after a year, the request register after five. With
//! `--at-once` (when the contract says so) every notice and record of the
//! tenant expires now instead, and the TTL and the purge remove them and
//! what depended on them; it is refused while an answer is still on its
//! way to ANTAI, which the law requires to finish.
//!
//! Safe to run again: each step skips what an earlier run did.

use anyhow::{bail, Result};
use designa::app::vehicles::remove_vehicle;
use designa::domain::answer::AnswerState;
use designa::domain::subject::Subject;
use designa::domain::time::paris_date;
use designa::domain::TenantId;
use designa::ports::{update_notice, AnswerStore, Clock, IdentityProvider, Storage};
use designa::privacy::sealing::SubjectKeys;
use designa::store::{epoch_after, RecordKind};

/// How long an ended tenant's entities stay: longer than any notice of it
/// (deadline + 12 months) can be archived.
pub const ENDED_ENTITY_DAYS: u64 = 400;

/// Kinds deleted at the end whatever the mode: the people of the base.
const PEOPLE: [RecordKind; 4] = [
    RecordKind::Driver,
    RecordKind::Assignment,
    RecordKind::NotificationPreferences,
    RecordKind::Invitation,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// What remains leaves by the retention rules.
    ByRetention,
    /// Everything of the tenant expires now.
    AtOnce,
}

/// What a run did (counts only: operators' output holds no personal data).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ended {
    pub vehicles_removed: usize,
    pub users_erased: usize,
    pub drivers_erased: usize,
    pub records_deleted: usize,
    pub entities_kept_days: u64,
    pub notices_expired: usize,
    pub records_expired: usize,
}

pub async fn end_tenant<S>(
    storage: &S,
    identity: &impl IdentityProvider,
    clock: &impl Clock,
    tenant_id: &TenantId,
    ending: Ending,
) -> Result<Ended>
where
    S: Storage + AnswerStore + SubjectKeys,
{
    let Some(mut tenant) = storage.tenant(tenant_id).await? else {
        bail!("tenant {tenant_id} does not exist");
    };
    if ending == Ending::AtOnce {
        refuse_while_answers_travel(storage, tenant_id).await?;
        // No grace: the plates stop routing here tonight.
        tenant.settings.smart_exit_grace_days = 0;
    }
    tenant.ended_on.get_or_insert(paris_date(clock.now()));
    storage.put_tenant(&tenant).await?;
    let mut ended = Ended {
        vehicles_removed: remove_fleet(storage, clock, tenant_id).await?,
        users_erased: erase_users(storage, identity, tenant_id).await?,
        drivers_erased: storage.records(tenant_id, RecordKind::Driver).await?.len(),
        ..Ended::default()
    };
    ended.records_deleted = erase_people(storage, tenant_id).await?;
    // The API's kept responses may name the people just erased.
    designa::app::idempotency::erase_replays(storage, tenant_id, clock.now()).await?;
    match ending {
        Ending::ByRetention => {
            let at = epoch_after(clock.now(), ENDED_ENTITY_DAYS);
            expire_records(storage, tenant_id, &[RecordKind::Entity], at).await?;
            ended.entities_kept_days = ENDED_ENTITY_DAYS;
        }
        Ending::AtOnce => {
            let now = clock.now().timestamp();
            ended.notices_expired = expire_notices(storage, tenant_id, now).await?;
            ended.records_expired =
                expire_records(storage, tenant_id, &RecordKind::ALL, now).await?;
        }
    }
    Ok(ended)
}

/// An answer waiting for its batch, or sent and not yet acknowledged, must
/// reach ANTAI: erasing it now would leave the company to pay the fine.
async fn refuse_while_answers_travel(storage: &impl Storage, tenant_id: &TenantId) -> Result<()> {
    let travelling: Vec<String> = storage
        .tenant_notices(&tenant_id.0)
        .await?
        .into_iter()
        .filter(|n| {
            n.answer.as_ref().is_some_and(|a| {
                matches!(
                    a.state,
                    AnswerState::Pending | AnswerState::Sent | AnswerState::InProgress
                )
            })
        })
        .map(|n| n.notice.notice_number)
        .collect();
    if !travelling.is_empty() {
        bail!(
            "{} answer(s) still on their way to ANTAI ({}): run again once they are acknowledged",
            travelling.len(),
            travelling.join(", ")
        );
    }
    Ok(())
}

async fn remove_fleet(
    storage: &impl Storage,
    clock: &impl Clock,
    tenant_id: &TenantId,
) -> Result<usize> {
    let fleet = storage.vehicles(tenant_id).await?;
    for vehicle in &fleet {
        remove_vehicle(storage, clock, vehicle).await?;
    }
    Ok(fleet.len())
}

/// Disabled first, so that no sign-in slips in while the rest is erased.
async fn erase_users<S: Storage + SubjectKeys>(
    storage: &S,
    identity: &impl IdentityProvider,
    tenant_id: &TenantId,
) -> Result<usize> {
    let users = storage.users(tenant_id).await?;
    for user in &users {
        identity.set_enabled(&user.email, false).await?;
        identity.remove(&user.email).await?;
        storage.delete_user(tenant_id, &user.user_id).await?;
        storage
            .erase_subject_key(&Subject::user(tenant_id, &user.user_id))
            .await?;
    }
    Ok(users.len())
}

/// Drivers, assignments, preferences and invitations; a driver's key goes
/// before its record, so a run cut short leaves nothing readable.
async fn erase_people<S: Storage + SubjectKeys>(
    storage: &S,
    tenant_id: &TenantId,
) -> Result<usize> {
    let mut deleted = 0;
    for kind in PEOPLE {
        for record in storage.records(tenant_id, kind).await? {
            if kind == RecordKind::Driver {
                storage
                    .erase_subject_key(&Subject::driver(tenant_id, &record.id))
                    .await?;
            }
            storage.delete_record(tenant_id, kind, &record.id).await?;
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// Sets every record of these kinds to expire at `at` (epoch seconds),
/// unless it expires sooner already.
async fn expire_records(
    storage: &impl Storage,
    tenant_id: &TenantId,
    kinds: &[RecordKind],
    at: i64,
) -> Result<usize> {
    let mut expired = 0;
    for &kind in kinds {
        for mut record in storage.records(tenant_id, kind).await? {
            if record.expires_at.is_some_and(|e| e <= at) {
                continue;
            }
            record.expires_at = Some(at);
            let expected = record.version;
            record.version += 1;
            // A record changed meanwhile is left for the next run.
            if storage
                .put_record(tenant_id, kind, &record, Some(expected))
                .await?
            {
                expired += 1;
            }
        }
    }
    Ok(expired)
}

async fn expire_notices<S: Storage + AnswerStore>(
    storage: &S,
    tenant_id: &TenantId,
    at: i64,
) -> Result<usize> {
    let mut expired = 0;
    for notice in storage.tenant_notices(&tenant_id.0).await? {
        let number = &notice.notice.notice_number;
        let changed = update_notice(storage, number, |n| {
            let sooner = n.leaves_at.is_none_or(|l| l > at);
            if sooner {
                n.leaves_at = Some(at);
            }
            sooner
        })
        .await?;
        if changed.is_some_and(|(written, _)| written) {
            expired += 1;
        }
    }
    Ok(expired)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Days, TimeZone, Utc};
    use designa::answering::{submit, Submission};
    use designa::domain::answer::{AnswerBody, OtherAnswer};
    use designa::domain::tenant::{Tenant, TenantSettings, User};
    use designa::domain::{Notice, NoticeStatus, Offence, Plate, Scale};
    use designa::memory::{FixedClock, MemoryIdentity, MemoryKeyVault, MemoryStorage};
    use designa::ports::{FleetStore, Invitation, NoticeStore, RecordStore, TenantStore};
    use designa::privacy::sealing::Sealing;
    use designa::store::{Record, StoredNotice, Vehicle};
    use serde_json::json;
    use std::sync::Arc;

    type Sealed = Sealing<Arc<MemoryStorage>, Arc<MemoryKeyVault>>;

    struct Customer {
        vault: Arc<MemoryKeyVault>,
        storage: Sealed,
        identity: MemoryIdentity,
        clock: FixedClock,
    }

    fn tenant() -> TenantId {
        "transports-exemple".into()
    }

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
    }

    fn notice(number: &str) -> StoredNotice {
        let issued = paris_date(now()) - Days::new(10);
        let notice = Notice {
            notice_number: number.into(),
            plate: Plate::parse("AB-123-CD", "FRA").unwrap(),
            make: "RENAULT".into(),
            model: "KANGOO".into(),
            offence_at: designa::domain::time::paris_datetime(issued, 8, 30),
            offence: Offence {
                natinf_code: 11300,
                label: "Excès de vitesse < 20 km/h".into(),
            },
            scale: Scale {
                class: 4,
                fixed_amount_cents: 13500,
                reduced_amount_cents: Some(9000),
                points: Some(1),
            },
            issued_on: issued,
        };
        StoredNotice::routed(
            notice,
            tenant(),
            "e-siege".into(),
            "v-1".into(),
            now(),
            "inbound/test.txt".into(),
        )
    }

    /// A customer with an admin, an entity, a driver assigned to a vehicle,
    /// two notices (one with an answer sold-vehicle waiting in its window)
    /// and a journal entry.
    async fn customer() -> Customer {
        let table = Arc::new(MemoryStorage::default());
        table.set_now(now());
        let vault = Arc::new(MemoryKeyVault::default());
        let c = Customer {
            storage: Sealing::new(table, vault.clone()),
            vault,
            identity: MemoryIdentity::default(),
            clock: FixedClock::at(now()),
        };
        let t = tenant();
        c.storage
            .create_tenant(&Tenant {
                tenant_id: t.clone(),
                name: "Transports Exemple".into(),
                settings: TenantSettings::default(),
                ended_on: None,
            })
            .await
            .unwrap();
        let invitation = Invitation {
            email: "admin@example.com".into(),
            first_name: "Alex".into(),
            last_name: "Fictif".into(),
            tenant_id: t.clone(),
        };
        let admin = c.identity.invite(&invitation).await.unwrap().unwrap();
        let user = User {
            tenant_id: t.clone(),
            user_id: admin.user_id,
            email: invitation.email,
            first_name: "Alex".into(),
            last_name: "Fictif".into(),
            active: true,
            grants: Vec::new(),
            sealed: None,
        };
        c.storage.put_user(&user).await.unwrap();
        let records = [
            (RecordKind::Entity, "e-siege", json!({ "name": "Siège" })),
            (
                RecordKind::Driver,
                "d-1",
                json!({ "first_name": "Camille", "last_name": "Exemple" }),
            ),
            (
                RecordKind::Assignment,
                "a-1",
                json!({ "driver_id": "d-1", "vehicle_id": "v-1" }),
            ),
        ];
        for (kind, id, data) in records {
            let record = Record::new(id, 1, &data);
            assert!(c.storage.put_record(&t, kind, &record, None).await.unwrap());
        }
        let vehicle = Vehicle {
            tenant_id: t.clone(),
            entity_id: "e-siege".into(),
            vehicle_id: "v-1".into(),
            plate: Plate::parse("AB-123-CD", "FRA").unwrap(),
            make: "RENAULT".into(),
            model: "KANGOO".into(),
            entry_on: paris_date(now()) - Days::new(400),
            exit_on: None,
            pool: false,
            removed_on: None,
        };
        c.storage
            .put_vehicle(&vehicle, now())
            .await
            .unwrap()
            .unwrap();
        let mut answered = notice("N0002");
        let sold = Submission {
            body: AnswerBody::Other(OtherAnswer::VehicleSold {
                on: paris_date(now()) - Days::new(20),
            }),
            driver_id: None,
            by: user.user_id.clone(),
            notify_driver: Some(false),
        };
        submit(&mut answered, sold, &TenantSettings::default(), now()).unwrap();
        c.storage
            .put_notices(&[notice("N0001"), answered])
            .await
            .unwrap();
        designa::app::journal::append(
            &c.storage,
            &t,
            now(),
            &user.user_id,
            "read",
            "driver:d-1".into(),
            "req-1",
        )
        .await
        .unwrap();
        c
    }

    #[tokio::test]
    async fn an_ended_contract_declares_its_fleet_s_exit_erases_its_people_and_keeps_the_proof() {
        let c = customer().await;
        let t = tenant();
        let driver_key = |vault: &MemoryKeyVault| {
            let keys = vault.wrapped.lock().unwrap();
            keys.keys()
                .any(|k| k.contains("driver") && k.contains("d-1"))
        };
        assert!(
            driver_key(&c.vault),
            "the driver is sealed under its own key"
        );
        let ended = end_tenant(&c.storage, &c.identity, &c.clock, &t, Ending::ByRetention)
            .await
            .unwrap();
        assert_eq!(
            (
                ended.vehicles_removed,
                ended.users_erased,
                ended.drivers_erased
            ),
            (1, 1, 1)
        );
        assert_eq!(ended.records_deleted, 2, "the driver and the assignment");

        // The plate leaves the next daily declaration, routing keeps its grace.
        assert!(c.storage.vehicles(&t).await.unwrap().is_empty());
        let changed = c
            .storage
            .vehicles_changed_since(Some(now() - Days::new(1)))
            .await
            .unwrap();
        let exit = changed
            .iter()
            .find(|(v, _)| v.vehicle_id == "v-1")
            .expect("declared");
        assert_eq!(exit.0.removed_on, Some(paris_date(now())));
        // Nobody can sign in, and nothing of a person reads any more.
        assert!(c.identity.identities.lock().unwrap().is_empty());
        assert!(c
            .identity
            .disabled
            .lock()
            .unwrap()
            .contains("admin@example.com"));
        assert!(c.storage.users(&t).await.unwrap().is_empty());
        assert!(c
            .storage
            .records(&t, RecordKind::Driver)
            .await
            .unwrap()
            .is_empty());
        assert!(!driver_key(&c.vault), "the driver's key is erased");
        // The proof stays by its rules; the entities outlive it; the id is kept.
        assert_eq!(c.storage.tenant_notices(&t.0).await.unwrap().len(), 2);
        assert_eq!(
            designa::app::journal::entries(&c.storage, &t)
                .await
                .unwrap()
                .len(),
            1
        );
        let entity = c
            .storage
            .record(&t, RecordKind::Entity, "e-siege")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            entity.expires_at,
            Some(epoch_after(now(), ENDED_ENTITY_DAYS))
        );
        let stored = c.storage.tenant(&t).await.unwrap().unwrap();
        assert_eq!(stored.ended_on, Some(paris_date(now())));

        let reuse = crate::onboarding::NewTenant {
            tenant_id: t.0.clone(),
            name: "Transports Exemple".into(),
            admin_email: "new@example.com".into(),
            admin_first_name: "Dominique".into(),
            admin_last_name: "Fictif".into(),
        };
        let mailer = designa::memory::MemoryMailer::default();
        let refused = crate::onboarding::create_tenant(
            &c.storage,
            &c.identity,
            &mailer,
            &c.clock,
            "https://app.example",
            &reuse,
        )
        .await
        .unwrap_err();
        assert!(
            refused.to_string().contains("ended on 2026-11-20"),
            "{refused}"
        );

        let again = end_tenant(&c.storage, &c.identity, &c.clock, &t, Ending::ByRetention)
            .await
            .unwrap();
        assert_eq!(
            again,
            Ended {
                entities_kept_days: ENDED_ENTITY_DAYS,
                ..Ended::default()
            }
        );
    }

    #[tokio::test]
    async fn at_once_waits_for_the_answers_on_their_way_then_everything_expires_now() {
        let c = customer().await;
        let t = tenant();
        let refused = end_tenant(&c.storage, &c.identity, &c.clock, &t, Ending::AtOnce)
            .await
            .unwrap_err()
            .to_string();
        assert!(refused.contains("N0002"), "{refused}");
        assert_eq!(
            c.storage.tenant(&t).await.unwrap().unwrap().ended_on,
            None,
            "nothing done"
        );

        update_notice(&c.storage, "N0002", |n| {
            n.answer.as_mut().unwrap().state = AnswerState::Acknowledged;
            n.status = NoticeStatus::Acknowledged;
            true
        })
        .await
        .unwrap();
        let ended = end_tenant(&c.storage, &c.identity, &c.clock, &t, Ending::AtOnce)
            .await
            .unwrap();
        assert_eq!((ended.notices_expired, ended.vehicles_removed), (2, 1));
        assert!(
            ended.records_expired >= 2,
            "the entity and the journal: {ended:?}"
        );
        // Reads treat them as gone now; the TTL and the purge follow.
        assert!(c.storage.tenant_notices(&t.0).await.unwrap().is_empty());
        assert!(c
            .storage
            .records(&t, RecordKind::Journal)
            .await
            .unwrap()
            .is_empty());
        assert!(c
            .storage
            .records(&t, RecordKind::Entity)
            .await
            .unwrap()
            .is_empty());
        let settings = c.storage.tenant(&t).await.unwrap().unwrap().settings;
        assert_eq!(
            settings.smart_exit_grace_days, 0,
            "routing stops with the day"
        );
    }
}
