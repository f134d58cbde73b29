//! Licence plates: normalization and classification.
//!
//! Matching between ANTAI notices and the fleet is always done on the
//! normalized form (upper case, no spaces, dashes or dots) together with the
//! registration country, so `ab-123-cd`, `AB 123 CD` and `AB123CD` are one plate.

use super::countries::is_country;
use super::reason::ReasonCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// ISO 3166-1 alpha-3 code of France, as ANTAI writes it (`paysImmatriculation`).
pub const FRANCE: &str = "FRA";

/// Letters used on French plates: I, O and U are never issued (confusion with 1, 0 and V).
fn is_plate_letter(c: u8) -> bool {
    c.is_ascii_uppercase() && !matches!(c, b'I' | b'O' | b'U')
}

/// The kind of a plate, once recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "system", rename_all = "snake_case")]
pub enum PlateKind {
    /// Système d'immatriculation des véhicules (since 2009): `AB-123-CD`.
    /// `provisional` is true for the `WW-123-AB` temporary series.
    Siv { provisional: bool },
    /// Former Fichier national des immatriculations: `123 ABC 75`,
    /// `1234 AB 2A`, overseas `123 ABC 971`.
    Fni { department: String },
    /// Professional "W garage" plates: `W-123-AB` (SIV) or `1234 W 75` (FNI).
    WGarage,
    /// A plate registered abroad; its shape is the foreign country's business.
    Foreign { country: String },
}

/// A validated plate: normalized text, registration country and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plate {
    pub normalized: String,
    pub country: String,
    pub kind: PlateKind,
}

/// Why a plate was refused. The messages are meant for fleet managers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlateError {
    #[error("L'immatriculation est vide.")]
    Empty,
    #[error("Le pays « {0} » n'est pas un code ISO 3166-1 alpha-3 (par exemple FRA, BEL, DEU).")]
    BadCountry(String),
    #[error("L'immatriculation « {0} » contient autre chose que des lettres et des chiffres.")]
    BadCharacters(String),
    #[error("L'immatriculation « {0} » ne suit aucun format français (SIV AB-123-CD, FNI 123 ABC 75, W garage).")]
    UnknownFrenchFormat(String),
    #[error("L'immatriculation « {plate} » ressemble à {format}, mais {reason}.")]
    Invalid {
        plate: String,
        format: &'static str,
        reason: &'static str,
    },
    #[error("Une immatriculation étrangère a de 2 à 12 lettres ou chiffres ; « {0} » n'en a pas autant.")]
    BadForeignLength(String),
}

impl PlateError {
    pub fn code(&self) -> ReasonCode {
        match self {
            PlateError::Empty => ReasonCode::Required,
            PlateError::BadCountry(_) => ReasonCode::InvalidCountry,
            _ => ReasonCode::InvalidPlate,
        }
    }
}

/// Upper-cases and removes the separators people type: spaces, dashes, dots.
pub fn normalize(raw: &str) -> String {
    raw.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '\t'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// Upper-cased, trimmed country code; `FR`/`F` are accepted as France.
pub fn normalize_country(raw: &str) -> String {
    let c = raw.trim().to_ascii_uppercase();
    match c.as_str() {
        "" | "F" | "FR" => FRANCE.to_string(),
        _ => c,
    }
}

impl Plate {
    /// Parses a plate typed by a person or written by ANTAI.
    pub fn parse(raw: &str, country: &str) -> Result<Plate, PlateError> {
        let normalized = normalize(raw);
        if normalized.is_empty() {
            return Err(PlateError::Empty);
        }
        let country = normalize_country(country);
        if !is_country(&country) {
            return Err(PlateError::BadCountry(country));
        }
        if !normalized.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(PlateError::BadCharacters(raw.trim().to_string()));
        }
        let kind = if country == FRANCE {
            classify_french(&normalized)?
        } else {
            if !(2..=12).contains(&normalized.len()) {
                return Err(PlateError::BadForeignLength(raw.trim().to_string()));
            }
            PlateKind::Foreign {
                country: country.clone(),
            }
        };
        Ok(Plate {
            normalized,
            country,
            kind,
        })
    }

    /// The key under which the plate is stored and matched: `FRA#AB123CD`.
    pub fn key(&self) -> PlateKey {
        PlateKey(format!("{}#{}", self.country, self.normalized))
    }

    /// Display form: SIV with dashes, FNI with spaces, foreign as normalized.
    pub fn display(&self) -> String {
        let n = &self.normalized;
        match &self.kind {
            PlateKind::Siv { .. } => format!("{}-{}-{}", &n[..2], &n[2..5], &n[5..]),
            PlateKind::WGarage if n.starts_with('W') => {
                format!("{}-{}-{}", &n[..1], &n[1..4], &n[4..])
            }
            PlateKind::Fni { department } => {
                let body = &n[..n.len() - department.len()];
                let split = body
                    .find(|c: char| c.is_ascii_alphabetic())
                    .unwrap_or(body.len());
                format!("{} {} {}", &body[..split], &body[split..], department)
            }
            PlateKind::WGarage => {
                let w = n.find('W').unwrap_or(0);
                format!("{} W {}", &n[..w], &n[w + 1..])
            }
            PlateKind::Foreign { .. } => n.clone(),
        }
    }
}

