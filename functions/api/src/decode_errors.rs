//! Why a JSON body or a query string does not decode, said in French: serde
//! words its errors in English ("missing field `name` at line 1 column 2"),
//! for programmers; the API answers a code and a sentence a fleet manager
//! can read, naming the field.

use crate::http::{FieldError, ReasonCode};

/// The field at fault and why, from serde's `message` about the value at `path`
/// (`.` or empty for the whole body).
pub fn field_error(path: &str, message: &str) -> FieldError {
    let message = without_position(message);
    let at = |field: &str| match path {
        "" | "." => field.to_string(),
        parent => format!("{parent}.{field}"),
    };
    let whole = match path {
        "" | "." => "body".to_string(),
        path => path.to_string(),
    };
    if let Some(field) = quoted_after(message, "missing field ") {
        let reason = format!("Le champ « {field} » manque.");
        return FieldError::new(at(field), ReasonCode::Required, reason);
    }
    if let Some(field) = quoted_after(message, "unknown field ") {
        // The path already ends with the unknown field.
        let reason = format!("Le champ « {field} » n'existe pas ici.");
        return FieldError::new(whole, ReasonCode::Malformed, reason);
    }
    if let Some(value) = quoted_after(message, "unknown variant ") {
        let allowed = message
            .split_once("expected ")
            .map(|(_, list)| list.replace('`', "").replace(" or ", ", "))
            .map(|list| list.trim_start_matches("one of ").to_string());
        let reason = match allowed {
            Some(list) => format!("« {value} » n'est pas une valeur permise ({list})."),
            None => format!("« {value} » n'est pas une valeur permise."),
        };
        return FieldError::new(whole, ReasonCode::UnknownValue, reason);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let expected = rest.split_once("expected ").map(|(_, e)| e).unwrap_or("");
        let reason = match expected_in_french(expected) {
            Some(kind) => format!("Ce champ doit être {kind}."),
            None => "Ce champ n'a pas le type attendu.".to_string(),
        };
        return FieldError::new(whole, ReasonCode::Malformed, reason);
    }
    if CHRONO_MESSAGES.contains(&message) {
        let reason = "Ce n'est pas une date AAAA-MM-JJ (ou une date et heure ISO 8601).";
        return FieldError::new(whole, ReasonCode::InvalidDate, reason);
    }
    if message.starts_with("invalid ") || message.contains(" expected ") {
        let reason = "Cette valeur n'est pas valide ici.";
        return FieldError::new(whole, ReasonCode::Malformed, reason);
    }
    // Our own types' checks (SIREN, plate…) already speak French.
    FieldError::new(whole, ReasonCode::Invalid, message)
}

/// A body that is not JSON at all, or ends too soon.
pub fn syntax_error(line: usize, column: usize) -> FieldError {
    let reason = format!("Le contenu n'est pas un JSON valide (ligne {line}, colonne {column}).");
    FieldError::new("body", ReasonCode::Malformed, reason)
}

/// chrono's parse errors, as `NaiveDate`'s and `DateTime`'s serde reports them.
const CHRONO_MESSAGES: [&str; 7] = [
    "input contains invalid characters",
    "premature end of input",
    "input is out of range",
    "trailing input",
    "input is not enough for unique date and time",
    "no possible date and time matching input",
    "bad or unsupported format string",
];

fn without_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// The backquoted word following `prefix`: `missing field `name`` gives `name`.
fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(word, _)| word)
}

fn expected_in_french(expected: &str) -> Option<&'static str> {
    let e = expected.to_ascii_lowercase();
    let kind = if e.contains("bool") {
        "vrai ou faux (true, false)"
    } else if ["u8", "u16", "u32", "u64", "usize", "i32", "i64", "integer"]
        .iter()
        .any(|t| e.contains(t))
    {
        "un nombre entier"
    } else if e.contains("f64") || e.contains("f32") || e.contains("float") {
        "un nombre"
    } else if e.contains("sequence") {
        "une liste"
    } else if e.contains("map") || e.contains("struct") {
        "un objet"
    } else if e.contains("string") || e.contains("char") || e.contains("date") {
        "un texte"
    } else {
        return None;
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> FieldError {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Input {
            name: String,
            count: u32,
            on: Option<chrono::NaiveDate>,
            kind: Option<Kind>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Kind {
            Vehicles,
            Drivers,
        }
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let e = serde_path_to_error::deserialize::<_, Input>(&mut deserializer).unwrap_err();
        field_error(&e.path().to_string(), &e.inner().to_string())
    }

    #[test]
    fn serde_errors_read_in_french_with_their_field() {
        let cases = [
            (
                r#"{"count": 1}"#,
                "name",
                ReasonCode::Required,
                "Le champ « name » manque.",
            ),
            (
                r#"{"name": "a", "count": "x"}"#,
                "count",
                ReasonCode::Malformed,
                "Ce champ doit être un nombre entier.",
            ),
            (
                r#"{"name": "a", "count": 1, "on": "31/12/2026"}"#,
                "on",
                ReasonCode::InvalidDate,
                "Ce n'est pas une date AAAA-MM-JJ (ou une date et heure ISO 8601).",
            ),
            (
                r#"{"name": "a", "count": 1, "kind": "boats"}"#,
                "kind",
                ReasonCode::UnknownValue,
                "« boats » n'est pas une valeur permise (vehicles, drivers).",
            ),
            (
                r#"{"name": "a", "count": 1, "color": "red"}"#,
                "color",
                ReasonCode::Malformed,
                "Le champ « color » n'existe pas ici.",
            ),
        ];
        for (json, field, code, reason) in cases {
            assert_eq!(decode(json), FieldError::new(field, code, reason), "{json}");
        }
    }
}
