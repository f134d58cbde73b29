//! Tenants (customer accounts) and their users.

use super::access::Grant;
use super::ids::TenantId;
use serde::{Deserialize, Serialize};

/// Settings a tenant's admins may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantSettings {
    /// Hours an answer stays editable before it is sent.
    pub answer_grace_hours: u32,
    /// Days after a fleet exit during which older offences are still routed.
    pub smart_exit_grace_days: u32,
    /// Designate automatically when exactly one driver was assigned.
    pub auto_designation: bool,
    /// Tell the designated driver by e-mail once ANTAI acknowledged the
    /// answer (each answer may say otherwise).
    #[serde(default)]
    pub notify_driver_on_acknowledgement: bool,
    /// Days after its arrival an unanswered notice is reminded of.
    #[serde(default = "default_remind_open_after_days")]
    pub remind_open_after_days: u32,
    /// Minutes without activity after which the web app signs its user out.
    #[serde(default = "default_session_idle_minutes")]
    pub session_idle_minutes: u32,
    /// Users without a second factor (TOTP) are held to its enrolment: the
    /// API refuses their calls (code `second_factor_required`) but `/me`.
    #[serde(default)]
    pub second_factor_required: bool,
}

fn default_session_idle_minutes() -> u32 {
    DEFAULT_SESSION_IDLE_MINUTES
}

pub const DEFAULT_SESSION_IDLE_MINUTES: u32 = 30;
/// The shortest and longest idle times a tenant may choose.
pub const SESSION_IDLE_MINUTES: std::ops::RangeInclusive<u32> = 5..=240;

fn default_remind_open_after_days() -> u32 {
    DEFAULT_REMIND_OPEN_AFTER_DAYS
}

pub const DEFAULT_REMIND_OPEN_AFTER_DAYS: u32 = 7;

impl Default for TenantSettings {
    fn default() -> Self {
        TenantSettings {
            answer_grace_hours: 4,
            smart_exit_grace_days: super::routing::DEFAULT_SMART_EXIT_GRACE_DAYS,
            auto_designation: false,
            notify_driver_on_acknowledgement: false,
            remind_open_after_days: DEFAULT_REMIND_OPEN_AFTER_DAYS,
            session_idle_minutes: DEFAULT_SESSION_IDLE_MINUTES,
            second_factor_required: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub tenant_id: TenantId,
    pub name: String,
    pub settings: TenantSettings,
    /// The day (Paris) an operator ended the customer's contract
    /// (`end-tenant`); the tenant's id is never given to another customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<chrono::NaiveDate>,
}

/// A user of a tenant; `user_id` is the identity provider's subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub tenant_id: TenantId,
    pub user_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub active: bool,
    pub grants: Vec<Grant>,
    /// As stored: the names and e-mail sealed under the user's data key
    /// (`privacy::sealing`), those fields then blank. Always `None` as read
    /// through the sealing store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<super::subject::SealedBox>,
}

/// A tenant id: 3 to 40 lower-case letters, digits or dashes, not at the ends.
pub fn is_valid_tenant_id(id: &str) -> bool {
    (3..=40).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids() {
        for ok in ["acme", "transports-exemple", "t-01"] {
            assert!(is_valid_tenant_id(ok), "{ok}");
        }
        for bad in [
            "",
            "ab",
            "Acme",
            "acme_sa",
            "-acme",
            "acme-",
            "a".repeat(41).as_str(),
        ] {
            assert!(!is_valid_tenant_id(bad), "{bad}");
        }
    }
}