/// Normalized plate with its country, the matching key between notices and fleets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PlateKey(pub String);

impl fmt::Display for PlateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn classify_french(n: &str) -> Result<PlateKind, PlateError> {
    let b = n.as_bytes();
    // SIV: two letters, three digits, two letters.
    if b.len() == 7
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && b[2..5].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_alphabetic)
    {
        let invalid = |reason| PlateError::Invalid {
            plate: n.to_string(),
            format: "une plaque SIV",
            reason,
        };
        if !b[..2].iter().chain(&b[5..]).all(|&c| is_plate_letter(c)) {
            return Err(invalid("les lettres I, O et U ne sont jamais attribuées"));
        }
        if &b[2..5] == b"000" {
            return Err(invalid("le numéro 000 n'est jamais attribué"));
        }
        if &b[..2] == b"SS" || &b[5..] == b"SS" {
            return Err(invalid("la série SS n'est jamais attribuée"));
        }
        return Ok(PlateKind::Siv {
            provisional: &b[..2] == b"WW",
        });
    }
    // SIV W garage: W, three digits, two letters.
    if b.len() == 6
        && b[0] == b'W'
        && b[1..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(|&c| is_plate_letter(c))
    {
        return Ok(PlateKind::WGarage);
    }
    classify_fni(n)
}

