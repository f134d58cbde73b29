//! What a designation certificate attests, as the document its proof signs:
//! the facts without personal data (a designated driver is a salted hash
//! commitment), in a canonical JSON form anyone can rebuild to check the
//! signature, and the verification code that names it.

use crate::domain::answer::{AnswerBody, DesignatedDriver, OtherAnswer};
use crate::excel::export::answer_label;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The document's `format`: a verifier knows which fields to expect.
pub const FORMAT: &str = "designa.attestation.v1";
/// The signature scheme, as KMS names it: ECDSA on P-256 over SHA-256.
pub const ALGORITHM: &str = "ECDSA_SHA_256";
/// Longest text the document carries: a proof must stay under the 4 KB
/// KMS signs as is.
const MAX_TEXT: usize = 200;

/// A tenant or an entity: its id and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// The notice, as ANTAI sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeFacts {
    pub number: String,
    pub plate: String,
    pub country: String,
    /// Paris time with its offset.
    pub offence_at: String,
    pub natinf_code: u32,
    pub natinf_label: String,
}

/// The answer, without personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerFacts {
    Designation {
        /// « Désignation du conducteur ».
        label: String,
        /// `commitment`'s hash of the driver's identity; `None` when the
        /// driver was erased before the certificate was first issued.
        driver_commitment: Option<String>,
    },
    Other {
        /// In French: « Véhicule cédé », « Véhicule volé »…
        label: String,
        /// `vehicle_sold`, `vehicle_stolen`… as the API names them.
        reason: String,
        on: Option<NaiveDate>,
        complaint_reference: Option<String>,
        /// SHA-256 of a justification or of a usurpation's details: free
        /// texts stay out of the document, which still binds them.
        text_sha256: Option<String>,
    },
}

/// One journal entry, by its place in the tenant's hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryFacts {
    pub seq: u64,
    pub at: String,
    pub hash: String,
}

/// The transmission ANTAI acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransmissionFacts {
    /// `identifiantDesignation`.
    pub id: String,
    pub sent_at: String,
    pub acknowledged_at: String,
    /// The journal's entries of the sending and of the acknowledgement.
    pub sent_entry: Option<EntryFacts>,
    pub acknowledged_entry: Option<EntryFacts>,
}

/// Everything the proof signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attested {
    pub format: String,
    pub verification_code: String,
    pub issued_at: String,
    /// SHA-256 of the signing key (`SubjectPublicKeyInfo`, DER).
    pub public_key_sha256: String,
    pub tenant: Named,
    pub entity: Named,
    pub notice: NoticeFacts,
    pub answer: AnswerFacts,
    pub transmission: TransmissionFacts,
}

/// An instant as the document writes it: UTC, to the second.
pub fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A text as the document carries it: control characters made spaces (so
/// every canonical encoder writes it alike), at most `MAX_TEXT` characters,
/// the last an ellipsis when it was cut.
pub fn text(value: &str) -> String {
    let mut kept: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_TEXT)
        .collect();
    if value.chars().count() > MAX_TEXT {
        kept.pop();
        kept.push('…');
    }
    kept
}

/// The canonical JSON of a document: object keys sorted, no whitespace,
/// strings escaped as JSON requires and nothing more. The same bytes as
/// Python's `json.dumps(doc, sort_keys=True, separators=(",", ":"),
/// ensure_ascii=False)` and `jq -cSj`, for documents of strings, integers,
/// booleans and nulls (this one's).
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            let mut keys: Vec<&String> = fields.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push(':');
                write_canonical(&fields[key], out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// SHA-256, in hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The commitment to a designated driver's identity: the SHA-256 of the
/// salt (hexadecimal) and the identity's fields, each followed by a line
/// feed, so that `printf '%s\n' SALT NOM PRÉNOM LIGNE1 LIGNE2 CP VILLE PAYS
/// | sha256sum` checks it. Without the salt, which the certificate's PDF
/// prints and erasure destroys, the hash cannot be tied to anyone.
pub fn commitment(salt: &[u8; 32], driver: &DesignatedDriver) -> String {
    let address = &driver.address;
    let fields = [
        hex::encode(salt),
        driver.last_name.clone(),
        driver.first_name.clone(),
        address.line1.clone(),
        address.line2.clone().unwrap_or_default(),
        address.postcode.clone(),
        address.city.clone(),
        address.country.clone(),
    ];
    let mut committed = String::new();
    for field in fields {
        committed.push_str(&field);
        committed.push('\n');
    }
    sha256_hex(committed.as_bytes())
}

/// The facts of an answer that is not a designation.
pub fn other_facts(other: &OtherAnswer) -> AnswerFacts {
    let reason = serde_json::to_value(other)
        .ok()
        .and_then(|v| v["reason"].as_str().map(str::to_string))
        .unwrap_or_default();
    let (on, complaint_reference, free_text) = match other {
        OtherAnswer::VehicleSold { on } | OtherAnswer::VehicleReturned { on } => {
            (Some(*on), None, None)
        }
        OtherAnswer::VehicleStolen {
            on,
            complaint_reference,
        } => (Some(*on), Some(text(complaint_reference)), None),
        OtherAnswer::Error { justification } => (None, None, Some(justification)),
        OtherAnswer::PlateUsurpation { details } => (None, None, Some(details)),
        OtherAnswer::VehicleUnknown | OtherAnswer::PaperNoticeRequested => (None, None, None),
    };
    AnswerFacts::Other {
        label: answer_label(&AnswerBody::Other(other.clone())).into(),
        reason,
        on,
        complaint_reference,
        text_sha256: free_text.map(|t| sha256_hex(t.as_bytes())),
    }
}

/// The facts of an answer: a designation's commitment needs the driver's
/// salt, `None` once the driver is erased.
pub fn answer_facts(body: &AnswerBody, salt: Option<&[u8; 32]>) -> AnswerFacts {
    match body {
        AnswerBody::Designation(driver) => AnswerFacts::Designation {
            label: answer_label(body).into(),
            driver_commitment: salt.map(|salt| commitment(salt, driver)),
        },
        AnswerBody::Other(other) => other_facts(other),
    }
}

/// Crockford's base 32: no I, L, O or U, so a code read aloud or typed
/// again is not mistaken.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols in a code: 80 random bits, in four groups of four.
const CODE_SYMBOLS: usize = 16;

/// A new verification code, e.g. `7K3M-Q9XD-2HTC-P4RV`.
pub fn new_code() -> String {
    let mut bytes = [0u8; CODE_SYMBOLS];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    let symbols: Vec<char> = bytes
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(b % 32)] as char)
        .collect();
    grouped(&symbols)
}

