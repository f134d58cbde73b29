//! French company identifiers: SIREN (the legal unit, 9 digits) and SIRET
//! (one establishment, 14 digits = SIREN + 5). Both end with a Luhn check
//! digit; La Poste's establishments are the known exception (digit sum
//! divisible by 5), as INSEE documents.

use super::reason::ReasonCode;
use serde::{Deserialize, Serialize};

/// La Poste's SIREN, whose SIRETs follow the digit-sum rule.
const LA_POSTE_SIREN: &str = "356000000";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompanyIdError {
    #[error("Un SIREN a 9 chiffres ; « {0} » ne les a pas.")]
    SirenShape(String),
    #[error("La clé de contrôle du SIREN « {0} » est fausse : une faute de frappe ?")]
    SirenCheck(String),
    #[error("Un SIRET a 14 chiffres ; « {0} » ne les a pas.")]
    SiretShape(String),
    #[error("La clé de contrôle du SIRET « {0} » est fausse : une faute de frappe ?")]
    SiretCheck(String),
    #[error("Le SIRET « {siret} » n'appartient pas au SIREN « {siren} ».")]
    SiretOfOtherSiren { siren: String, siret: String },
}

impl CompanyIdError {
    pub fn code(&self) -> ReasonCode {
        match self {
            CompanyIdError::SirenShape(_) | CompanyIdError::SirenCheck(_) => {
                ReasonCode::InvalidSiren
            }
            _ => ReasonCode::InvalidSiret,
        }
    }
}

fn digits_only(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect()
}

/// Luhn: from the right, every second digit doubled (minus 9 past 9); valid when the sum ends in 0.
fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siren(String);

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siret(String);

impl Siren {
    /// Accepts the usual spacing (`732 829 320`).
    pub fn parse(raw: &str) -> Result<Siren, CompanyIdError> {
        let d = digits_only(raw);
        if d.len() != 9 || !d.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CompanyIdError::SirenShape(raw.trim().to_string()));
        }
        if !luhn_valid(&d) {
            return Err(CompanyIdError::SirenCheck(raw.trim().to_string()));
        }
        Ok(Siren(d))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Siret {
    pub fn parse(raw: &str) -> Result<Siret, CompanyIdError> {
        let d = digits_only(raw);
        if d.len() != 14 || !d.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CompanyIdError::SiretShape(raw.trim().to_string()));
        }
        let la_poste = d.starts_with(LA_POSTE_SIREN)
            && d.bytes()
                .map(|b| u32::from(b - b'0'))
                .sum::<u32>()
                .is_multiple_of(5);
        if !luhn_valid(&d) && !la_poste {
            return Err(CompanyIdError::SiretCheck(raw.trim().to_string()));
        }
        Ok(Siret(d))
    }

    /// The legal unit this establishment belongs to.
    pub fn siren(&self) -> &str {
        &self.0[..9]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks that this SIRET is an establishment of `siren`.
    pub fn belongs_to(&self, siren: &Siren) -> Result<(), CompanyIdError> {
        if self.siren() == siren.as_str() {
            Ok(())
        } else {
            Err(CompanyIdError::SiretOfOtherSiren {
                siren: siren.0.clone(),
                siret: self.0.clone(),
            })
        }
    }
}

macro_rules! string_conversions {
    ($t:ident) => {
        impl TryFrom<String> for $t {
            type Error = CompanyIdError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $t::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
    };
}
string_conversions!(Siren);
string_conversions!(Siret);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_identifiers_with_usual_spacing() {
        assert_eq!(Siren::parse("732 829 320").unwrap().as_str(), "732829320");
        let siret = Siret::parse("732 829 320 00074").unwrap();
        assert_eq!(siret.siren(), "732829320");
        assert!(siret
            .belongs_to(&Siren::parse("732829320").unwrap())
            .is_ok());
        assert!(Siret::parse("542 107 651 13030").is_ok());
    }

    #[test]
    fn typing_errors_and_wrong_shapes_are_refused() {
        type Check = fn(&str) -> Option<CompanyIdError>;
        let cases: &[(&str, Check, &str)] = &[
            ("732829321", |s| Siren::parse(s).err(), "clé de contrôle"),
            ("73282932", |s| Siren::parse(s).err(), "9 chiffres"),
            ("73282932A", |s| Siren::parse(s).err(), "9 chiffres"),
            (
                "73282932000075",
                |s| Siret::parse(s).err(),
                "clé de contrôle",
            ),
            ("7328293200007", |s| Siret::parse(s).err(), "14 chiffres"),
        ];
        for (raw, parse, fragment) in cases {
            let err = parse(raw)
                .unwrap_or_else(|| panic!("{raw} accepted"))
                .to_string();
            assert!(err.contains(fragment), "{raw}: {err}");
        }
        let other = Siret::parse("54210765113030").unwrap();
        let err = other
            .belongs_to(&Siren::parse("732829320").unwrap())
            .unwrap_err();
        assert!(err.to_string().contains("n'appartient pas"));
    }

    #[test]
    fn la_poste_establishments_follow_the_digit_sum_rule() {
        let raw = "35600000000010";
        assert!(!luhn_valid(raw), "the case must exercise the exception");
        assert!(Siret::parse(raw).is_ok());
        // The exception is La Poste's alone.
        assert!(Siret::parse("73282932000010").is_err());
    }

    #[test]
    fn serde_validates_on_the_way_in() {
        let ok: Siren = serde_json::from_str("\"732829320\"").unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"732829320\"");
        assert!(serde_json::from_str::<Siren>("\"732829321\"").is_err());
    }
}
