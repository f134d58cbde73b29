//! Checks on postal addresses (drivers, legal entities): the shape of a
//! French address, or a foreign one with its country. Each problem names its
//! field so forms can show it where it belongs.

use super::countries::is_country;
use super::plate::FRANCE;
use super::reason::ReasonCode;
use serde::{Deserialize, Serialize};

/// A postal address, French or foreign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostalAddress {
    pub line1: String,
    pub line2: Option<String>,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-3, `FRA` for France.
    pub country: String,
}

/// One faulty field of an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} : {reason}")]
pub struct AddressError {
    pub field: &'static str,
    pub code: ReasonCode,
    /// In French, for the person who typed it.
    pub reason: String,
}

fn err(field: &'static str, code: ReasonCode, reason: impl Into<String>) -> AddressError {
    AddressError {
        field,
        code,
        reason: reason.into(),
    }
}

/// Every problem of the address (empty when it is fine).
pub fn check_address(a: &PostalAddress) -> Vec<AddressError> {
    let mut errors = Vec::new();
    if a.line1.trim().is_empty() {
        errors.push(err("line1", ReasonCode::Required, REQUIRED));
    }
    for (field, value) in [("line1", &a.line1), ("city", &a.city)] {
        if value.chars().count() > 100 {
            errors.push(err(
                field,
                ReasonCode::TooLong,
                "Ce champ dépasse 100 caractères.",
            ));
        }
    }
    let country = a.country.trim();
    if !is_country(country) {
        errors.push(err(
            "country",
            ReasonCode::InvalidCountry,
            format!("« {country} » n'est pas un code pays ISO à 3 lettres (FRA, BEL, DEU…)."),
        ));
    }
    if a.city.trim().is_empty() {
        errors.push(err("city", ReasonCode::Required, REQUIRED));
    } else if !a.city.chars().all(|c| {
        c.is_alphabetic()
            || matches!(c, ' ' | '-' | '\'' | '’' | '.' | '(' | ')')
            || c.is_ascii_digit()
    }) {
        errors.push(err(
            "city",
            ReasonCode::InvalidCity,
            format!(
                "« {} » contient des caractères qu'un nom de ville n'a pas.",
                a.city.trim()
            ),
        ));
    }
    if country == FRANCE {
        check_french_postcode(&mut errors, a.postcode.trim());
    } else if a.postcode.chars().count() > 12 {
        errors.push(err(
            "postcode",
            ReasonCode::TooLong,
            "Ce champ dépasse 12 caractères.",
        ));
    }
    errors
}

/// The sentence of every required field left empty.
pub const REQUIRED: &str = "Ce champ est obligatoire.";

fn check_french_postcode(errors: &mut Vec<AddressError>, pc: &str) {
    let shape_ok = pc.len() == 5 && pc.bytes().all(|b| b.is_ascii_digit());
    // Departments 01-95, Corsica 20, overseas 97/98; 00 does not exist.
    let department_ok = shape_ok && pc[..2] != *"00" && pc[..2] != *"96" && pc[..2] != *"99";
    if !shape_ok {
        errors.push(err(
            "postcode",
            ReasonCode::InvalidPostcode,
            format!("« {pc} » n'est pas un code postal français (5 chiffres, par exemple 69003)."),
        ));
    } else if !department_ok {
        errors.push(err(
            "postcode",
            ReasonCode::InvalidPostcode,
            format!("« {pc} » ne commence par aucun département français."),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(postcode: &str, city: &str, country: &str) -> PostalAddress {
        PostalAddress {
            line1: "12 rue des Exemples".into(),
            line2: None,
            postcode: postcode.into(),
            city: city.into(),
            country: country.into(),
        }
    }

    #[test]
    fn accepted_addresses() {
        for a in [
            address("69003", "Lyon", "FRA"),
            address("20000", "Ajaccio", "FRA"),
            address("97400", "Saint-Denis", "FRA"),
            address("75001", "Paris 1er", "FRA"),
            address("1000", "Bruxelles", "BEL"),
            address("", "Dublin", "IRL"),
            address("SW1A 1AA", "London", "GBR"),
        ] {
            assert_eq!(check_address(&a), vec![], "{a:?}");
        }
    }

    #[test]
    fn refused_addresses_name_their_fields() {
        use ReasonCode::*;
        let cases = [
            (address("6900", "Lyon", "FRA"), "postcode", InvalidPostcode),
            (address("69A03", "Lyon", "FRA"), "postcode", InvalidPostcode),
            (address("00100", "Lyon", "FRA"), "postcode", InvalidPostcode),
            (address("69003", "", "FRA"), "city", Required),
            (address("69003", "Lyon#3", "FRA"), "city", InvalidCity),
            (
                address("69003", "Lyon", "France"),
                "country",
                InvalidCountry,
            ),
            (
                address("1000", "Bruxelles", "be"),
                "country",
                InvalidCountry,
            ),
            (
                address("1000", "Bruxelles", "XYZ"),
                "country",
                InvalidCountry,
            ),
        ];
        for (a, field, code) in cases {
            let errors = check_address(&a);
            assert_eq!(
                errors.iter().map(|e| (e.field, e.code)).collect::<Vec<_>>(),
                vec![(field, code)],
                "{a:?}"
            );
        }
        let mut blank = address("69003", "Lyon", "FRA");
        blank.line1 = " ".into();
        assert_eq!(
            check_address(&blank)[0].to_string(),
            "line1 : Ce champ est obligatoire."
        );
    }
}