fn grouped(symbols: &[char]) -> String {
    symbols
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as someone typed it, in the form codes are stored under: case,
/// spaces and dashes ignored, O read as 0 and I or L as 1. `None` when it
/// cannot be a code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let symbols: Vec<char> = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let valid = symbols.len() == CODE_SYMBOLS
        && symbols
            .iter()
            .all(|c| c.is_ascii() && CODE_ALPHABET.contains(&(*c as u8)));
    valid.then(|| grouped(&symbols))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::address::PostalAddress;
    use serde_json::json;

    #[test]
    fn the_canonical_form_sorts_keys_and_drops_whitespace() {
        let doc = json!({ "b": [1, null, true], "a": { "é": "« x »", "c": "line\nfeed" } });
        assert_eq!(
            canonical_json(&doc),
            r#"{"a":{"c":"line\nfeed","é":"« x »"},"b":[1,null,true]}"#
        );
    }

    #[test]
    fn texts_lose_control_characters_and_excess_length() {
        assert_eq!(text("Excès\tde vitesse"), "Excès de vitesse");
        let cut = text(&"é".repeat(500));
        assert_eq!(cut.chars().count(), MAX_TEXT);
        assert!(cut.ends_with("é…"));
        assert_eq!(text(&"é".repeat(MAX_TEXT)), "é".repeat(MAX_TEXT));
    }

    #[test]
    fn the_commitment_is_the_documented_printf_line() {
        let driver = DesignatedDriver {
            last_name: "Fictif".into(),
            first_name: "Dominique".into(),
            address: PostalAddress {
                line1: "4 allée de l'Essai".into(),
                line2: None,
                postcode: "59000".into(),
                city: "Lille".into(),
                country: "FRA".into(),
            },
            personal_email: None,
            professional_email: None,
        };
        let salt = [7u8; 32];
        let printed = format!(
            "{}\nFictif\nDominique\n4 allée de l'Essai\n\n59000\nLille\nFRA\n",
            hex::encode(salt)
        );
        assert_eq!(commitment(&salt, &driver), sha256_hex(printed.as_bytes()));
        assert_ne!(commitment(&[8u8; 32], &driver), commitment(&salt, &driver));
    }

    #[test]
    fn other_answers_keep_their_reason_and_date_and_only_a_hash_of_free_text() {
        let sold = other_facts(&OtherAnswer::VehicleSold {
            on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        });
        assert_eq!(
            serde_json::to_value(&sold).unwrap(),
            json!({ "kind": "other", "label": "Véhicule cédé", "reason": "vehicle_sold", "on": "2026-10-01",
                    "complaint_reference": null, "text_sha256": null })
        );
        let error = other_facts(&OtherAnswer::Error {
            justification: "Le véhicule était au garage.".into(),
        });
        let value = serde_json::to_value(&error).unwrap();
        assert_eq!(value["reason"], "error");
        assert!(!value.to_string().contains("garage"));
        assert_eq!(
            value["text_sha256"],
            sha256_hex("Le véhicule était au garage.".as_bytes())
        );
    }

    #[test]
    fn codes_are_read_back_however_they_are_typed() {
        let code = new_code();
        assert_eq!(code.len(), 19);
        assert_eq!(normalize_code(&code).as_deref(), Some(code.as_str()));
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(normalize_code(&typed).as_deref(), Some(code.as_str()));
        assert_eq!(
            normalize_code("o1l2-3456-789A-BCDE").as_deref(),
            Some("0112-3456-789A-BCDE")
        );
        assert_eq!(normalize_code("public-key"), None);
        assert_eq!(normalize_code("UUUU-UUUU-UUUU-UUUU"), None);
        assert_ne!(new_code(), new_code());
    }
}
