//! What a user reads of the API's answers is French: the message of every
//! error, the reason of each faulty field, of each refused workbook cell.
//! `TestApi::handle` checks every reply of every test with this, so a new
//! English sentence fails the test that provokes it.

use super::*;

/// Words of English sentences that French ones never hold. What the user
/// typed, quoted « … », is left out: it is theirs.
const ENGLISH_WORDS: [&str; 24] = [
    "the", "is", "are", "not", "must", "required", "cannot", "only", "already", "you", "your",
    "found", "allowed", "invalid", "expected", "missing", "should", "between", "least", "of",
    "and", "with", "this", "that",
];

pub fn english_words(text: &str) -> Vec<String> {
    let mut unquoted = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '«' => depth += 1,
            '»' => depth -= 1,
            c if depth == 0 => unquoted.push(c),
            _ => {}
        }
    }
    unquoted
        .split(|c: char| !c.is_alphabetic())
        .map(str::to_lowercase)
        .filter(|w| ENGLISH_WORDS.contains(&w.as_str()))
        .collect()
}

fn assert_french(what: &str, text: &str) {
    let words = english_words(text);
    assert!(words.is_empty(), "{what} reads English ({words:?}): {text}");
}

pub fn assert_readable_in_french(reply: &Reply) {
    let body = reply.body_json();
    if reply.status >= 400 {
        if let Some(message) = body["error"]["message"].as_str() {
            assert_french("error.message", message);
        }
        for field in body["error"]["fields"].as_array().into_iter().flatten() {
            assert_french(
                "error.fields[].reason",
                field["reason"].as_str().unwrap_or(""),
            );
            assert!(
                field["code"].is_string(),
                "a field error without code: {field}"
            );
        }
    }
    // An import's or an export's status says why it failed.
    if let Some(message) = body["message"].as_str() {
        assert_french("message", message);
    }
    // Import reports: each refused cell.
    for error in body["errors"].as_array().into_iter().flatten() {
        if let Some(reason) = error["reason"].as_str() {
            assert_french("errors[].reason", reason);
        }
    }
}

#[test]
fn the_check_tells_english_from_french() {
    assert!(!english_words("'x' is not a date (YYYY-MM-DD)").is_empty());
    assert!(!english_words("your roles do not allow this").is_empty());
    assert!(english_words("« x » n'est pas une date AAAA-MM-JJ.").is_empty());
    assert!(english_words("« the plate is not valid » est votre saisie.").is_empty());
}

/// A sample of each family of refusal, beyond what the resource tests provoke.
#[tokio::test]
async fn refusals_are_french_with_a_code() {
    let (api, north, _, _) = world().await;
    let entity = north.entity.as_str();
    let cases = [
        (
            "POST",
            "/vehicles",
            json!({"plate": "AB_123", "make": "", "model": "X", "entity_id": entity, "entry_on": "2026-01-01"}),
        ),
        ("POST", "/vehicles", json!({"plate": 12})),
        (
            "POST",
            "/drivers",
            json!({"entity_id": entity, "last_name": "Du3", "first_name": "", "address": {"line1": "", "postcode": "6900", "city": "Lyon#", "country": "France"}}),
        ),
        ("GET", "/notices?due_within_days=abc", Value::Null),
        ("GET", "/notices?status=LOST&limit=0", Value::Null),
        ("GET", "/nowhere", Value::Null),
        ("PUT", "/tenant/settings", json!({"answer_grace_hours": 0})),
    ];
    for (method, path, body) in cases {
        let reply = call(&api, ADMIN, method, path, body).await;
        assert!(reply.status >= 400, "{method} {path}: {}", reply.status);
        let error = &reply.body_json()["error"];
        assert!(error["code"].is_string(), "{method} {path}: {error}");
    }
}
