//! Round-trip property tests for the four kinds, and the framing checks.

use super::*;
use crate::domain::address::PostalAddress;
use crate::domain::answer::{AnswerBody, DesignatedDriver, OtherAnswer};
use crate::domain::notice::{Notice, Offence, Scale};
use crate::domain::plate::Plate;
use crate::domain::time::PARIS;
use chrono::{NaiveDate, TimeZone, Utc};
use proptest::option;
use proptest::prelude::*;

const LETTERS: &str = "ABCDEFGHJKLMNPQRSTVWXYZ";

fn created() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 30, 0).unwrap()
}

/// Free text including the characters the format must escape.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Zéèàç0-9 ;\\\\\n\r'.,-]{1,40}".prop_filter("non-blank", |s| !s.trim().is_empty())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (2017i32..2030, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (1_483_228_800i64..1_900_000_000).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

fn plate() -> impl Strategy<Value = Plate> {
    let letter = || proptest::sample::select(LETTERS.chars().collect::<Vec<_>>());
    let siv = (letter(), letter(), 1u32..=999, letter(), letter())
        .prop_filter_map("SS series", |(a, b, n, c, d)| {
            Plate::parse(&format!("{a}{b}-{n:03}-{c}{d}"), "FRA").ok()
        });
    let fni = (
        1u32..=9999,
        letter(),
        proptest::sample::select(vec!["75", "2A", "2B", "971", "13"]),
    )
        .prop_map(|(n, l, d)| Plate::parse(&format!("{n} {l}{l} {d}"), "FRA").unwrap());
    let foreign = (
        "[A-Z0-9]{2,10}",
        proptest::sample::select(vec!["BEL", "DEU", "ESP", "CHE"]),
    )
        .prop_map(|(p, c)| Plate::parse(&p, c).unwrap());
    prop_oneof![siv, fni, foreign]
}

