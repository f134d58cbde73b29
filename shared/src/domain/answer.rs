//! Answers to a notice: designate the driver, or answer otherwise.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A postal address, French or foreign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress {
    pub line1: String,
    pub line2: Option<String>,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-3, `FRA` for France.
    pub country: String,
}

/// The person designated as the driver. Never licence data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignatedDriver {
    pub last_name: String,
    pub first_name: String,
    pub address: PostalAddress,
    pub personal_email: Option<String>,
    pub professional_email: Option<String>,
}

/// Every answer other than a designation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum OtherAnswer {
    VehicleSold {
        on: NaiveDate,
    },
    VehicleReturned {
        on: NaiveDate,
    },
    VehicleStolen {
        on: NaiveDate,
        complaint_reference: String,
    },
    VehicleUnknown,
    Error {
        justification: String,
    },
    PlateUsurpation {
        details: String,
    },
    PaperNoticeRequested,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerBody {
    Designation(DesignatedDriver),
    Other(OtherAnswer),
}