/// FNI: 1–4 digits, 1–3 letters, then a department (01–95 but 20, 2A, 2B, 971–976).
fn classify_fni(n: &str) -> Result<PlateKind, PlateError> {
    let b = n.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let letters = b[digits..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let department = &n[digits + letters..];
    // Corsica: the department's own letter belongs to it, not to the series.
    let (letters, department) =
        if department == "2" && letters >= 2 && matches!(b[digits + letters - 1], b'A' | b'B') {
            (letters - 1, &n[digits + letters - 1..])
        } else {
            (letters, department)
        };
    if !(1..=4).contains(&digits) || !(1..=3).contains(&letters) || department.is_empty() {
        return Err(PlateError::UnknownFrenchFormat(n.to_string()));
    }
    let invalid = |reason| PlateError::Invalid {
        plate: n.to_string(),
        format: "une plaque FNI",
        reason,
    };
    if !is_fni_department(department) {
        return Err(invalid(
            "son département n'est pas l'un de 01 à 95 (le 20 est devenu 2A et 2B) ou de 971 à 976",
        ));
    }
    let series = &b[digits..digits + letters];
    if b[..digits].iter().all(|&c| c == b'0') {
        return Err(invalid("son numéro est nul"));
    }
    if series == b"W" {
        return Ok(PlateKind::WGarage);
    }
    if !series.iter().all(|&c| is_plate_letter(c)) {
        return Err(invalid("les lettres I, O et U ne sont jamais attribuées"));
    }
    Ok(PlateKind::Fni {
        department: department.to_string(),
    })
}

fn is_fni_department(d: &str) -> bool {
    match d {
        "2A" | "2B" => true,
        _ if d.len() == 2 && d.bytes().all(|c| c.is_ascii_digit()) => {
            let v: u32 = d.parse().unwrap_or(0);
            (1..=95).contains(&v) && v != 20
        }
        _ if d.len() == 3 && d.bytes().all(|c| c.is_ascii_digit()) => {
            let v: u32 = d.parse().unwrap_or(0);
            (971..=976).contains(&v)
        }
        _ => false,
    }
}

/// A distinct, valid SIV plate for each `i` below 300,000 (letters without
/// I, O, U, S or W, so no reserved series): for tests, benchmarks and samples.
pub fn sample_siv_plate(i: usize) -> String {
    const LETTERS: &[u8] = b"BCDEFGHJKLMNPRTVXYZ";
    let pair = |n: usize| {
        let n = n % (LETTERS.len() * LETTERS.len());
        format!(
            "{}{}",
            LETTERS[n / LETTERS.len()] as char,
            LETTERS[n % LETTERS.len()] as char
        )
    };
    format!("{}-{:03}-{}", pair(i / 999 + 40), i % 999 + 1, pair(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accept table: (typed, country, normalized, kind).
    #[test]
    fn accepted_plates() {
        let table: &[(&str, &str, &str, PlateKind)] = &[
            (
                "AB-123-CD",
                "FRA",
                "AB123CD",
                PlateKind::Siv { provisional: false },
            ),
            (
                "ab 123 cd",
                "fr",
                "AB123CD",
                PlateKind::Siv { provisional: false },
            ),
            (
                "ww-456-ab",
                "FRA",
                "WW456AB",
                PlateKind::Siv { provisional: true },
            ),
            (
                "123 ABC 75",
                "FRA",
                "123ABC75",
                PlateKind::Fni {
                    department: "75".into(),
                },
            ),
            (
                "1234 AB 2A",
                "FRA",
                "1234AB2A",
                PlateKind::Fni {
                    department: "2A".into(),
                },
            ),
            (
                "56 KM 2B",
                "",
                "56KM2B",
                PlateKind::Fni {
                    department: "2B".into(),
                },
            ),
            (
                "123 ABC 971",
                "FRA",
                "123ABC971",
                PlateKind::Fni {
                    department: "971".into(),
                },
            ),
            (
                "9 Z 976",
                "FRA",
                "9Z976",
                PlateKind::Fni {
                    department: "976".into(),
                },
            ),
            ("1234 W 75", "FRA", "1234W75", PlateKind::WGarage),
            ("23 W 2A", "FRA", "23W2A", PlateKind::WGarage),
            ("W-123-AB", "FRA", "W123AB", PlateKind::WGarage),
            (
                "B-AB 1234",
                "DEU",
                "BAB1234",
                PlateKind::Foreign {
                    country: "DEU".into(),
                },
            ),
            (
                "1-ABC-123",
                "BEL",
                "1ABC123",
                PlateKind::Foreign {
                    country: "BEL".into(),
                },
            ),
        ];
        for (raw, country, normalized, kind) in table {
            let p = Plate::parse(raw, country).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(&p.normalized, normalized, "{raw}");
            assert_eq!(&p.kind, kind, "{raw}");
        }
    }

    /// Reject table: (typed, country, expected message fragment).
    #[test]
    fn rejected_plates() {
        let table: &[(&str, &str, &str)] = &[
            ("", "FRA", "vide"),
            (" - ", "FRA", "vide"),
            ("AB-123-CD", "FRANCE", "alpha-3"),
            ("AB123", "XYZ", "alpha-3"),
            ("AB_123_CD", "FRA", "autre chose que des lettres"),
            ("AI-123-CD", "FRA", "I, O et U"),
            ("AB-123-CU", "FRA", "I, O et U"),
            ("AB-000-CD", "FRA", "000"),
            ("SS-123-AB", "FRA", "SS"),
            ("AB-123-SS", "FRA", "SS"),
            ("123 ABC 20", "FRA", "département"),
            ("123 ABC 96", "FRA", "département"),
            ("123 ABC 977", "FRA", "département"),
            ("123 ABC 00", "FRA", "département"),
            ("0 AB 75", "FRA", "nul"),
            ("12345 AB 75", "FRA", "aucun format français"),
            ("123 ABCD 75", "FRA", "aucun format français"),
            ("ABCDEFG", "FRA", "aucun format français"),
            ("123 AOB 75", "FRA", "I, O et U"),
            ("A", "DEU", "de 2 à 12"),
            ("ABCDEFGHIJKLM", "DEU", "de 2 à 12"),
        ];
        for (raw, country, fragment) in table {
            let err = Plate::parse(raw, country).expect_err(raw).to_string();
            assert!(err.contains(fragment), "{raw}: {err}");
        }
    }

    #[test]
    fn display_restores_the_usual_separators() {
        let cases = [
            ("ab123cd", "AB-123-CD"),
            ("123abc75", "123 ABC 75"),
            ("1234ab2a", "1234 AB 2A"),
            ("1234w75", "1234 W 75"),
            ("w123ab", "W-123-AB"),
        ];
        for (raw, shown) in cases {
            assert_eq!(Plate::parse(raw, "FRA").unwrap().display(), shown);
        }
    }

    #[test]
    fn keys_match_whatever_the_typing() {
        let a = Plate::parse("AB-123-CD", "FRA").unwrap();
        let b = Plate::parse(" ab 123.cd ", "FR").unwrap();
        assert_eq!(a.key(), b.key());
        assert_eq!(a.key().0, "FRA#AB123CD");
        let foreign = Plate::parse("AB123CD", "BEL").unwrap();
        assert_ne!(a.key(), foreign.key());
    }

    #[test]
    fn sample_plates_are_valid_and_distinct() {
        let keys: std::collections::HashSet<_> = (0..20_000)
            .map(|i| Plate::parse(&sample_siv_plate(i), "FRA").unwrap().key())
            .collect();
        assert_eq!(keys.len(), 20_000);
    }
}
