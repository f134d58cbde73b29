//! The routing rule: a notice belongs to the tenant whose fleet held the plate
//! at the offence time.
//!
//! A holding is one period during which a tenant manages a plate, from its
//! fleet entry date to its exit date (both Paris calendar days, inclusive:
//! the exit date is the last day under management, ANTAI's `date_fin_gestion`).
//! *Smart exit*: a notice for an offence committed before the exit is still
//! routed if it is received up to `grace_days` after the exit date.

use super::ids::{EntityId, TenantId};
use super::notice::Notice;
use super::time::paris_date;
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Default smart-exit grace, in days after the exit date.
pub const DEFAULT_SMART_EXIT_GRACE_DAYS: u32 = 60;

/// One period during which a tenant's fleet holds a plate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    pub tenant_id: TenantId,
    pub entity_id: EntityId,
    pub vehicle_id: String,
    pub entry_on: NaiveDate,
    pub exit_on: Option<NaiveDate>,
    /// The day its vehicle was removed from the fleet: the holding routes
    /// older offences through the smart-exit grace, then disappears, and a
    /// vehicle of the same tenant entered again over its period replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_on: Option<NaiveDate>,
}

impl Holding {
    /// Both periods cover a common day other than a hand-over day (one's
    /// exit day being the other's entry day, where the newer holder wins).
    pub fn overlaps(&self, other: &Holding) -> bool {
        let ends = |h: &Holding| h.exit_on.unwrap_or(NaiveDate::MAX);
        self.entry_on == other.entry_on
            || (self.entry_on < ends(other) && other.entry_on < ends(self))
    }

    fn is_of(&self, other: &Holding) -> bool {
        self.tenant_id == other.tenant_id && self.vehicle_id == other.vehicle_id
    }
}

/// Why a plate cannot be held over a period (for logs and operators: the
/// API says it in French, without naming the other tenant).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoldingConflict {
    /// Another vehicle of the same tenant holds the plate over part of it.
    #[error("vehicle {vehicle_id} of the same tenant holds the plate over that period")]
    SameTenant { vehicle_id: String },
    /// Another tenant holds the plate over part of it: its notices would
    /// go to the wrong customer (never shown to the claimant).
    #[error("tenant {} holds the plate over that period", tenant_id.0)]
    OtherTenant { tenant_id: TenantId },
}

/// Places `candidate` among a plate's holdings, replacing its vehicle's
/// earlier one: one holder per plate and day, so a notice has one owner.
/// Returns the removed holdings of the same tenant it replaces (their
/// vehicles are gone for good), or the conflict that refuses it. Run under
/// the one condition that guards the plate's holdings, so that two writers
/// never both succeed.
pub fn place_holding(
    holdings: &mut Vec<Holding>,
    candidate: Holding,
) -> Result<Vec<Holding>, HoldingConflict> {
    let others = holdings.iter().filter(|h| !h.is_of(&candidate));
    let replaced = |h: &&Holding| h.tenant_id == candidate.tenant_id && h.removed_on.is_some();
    if let Some(held) = others
        .filter(|h| h.overlaps(&candidate))
        .find(|h| !replaced(h))
    {
        return Err(if held.tenant_id == candidate.tenant_id {
            HoldingConflict::SameTenant {
                vehicle_id: held.vehicle_id.clone(),
            }
        } else {
            HoldingConflict::OtherTenant {
                tenant_id: held.tenant_id.clone(),
            }
        });
    }
    let (superseded, kept): (Vec<Holding>, Vec<Holding>) = std::mem::take(holdings)
        .into_iter()
        .filter(|h| !h.is_of(&candidate))
        .partition(|h| h.overlaps(&candidate) && replaced(&h));
    *holdings = kept;
    holdings.push(candidate);
    holdings.sort_by_key(|h| h.entry_on);
    Ok(superseded)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingPolicy {
    pub smart_exit_grace_days: u32,
}

impl Default for RoutingPolicy {
    fn default() -> Self {
        RoutingPolicy {
            smart_exit_grace_days: DEFAULT_SMART_EXIT_GRACE_DAYS,
        }
    }
}

/// Where a notice goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Routed {
        tenant_id: TenantId,
        entity_id: EntityId,
        vehicle_id: String,
    },
    Unrouted(UnroutedReason),
}

/// Why a notice could not be given to any tenant. Recorded for operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UnroutedReason {
    /// No fleet has ever declared this plate.
    UnknownPlate,
    /// Fleets hold the plate, but none did on the offence day (before entry).
    OffenceBeforeEntry,
    /// The offence happened after the plate left the fleet.
    OffenceAfterExit,
    /// The offence was during the holding, but the notice came after the
    /// smart-exit grace period.
    ReceivedAfterGrace,
}

impl UnroutedReason {
    pub fn describe(&self) -> &'static str {
        match self {
            UnroutedReason::UnknownPlate => "no fleet holds this plate",
            UnroutedReason::OffenceBeforeEntry => "the offence precedes the plate's fleet entry",
            UnroutedReason::OffenceAfterExit => "the offence follows the plate's fleet exit",
            UnroutedReason::ReceivedAfterGrace => {
                "the notice arrived after the smart-exit grace period"
            }
        }
    }
}

