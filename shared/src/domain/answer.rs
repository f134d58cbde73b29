//! Answers to a notice: designate the driver, or answer otherwise.

use super::address::{PostalAddress, REQUIRED};
use super::reason::ReasonCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The person designated as the driver. Never licence data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DesignatedDriver {
    pub last_name: String,
    pub first_name: String,
    pub address: PostalAddress,
    pub personal_email: Option<String>,
    pub professional_email: Option<String>,
}

/// Every answer other than a designation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerBody {
    Designation(DesignatedDriver),
    Other(OtherAnswer),
}

impl AnswerBody {
    /// The designated driver's e-mail to tell them, professional first.
    pub fn driver_email(&self) -> Option<&str> {
        match self {
            AnswerBody::Designation(d) => d
                .professional_email
                .as_deref()
                .or(d.personal_email.as_deref()),
            AnswerBody::Other(_) => None,
        }
    }
}

/// Where an answer stands on its way to ANTAI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AnswerState {
    /// In its grace window, or waiting for the next outbound batch.
    Pending,
    /// Written into an outbound file for the relay.
    Sent,
    /// ANTAI said it is processing it.
    InProgress,
    /// ANTAI acknowledged it: the legal duty is met.
    Acknowledged,
    /// ANTAI refused it; the user corrects it and it is sent again.
    InError,
    /// Withdrawn by a user during its grace window.
    Cancelled,
}

/// One step in the life of an answer: the transmission history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AnswerEvent {
    Submitted {
        by: String,
        automatic: bool,
    },
    Edited {
        by: String,
    },
    Cancelled {
        by: String,
    },
    /// Taken into an outbound batch (frozen from then on).
    Batched {
        batch_id: String,
    },
    Sent {
        file_id: String,
        file_key: String,
    },
    InProgress {
        processed_at: DateTime<Utc>,
    },
    Acknowledged {
        processed_at: DateTime<Utc>,
    },
    Rejected {
        processed_at: DateTime<Utc>,
        code: String,
        field: Option<String>,
        label: String,
    },
    DriverTold,
    /// The deadline passed before an acknowledged answer: ANTAI sends the paper notice.
    GoneToPaper,
}

/// A dated event of one transmission (`transmission_id`: `identifiantDesignation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerHistoryEntry {
    pub at: DateTime<Utc>,
    pub transmission_id: String,
    #[serde(flatten)]
    pub event: AnswerEvent,
}

/// The answer given to a notice, with its whole transmission history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub body: AnswerBody,
    /// The driver of the tenant's base this designation was made from.
    pub driver_id: Option<String>,
    pub state: AnswerState,
    /// User id of the last author, or `automatic`.
    pub answered_by: String,
    pub answered_at: DateTime<Utc>,
    /// Until then the answer can be edited or cancelled.
    pub window_ends_at: DateTime<Utc>,
    /// Tell the designated driver by e-mail once acknowledged.
    pub notify_driver: bool,
    /// 1 for the first transmission, one more for each correction.
    pub transmission: u32,
    /// The outbound batch holding the current transmission, once taken.
    pub batch_id: Option<String>,
    pub history: Vec<AnswerHistoryEntry>,
    /// At rest, a designation's driver sealed under the subject's data key
    /// (the body then holds blanks); `None` once opened. Still set after an
    /// opening failed because the subject was erased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<super::subject::SealedBox>,
}

/// Author of answers prepared by automatic designation.
pub const AUTOMATIC: &str = "automatic";

impl Answer {
    /// `identifiantDesignation` of the current transmission.
    pub fn transmission_id(&self, notice_number: &str) -> String {
        transmission_id(notice_number, self.transmission)
    }

    /// Can a user still edit or cancel it?
    pub fn editable(&self, now: DateTime<Utc>) -> bool {
        self.state == AnswerState::Pending && self.batch_id.is_none() && now < self.window_ends_at
    }
}

pub fn transmission_id(notice_number: &str, transmission: u32) -> String {
    format!("{notice_number}-{transmission}")
}

/// One faulty field of an answer: a stable code for programs and a French
/// message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerFieldError {
    pub field: String,
    pub code: ReasonCode,
    pub message: String,
}

fn field_error(field: &str, code: ReasonCode, message: impl Into<String>) -> AnswerFieldError {
    AnswerFieldError {
        field: field.into(),
        code,
        message: message.into(),
    }
}

fn check_text(errors: &mut Vec<AnswerFieldError>, field: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.push(field_error(field, ReasonCode::Required, REQUIRED));
    } else if value.chars().count() > max {
        errors.push(field_error(
            field,
            ReasonCode::TooLong,
            format!("Ce champ dépasse {max} caractères."),
        ));
    } else if value.chars().any(|c| c.is_control()) {
        errors.push(field_error(
            field,
            ReasonCode::ControlCharacter,
            "Ce champ contient un caractère de contrôle.",
        ));
    }
}

