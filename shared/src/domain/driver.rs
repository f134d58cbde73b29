//! Drivers: the people a notice can designate. Names, a postal address
//! (French or foreign) and optional e-mails; never licence data, which is
//! neither needed nor allowed.

use super::address::PostalAddress;
use super::address::{check_address, REQUIRED};
use super::answer::DesignatedDriver;
use super::ids::{EntityId, TenantId};
use super::reason::ReasonCode;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Driver {
    pub tenant_id: TenantId,
    pub entity_id: EntityId,
    pub driver_id: String,
    pub last_name: String,
    pub first_name: String,
    pub address: PostalAddress,
    pub personal_email: Option<String>,
    pub professional_email: Option<String>,
    /// Processing restricted at the driver's request (GDPR art. 18): kept,
    /// but never designated, suggested or exported until lifted.
    #[serde(default)]
    pub restricted: bool,
    /// The driver objected to processing based on the company's legitimate
    /// interest (GDPR art. 21): never designated automatically from the
    /// planning; a manager still designates by hand (a legal obligation).
    #[serde(default)]
    pub objected: bool,
}

/// One faulty field of a driver.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{field} : {reason}")]
pub struct DriverFieldError {
    pub field: &'static str,
    pub code: ReasonCode,
    /// In French, for the person who typed it.
    pub reason: String,
}

fn field_error(
    field: &'static str,
    code: ReasonCode,
    reason: impl Into<String>,
) -> DriverFieldError {
    DriverFieldError {
        field,
        code,
        reason: reason.into(),
    }
}

/// A plausible e-mail address: one `@`, a local part, a dotted domain, no spaces.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
        && email.len() <= 254
}

impl Driver {
    /// Every problem of the driver's fields (empty when fine).
    pub fn check(&self) -> Vec<DriverFieldError> {
        let mut errors = Vec::new();
        for (field, value) in [
            ("last_name", &self.last_name),
            ("first_name", &self.first_name),
        ] {
            if value.trim().is_empty() {
                errors.push(field_error(field, ReasonCode::Required, REQUIRED));
            } else if value.chars().count() > 80
                || value.chars().any(|c| c.is_control() || c.is_ascii_digit())
            {
                errors.push(field_error(
                    field,
                    ReasonCode::NotAName,
                    format!("« {} » n'est pas un nom.", value.trim()),
                ));
            }
        }
        errors.extend(check_address(&self.address).into_iter().map(|e| {
            let field = match e.field {
                "line1" => "address.line1",
                "postcode" => "address.postcode",
                "city" => "address.city",
                "country" => "address.country",
                other => other,
            };
            field_error(field, e.code, e.reason)
        }));
        for (field, email) in [
            ("personal_email", &self.personal_email),
            ("professional_email", &self.professional_email),
        ] {
            if let Some(email) = email.as_deref().filter(|e| !is_plausible_email(e)) {
                errors.push(field_error(
                    field,
                    ReasonCode::InvalidEmail,
                    format!("« {email} » n'est pas une adresse e-mail."),
                ));
            }
        }
        errors
    }

    /// The driver as designated in an answer.
    pub fn designated(&self) -> DesignatedDriver {
        DesignatedDriver {
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            address: self.address.clone(),
            personal_email: self.personal_email.clone(),
            professional_email: self.professional_email.clone(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn driver() -> Driver {
        Driver {
            tenant_id: "acme".into(),
            entity_id: "e-lyon".into(),
            driver_id: "d1".into(),
            last_name: "Exemple".into(),
            first_name: "Camille".into(),
            address: PostalAddress {
                line1: "3 rue Fictive".into(),
                line2: None,
                postcode: "69003".into(),
                city: "Lyon".into(),
                country: "FRA".into(),
            },
            personal_email: None,
            professional_email: Some("camille.exemple@acme.example".into()),
            restricted: false,
            objected: false,
        }
    }

    #[test]
    fn a_complete_driver_passes() {
        assert_eq!(driver().check(), vec![]);
    }

    #[test]
    fn each_problem_names_its_field() {
        let mut d = driver();
        d.last_name = " ".into();
        d.first_name = "C4mille".into();
        d.address.postcode = "6900".into();
        d.personal_email = Some("camille at home".into());
        let fields: Vec<&str> = d.check().iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "last_name",
                "first_name",
                "address.postcode",
                "personal_email"
            ]
        );
    }

    #[test]
    fn e_mail_shapes() {
        for ok in ["a@b.fr", "prenom.nom+tag@sous.domaine.example"] {
            assert!(is_plausible_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.fr", "a@@b.fr", "a@.fr", "a @b.fr", "a@b.fr.",
        ] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }
}