/// Applies the routing rule to one notice, given every holding of its plate
/// (all tenants, all periods) and the time the notice was received.
pub fn route(
    notice: &Notice,
    holdings: &[Holding],
    received_at: DateTime<Utc>,
    policy: RoutingPolicy,
) -> Route {
    route_by_tenant(notice, holdings, received_at, |_| policy)
}

/// `route`, each holding's smart-exit grace being its tenant's setting.
pub fn route_by_tenant(
    notice: &Notice,
    holdings: &[Holding],
    received_at: DateTime<Utc>,
    policy_of: impl Fn(&TenantId) -> RoutingPolicy,
) -> Route {
    if holdings.is_empty() {
        return Route::Unrouted(UnroutedReason::UnknownPlate);
    }
    let offence_day = notice.offence_at.date_naive();
    let received_day = paris_date(received_at);
    let covering = holdings
        .iter()
        .filter(|h| h.entry_on <= offence_day && h.exit_on.is_none_or(|exit| offence_day <= exit))
        // On a hand-over day two fleets may both cover the offence: the newer holder wins.
        .max_by_key(|h| h.entry_on);
    let Some(holding) = covering else {
        let after_exit = holdings
            .iter()
            .any(|h| h.exit_on.is_some_and(|exit| exit < offence_day));
        return Route::Unrouted(if after_exit {
            UnroutedReason::OffenceAfterExit
        } else {
            UnroutedReason::OffenceBeforeEntry
        });
    };
    if let Some(exit) = holding.exit_on {
        let grace = policy_of(&holding.tenant_id).smart_exit_grace_days;
        let grace_end = exit
            .checked_add_days(Days::new(grace.into()))
            .unwrap_or(NaiveDate::MAX);
        if received_day > grace_end {
            return Route::Unrouted(UnroutedReason::ReceivedAfterGrace);
        }
    }
    Route::Routed {
        tenant_id: holding.tenant_id.clone(),
        entity_id: holding.entity_id.clone(),
        vehicle_id: holding.vehicle_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::notice::{Offence, Scale};
    use crate::domain::plate::Plate;
    use crate::domain::time::parse_paris_datetime;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn notice(offence: &str) -> Notice {
        Notice {
            notice_number: "1234567890".into(),
            plate: Plate::parse("AB-123-CD", "FRA").unwrap(),
            make: "RENAULT".into(),
            model: "CLIO".into(),
            offence_at: parse_paris_datetime(offence).unwrap(),
            offence: Offence {
                natinf_code: 11300,
                label: "EXCES DE VITESSE".into(),
            },
            scale: Scale {
                class: 4,
                fixed_amount_cents: 13500,
                reduced_amount_cents: Some(9000),
                points: Some(1),
            },
            issued_on: day(2026, 3, 2),
        }
    }

    fn holding(tenant: &str, entry: NaiveDate, exit: Option<NaiveDate>) -> Holding {
        Holding {
            tenant_id: TenantId(tenant.into()),
            entity_id: EntityId(format!("{tenant}-hq")),
            vehicle_id: format!("{tenant}-v1"),
            entry_on: entry,
            exit_on: exit,
            removed_on: None,
        }
    }

    fn received(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
    }

    fn tenant_of(r: &Route) -> Option<&str> {
        match r {
            Route::Routed { tenant_id, .. } => Some(&tenant_id.0),
            Route::Unrouted(_) => None,
        }
    }

    #[test]
    fn the_holder_at_offence_time_gets_the_notice() {
        let hs = [
            holding("acme", day(2024, 1, 1), Some(day(2026, 1, 31))),
            holding("globex", day(2026, 2, 1), None),
        ];
        let r = route(
            &notice("15/01/2026 09:00:00"),
            &hs,
            received(2026, 2, 10),
            RoutingPolicy::default(),
        );
        assert_eq!(tenant_of(&r), Some("acme"));
        let r = route(
            &notice("15/02/2026 09:00:00"),
            &hs,
            received(2026, 2, 20),
            RoutingPolicy::default(),
        );
        assert_eq!(tenant_of(&r), Some("globex"));
    }

    #[test]
    fn smart_exit_grace_is_inclusive_and_configurable() {
        let hs = [holding("acme", day(2024, 1, 1), Some(day(2026, 1, 31)))];
        let n = notice("30/01/2026 23:30:00");
        // Exit 31 Jan + 60 days = 1 April (last day of grace).
        let r = route(&n, &hs, received(2026, 4, 1), RoutingPolicy::default());
        assert_eq!(tenant_of(&r), Some("acme"));
        let r = route(&n, &hs, received(2026, 4, 2), RoutingPolicy::default());
        assert_eq!(r, Route::Unrouted(UnroutedReason::ReceivedAfterGrace));
        let longer = RoutingPolicy {
            smart_exit_grace_days: 90,
        };
        assert_eq!(
            tenant_of(&route(&n, &hs, received(2026, 4, 2), longer)),
            Some("acme")
        );
    }

    #[test]
    fn offences_outside_every_holding_are_not_routed() {
        let hs = [holding("acme", day(2025, 6, 1), Some(day(2026, 1, 31)))];
        let after = route(
            &notice("01/02/2026 00:10:00"),
            &hs,
            received(2026, 2, 5),
            RoutingPolicy::default(),
        );
        assert_eq!(after, Route::Unrouted(UnroutedReason::OffenceAfterExit));
        let before = route(
            &notice("31/05/2025 23:59:00"),
            &hs,
            received(2026, 2, 5),
            RoutingPolicy::default(),
        );
        assert_eq!(before, Route::Unrouted(UnroutedReason::OffenceBeforeEntry));
        let unknown = route(
            &notice("01/02/2026 00:10:00"),
            &[],
            received(2026, 2, 5),
            RoutingPolicy::default(),
        );
        assert_eq!(unknown, Route::Unrouted(UnroutedReason::UnknownPlate));
    }

    #[test]
    fn offence_day_is_the_paris_day_not_the_utc_day() {
        // 00:30 Paris on 1 Feb is still 31 Jan in UTC: the Paris day decides.
        let hs = [holding("acme", day(2025, 6, 1), Some(day(2026, 1, 31)))];
        let r = route(
            &notice("01/02/2026 00:30:00"),
            &hs,
            received(2026, 2, 5),
            RoutingPolicy::default(),
        );
        assert_eq!(r, Route::Unrouted(UnroutedReason::OffenceAfterExit));
    }

    #[test]
    fn on_a_hand_over_day_the_newer_holder_wins() {
        let hs = [
            holding("acme", day(2024, 1, 1), Some(day(2026, 2, 1))),
            holding("globex", day(2026, 2, 1), None),
        ];
        let r = route(
            &notice("01/02/2026 12:00:00"),
            &hs,
            received(2026, 2, 5),
            RoutingPolicy::default(),
        );
        assert_eq!(tenant_of(&r), Some("globex"));
    }

    fn of_vehicle(mut h: Holding, vehicle: &str) -> Holding {
        h.vehicle_id = vehicle.into();
        h
    }

    #[test]
    fn a_plate_held_without_exit_by_another_tenant_is_refused() {
        let mut hs = vec![holding("acme", day(2025, 1, 1), None)];
        let claim = of_vehicle(holding("globex", day(2026, 3, 1), None), "v2");
        let refused = place_holding(&mut hs, claim);
        assert_eq!(
            refused,
            Err(HoldingConflict::OtherTenant {
                tenant_id: TenantId("acme".into())
            })
        );
        assert_eq!(hs.len(), 1, "nothing is written on a refusal");
    }

    #[test]
    fn a_hand_over_after_the_exit_or_on_the_exit_day_is_accepted() {
        let mut hs = vec![holding("acme", day(2025, 1, 1), Some(day(2026, 2, 28)))];
        let next_day = of_vehicle(holding("globex", day(2026, 3, 1), None), "v2");
        assert_eq!(place_holding(&mut hs.clone(), next_day), Ok(vec![]));
        let same_day = of_vehicle(holding("globex", day(2026, 2, 28), None), "v2");
        assert_eq!(place_holding(&mut hs, same_day), Ok(vec![]));
        assert_eq!(hs.len(), 2);
        let overlapping = of_vehicle(holding("initech", day(2026, 2, 1), None), "v3");
        assert!(place_holding(&mut hs, overlapping).is_err());
    }

    #[test]
    fn a_second_vehicle_of_the_same_tenant_on_the_same_plate_is_refused() {
        let mut hs = vec![holding("acme", day(2025, 1, 1), None)];
        let twin = of_vehicle(holding("acme", day(2025, 1, 1), None), "v2");
        assert_eq!(
            place_holding(&mut hs, twin),
            Err(HoldingConflict::SameTenant {
                vehicle_id: "acme-v1".into()
            })
        );
    }

    #[test]
    fn a_vehicle_replaces_its_own_earlier_holding() {
        let mut hs = vec![holding("acme", day(2025, 1, 1), None)];
        let moved = holding("acme", day(2025, 6, 1), Some(day(2026, 1, 1)));
        assert_eq!(place_holding(&mut hs, moved.clone()), Ok(vec![]));
        assert_eq!(hs, vec![moved]);
    }

    #[test]
    fn a_removed_vehicle_is_replaced_by_one_entered_again_but_still_blocks_others() {
        let mut removed = holding("acme", day(2025, 1, 1), Some(day(2026, 3, 10)));
        removed.removed_on = Some(day(2026, 3, 10));
        let mut hs = vec![removed.clone()];
        let other_tenant = of_vehicle(holding("globex", day(2026, 3, 1), None), "v2");
        assert!(place_holding(&mut hs, other_tenant).is_err());
        let again = of_vehicle(holding("acme", day(2025, 1, 1), None), "v2");
        assert_eq!(place_holding(&mut hs, again.clone()), Ok(vec![removed]));
        assert_eq!(hs, vec![again]);
    }
}