prop_compose! {
    fn notice()(
        number in "[0-9]{10,14}",
        plate in plate(),
        make in text(),
        model in proptest::string::string_regex("[A-Z0-9 ]{0,12}").unwrap(),
        // Whole minutes between 2017 and 2029, outside the autumn fall-back
        // hour: local time without offset cannot tell its two occurrences apart.
        minutes in (0i64..6_000_000).prop_filter("ambiguous Paris hour", |m| {
            let utc = Utc.with_ymd_and_hms(2017, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(*m);
            PARIS.from_local_datetime(&utc.with_timezone(&PARIS).naive_local()).single().is_some()
        }),
        natinf in 1u32..=99_999,
        label in text(),
        class in 1u8..=5,
        fixed in 0u32..1_000_000,
        reduced in option::of(0u32..1_000_000),
        points in option::of(0u8..=12),
        issued in date(),
    ) -> Notice {
        let utc = Utc.with_ymd_and_hms(2017, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(minutes);
        Notice {
            notice_number: number,
            plate,
            make,
            model,
            offence_at: utc.with_timezone(&PARIS),
            offence: Offence { natinf_code: natinf, label },
            scale: Scale { class, fixed_amount_cents: fixed, reduced_amount_cents: reduced, points },
            issued_on: issued,
        }
    }
}

fn address() -> impl Strategy<Value = PostalAddress> {
    (
        text(),
        option::of(text()),
        "[0-9]{5}",
        text(),
        proptest::sample::select(vec!["FRA", "BEL"]),
    )
        .prop_map(|(line1, line2, postcode, city, country)| PostalAddress {
            line1,
            line2,
            postcode,
            city,
            country: country.into(),
        })
}

fn answer_body() -> impl Strategy<Value = AnswerBody> {
    let email = || option::of("[a-z]{1,8}@[a-z]{1,8}\\.example");
    let designation = (text(), text(), address(), email(), email()).prop_map(
        |(last_name, first_name, address, p, w)| {
            AnswerBody::Designation(DesignatedDriver {
                last_name,
                first_name,
                address,
                personal_email: p,
                professional_email: w,
            })
        },
    );
    let other = prop_oneof![
        date().prop_map(|on| OtherAnswer::VehicleSold { on }),
        date().prop_map(|on| OtherAnswer::VehicleReturned { on }),
        (date(), text()).prop_map(|(on, r)| OtherAnswer::VehicleStolen {
            on,
            complaint_reference: r
        }),
        Just(OtherAnswer::VehicleUnknown),
        text().prop_map(|j| OtherAnswer::Error { justification: j }),
        text().prop_map(|d| OtherAnswer::PlateUsurpation { details: d }),
        Just(OtherAnswer::PaperNoticeRequested),
    ]
    .prop_map(AnswerBody::Other);
    prop_oneof![designation, other]
}

prop_compose! {
    fn answer()(id in "[A-Z0-9-]{8,20}", number in "[0-9]{10}", body in answer_body(), at in instant()) -> AnswerRecord {
        AnswerRecord { answer_id: id, notice_number: number, body, answered_at: at }
    }
}

prop_compose! {
    fn ack()(id in "[A-Z0-9-]{8,20}", number in "[0-9]{10}", at in instant(), outcome in prop_oneof![
        Just(AckOutcome::InProgress),
        Just(AckOutcome::Acknowledged),
        ("[A-Z0-9_]{2,10}", option::of("[a-z_]{2,12}"), text())
            .prop_map(|(code, field, message)| AckOutcome::Error { code, field, message }),
    ]) -> AckRecord {
        AckRecord { answer_id: id, notice_number: number, outcome, processed_at: at }
    }
}

prop_compose! {
    fn fleet()(op in proptest::sample::select(vec![FleetOperation::Full, FleetOperation::Added, FleetOperation::Changed, FleetOperation::Leaving]),
        plate in plate(), make in text(), model in text(), from in date(), until in option::of(date()), at in instant()) -> FleetRecord {
        FleetRecord { operation: op, plate, make, model, managed_from: from, managed_until: until, updated_at: at }
    }
}

fn round_trip<T: Record + PartialEq + std::fmt::Debug>(records: &[T]) {
    let bytes = write_file("FILE-0001", created(), records);
    let parsed = parse_bytes::<T>(&bytes).expect("own output must parse");
    assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
    assert_eq!(parsed.header.kind, T::KIND);
    assert_eq!(parsed.header.file_id, "FILE-0001");
    assert_eq!(parsed.header.created_at, created());
    let back: Vec<&T> = parsed.records.iter().map(|(_, r)| r).collect();
    assert_eq!(back, records.iter().collect::<Vec<_>>());
    // Line numbers start after the header.
    for (i, (line, _)) in parsed.records.iter().enumerate() {
        assert_eq!(*line, i + 2);
    }
}

proptest! {
    #[test]
    fn notices_round_trip(records in proptest::collection::vec(notice(), 0..20)) { round_trip(&records) }

    #[test]
    fn answers_round_trip(records in proptest::collection::vec(answer(), 0..20)) { round_trip(&records) }

    #[test]
    fn acknowledgements_round_trip(records in proptest::collection::vec(ack(), 0..20)) { round_trip(&records) }

    #[test]
    fn fleet_declarations_round_trip(records in proptest::collection::vec(fleet(), 0..20)) { round_trip(&records) }

    #[test]
    fn escaping_round_trips_any_text(values in proptest::collection::vec(".*", 1..6)) {
        let line = values.iter().map(|v| escape_field(v)).collect::<Vec<_>>().join(";");
        prop_assert!(!line.contains('\n'));
        let control_free = values.iter().all(|v| !v.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')));
        if control_free {
            prop_assert_eq!(split_fields(&line).unwrap(), values);
        }
    }
}

// ---------------------------------------------------------------- framing

fn sample_notices() -> Vec<Notice> {
    (0..3)
        .map(|i| Notice {
            notice_number: format!("90000000{i:02}"),
            plate: Plate::parse("AB-123-CD", "FRA").unwrap(),
            make: "RENAULT".into(),
            model: "CLIO".into(),
            offence_at: PARIS.with_ymd_and_hms(2026, 11, 2, 8, 15, 0).unwrap(),
            offence: Offence {
                natinf_code: 11300,
                label: "EXCES DE VITESSE < 20 KM/H".into(),
            },
            scale: Scale {
                class: 4,
                fixed_amount_cents: 13500,
                reduced_amount_cents: Some(9000),
                points: Some(1),
            },
            issued_on: NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(),
        })
        .collect()
}

fn sample_file() -> Vec<u8> {
    write_file("ANTAI-000042", created(), &sample_notices())
}

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Rewrites the trailer so the checksum matches the altered content.
fn with_fresh_trailer(body: &str, count: usize) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let sum = hex::encode(Sha256::digest(body.as_bytes()));
    format!("{body}FIN;{count};{sum}\n").into_bytes()
}

fn body_of(bytes: &[u8]) -> String {
    let text = text_of(bytes);
    let cut = text.rfind("FIN;").unwrap();
    text[..cut].to_string()
}

#[test]
fn a_bad_checksum_rejects_the_file() {
    let text = text_of(&sample_file()).replace("RENAULT", "PEUGEOT");
    let err = parse_bytes::<Notice>(text.as_bytes()).unwrap_err();
    assert!(matches!(err, FileError::ChecksumMismatch { .. }), "{err}");
    assert!(err.to_string().contains("checksum mismatch"));
}

#[test]
fn a_truncated_trailer_rejects_the_file() {
    let text = text_of(&sample_file());
    let cut = text.len() - 30; // inside the checksum
    let err = parse_bytes::<Notice>(&text.as_bytes()[..cut]).unwrap_err();
    assert!(
        matches!(err, FileError::BadTrailer { line: 5, .. }),
        "{err}"
    );
    // Cut before the trailer altogether.
    let cut = text.rfind("FIN;").unwrap();
    let err = parse_bytes::<Notice>(&text.as_bytes()[..cut]).unwrap_err();
    assert_eq!(err, FileError::MissingTrailer { last_line: 4 });
    // Cut in the middle of a record.
    let err = parse_bytes::<Notice>(&text.as_bytes()[..cut - 10]).unwrap_err();
    assert_eq!(err, FileError::MissingTrailer { last_line: 4 });
}

#[test]
fn a_count_that_disagrees_rejects_the_file() {
    let body = body_of(&sample_file());
    let err = parse_bytes::<Notice>(&with_fresh_trailer(&body, 4)).unwrap_err();
    assert_eq!(
        err,
        FileError::CountMismatch {
            declared: 4,
            found: 3
        }
    );
}

#[test]
fn a_wrong_encoding_rejects_the_file_and_names_the_line() {
    // The same file saved as Latin-1: "é" becomes the single byte 0xE9.
    let mut notices = sample_notices();
    notices[1].offence.label = "STATIONNEMENT GÊNANT".into();
    let utf8 = write_file("ANTAI-000042", created(), &notices);
    let latin1: Vec<u8> = text_of(&utf8).chars().map(|c| c as u32 as u8).collect();
    let err = parse_bytes::<Notice>(&latin1).unwrap_err();
    assert!(
        matches!(err, FileError::WrongEncoding { line: 3, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("UTF-8"));
}

#[test]
fn an_unknown_version_rejects_the_file() {
    let text = text_of(&sample_file()).replacen("DESIGNA-ANTAI;1;", "DESIGNA-ANTAI;2;", 1);
    let err = parse_bytes::<Notice>(text.as_bytes()).unwrap_err();
    assert_eq!(
        err,
        FileError::UnknownVersion {
            found: "2".into(),
            supported: "1".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "line 1: unknown format version 2 (supported: 1)"
    );
}

#[test]
fn another_kind_or_a_missing_header_rejects_the_file() {
    let err = parse_bytes::<AckRecord>(&sample_file()).unwrap_err();
    assert!(matches!(err, FileError::WrongKind { .. }), "{err}");
    let err = parse_bytes::<Notice>(b"DETAIL;1\nFIN;0;00\n").unwrap_err();
    assert!(matches!(err, FileError::BadHeader { .. }), "{err}");
    assert_eq!(parse_bytes::<Notice>(b"").unwrap_err(), FileError::Empty);
}

#[test]
fn garbage_lines_are_rejected_one_by_one_and_the_rest_is_kept() {
    let body = body_of(&sample_file());
    let mut lines: Vec<&str> = body.lines().collect();
    lines.insert(2, "#@!garbage%%");
    lines.insert(4, "DETAIL;too;few");
    lines.insert(5, "");
    let bad_plate = lines[6].replace("AB123CD", "AB12");
    lines[6] = &bad_plate;
    let body = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    let parsed = parse_bytes::<Notice>(&with_fresh_trailer(&body, lines.len() - 1)).unwrap();
    assert_eq!(parsed.records.len(), 2);
    let rejected: Vec<(usize, Option<&str>)> = parsed
        .rejected
        .iter()
        .map(|e| (e.line, e.field.as_deref()))
        .collect();
    assert_eq!(
        rejected,
        vec![
            (3, None),
            (5, None),
            (6, None),
            (7, Some("immatriculation"))
        ]
    );
    assert!(parsed.rejected[0].reason.contains("not a DETAIL record"));
    assert!(parsed.rejected[1].reason.contains("expected 13 fields"));
    assert_eq!(parsed.rejected[2].reason, "empty line");
}

#[test]
fn content_after_the_trailer_rejects_the_file() {
    let mut bytes = sample_file();
    bytes.extend_from_slice(b"DETAIL;late\n");
    assert_eq!(
        parse_bytes::<Notice>(&bytes).unwrap_err(),
        FileError::DataAfterTrailer { line: 6 }
    );
}

#[test]
fn crlf_line_endings_and_a_bom_are_tolerated() {
    let body = body_of(&sample_file()).replace('\n', "\r\n");
    let body = format!("\u{feff}{body}");
    let parsed = parse_bytes::<Notice>(&with_fresh_trailer(&body, 3)).unwrap();
    assert_eq!(parsed.records.len(), 3);
}

#[tokio::test]
async fn the_async_reader_streams_the_same_result() {
    let bytes = sample_file();
    let mut seen = Vec::new();
    let (header, rejected) = parse_async::<Notice, _>(&bytes[..], |line, n| seen.push((line, n)))
        .await
        .unwrap();
    assert_eq!(header.file_id, "ANTAI-000042");
    assert!(rejected.is_empty());
    assert_eq!(seen.len(), 3);
    // A line-less blob stops at the line limit instead of filling memory.
    let blob = vec![b'x'; MAX_LINE_BYTES * 3];
    let err = parse_async::<Notice, _>(&blob[..], |_, _| {})
        .await
        .unwrap_err();
    assert!(
        matches!(err, FileError::LineTooLong { line: 1, .. }),
        "{err}"
    );
}

#[test]
fn file_names_follow_the_convention() {
    let header = Header {
        version: 1,
        kind: Kind::Notices,
        file_id: "ANTAI-000042".into(),
        created_at: created(),
    };
    assert_eq!(
        file_name(&header),
        "DEMANDES_DESIGNATION_20261124T093000Z_ANTAI-000042.v1.txt"
    );
}