/// Every problem of an answer given on `today` (Paris) for an offence of `offence_day`.
pub fn check_answer(
    body: &AnswerBody,
    offence_day: NaiveDate,
    today: NaiveDate,
) -> Vec<AnswerFieldError> {
    let mut errors = Vec::new();
    match body {
        AnswerBody::Designation(d) => {
            for (field, value) in [
                ("driver.last_name", &d.last_name),
                ("driver.first_name", &d.first_name),
            ] {
                check_text(&mut errors, field, value, 80);
                if value.chars().any(|c| c.is_ascii_digit()) {
                    errors.push(field_error(
                        field,
                        ReasonCode::NotAName,
                        "Un nom ne contient pas de chiffres.",
                    ));
                }
            }
            for e in super::address::check_address(&d.address) {
                errors.push(field_error(
                    &format!("driver.address.{}", e.field),
                    e.code,
                    e.reason,
                ));
            }
            for (field, email) in [
                ("driver.personal_email", &d.personal_email),
                ("driver.professional_email", &d.professional_email),
            ] {
                if let Some(email) = email.as_deref() {
                    if !super::driver::is_plausible_email(email) {
                        errors.push(field_error(
                            field,
                            ReasonCode::InvalidEmail,
                            format!("« {email} » n'est pas une adresse e-mail."),
                        ));
                    }
                }
            }
        }
        AnswerBody::Other(other) => match other {
            OtherAnswer::VehicleSold { on } | OtherAnswer::VehicleReturned { on } => {
                // The vehicle left before the offence, or the answer does not hold.
                if *on > offence_day {
                    errors.push(field_error(
                        "on",
                        ReasonCode::AfterOffence,
                        "La date doit précéder ou égaler le jour de l'infraction.",
                    ));
                }
            }
            OtherAnswer::VehicleStolen {
                on,
                complaint_reference,
            } => {
                if *on > offence_day {
                    errors.push(field_error(
                        "on",
                        ReasonCode::AfterOffence,
                        "Le vol doit précéder ou égaler le jour de l'infraction.",
                    ));
                }
                check_text(&mut errors, "complaint_reference", complaint_reference, 64);
            }
            OtherAnswer::Error { justification } => {
                check_text(&mut errors, "justification", justification, 2000)
            }
            OtherAnswer::PlateUsurpation { details } => {
                check_text(&mut errors, "details", details, 2000)
            }
            OtherAnswer::VehicleUnknown | OtherAnswer::PaperNoticeRequested => {}
        },
    }
    if let AnswerBody::Other(
        OtherAnswer::VehicleSold { on }
        | OtherAnswer::VehicleReturned { on }
        | OtherAnswer::VehicleStolen { on, .. },
    ) = body
    {
        if *on > today {
            errors.push(field_error(
                "on",
                ReasonCode::InFuture,
                "La date ne peut pas être dans le futur.",
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn designation() -> DesignatedDriver {
        DesignatedDriver {
            last_name: "Exemple".into(),
            first_name: "Camille".into(),
            address: PostalAddress {
                line1: "1 rue de l'Exemple".into(),
                line2: None,
                postcode: "69003".into(),
                city: "Lyon".into(),
                country: "FRA".into(),
            },
            personal_email: None,
            professional_email: Some("camille.exemple@transports-exemple.example".into()),
        }
    }

    #[test]
    fn a_complete_designation_passes() {
        let body = AnswerBody::Designation(designation());
        assert!(check_answer(&body, day(3), day(10)).is_empty());
        assert_eq!(
            body.driver_email(),
            Some("camille.exemple@transports-exemple.example")
        );
    }

    #[test]
    fn each_bad_field_has_its_code_and_a_french_message() {
        let mut d = designation();
        d.last_name = " ".into();
        d.address.postcode = "6903".into();
        d.personal_email = Some("camille at example".into());
        let errors = check_answer(&AnswerBody::Designation(d), day(3), day(10));
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("driver.last_name", "required"),
                ("driver.address.postcode", "invalid_postcode"),
                ("driver.personal_email", "invalid_email"),
            ]
        );
        assert!(errors[1].message.contains("code postal"));
    }

    #[test]
    fn other_answers_check_their_dates_and_texts() {
        let sold_after = AnswerBody::Other(OtherAnswer::VehicleSold { on: day(5) });
        assert_eq!(
            check_answer(&sold_after, day(3), day(10))[0].code,
            ReasonCode::AfterOffence
        );
        let future = AnswerBody::Other(OtherAnswer::VehicleStolen {
            on: day(12),
            complaint_reference: String::new(),
        });
        let codes: Vec<_> = check_answer(&future, day(20), day(10))
            .iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(codes, [ReasonCode::Required, ReasonCode::InFuture]);
        let error = AnswerBody::Other(OtherAnswer::Error {
            justification: "x".repeat(2001),
        });
        assert_eq!(
            check_answer(&error, day(3), day(10))[0].code,
            ReasonCode::TooLong
        );
        for fine in [
            OtherAnswer::VehicleUnknown,
            OtherAnswer::PaperNoticeRequested,
        ] {
            assert!(check_answer(&AnswerBody::Other(fine), day(3), day(10)).is_empty());
        }
    }
}
