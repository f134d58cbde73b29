//! Plate parsing: any text and country, typed by a person or written by
//! ANTAI. What it accepts, shown and parsed again, is the same plate.

use designa::domain::Plate;

/// The bytes up to the first NUL are the plate, the rest the country.
pub fn plate(data: &[u8]) {
    let _ = shown_plates_parse_to_themselves(data);
}

fn shown_plates_parse_to_themselves(data: &[u8]) -> Option<()> {
    let text = String::from_utf8_lossy(data);
    let (raw, country) = text.split_once('\0').unwrap_or((&text, "FRA"));
    let normalized = designa::domain::plate::normalize(raw);
    assert_eq!(designa::domain::plate::normalize(&normalized), normalized);
    let plate = Plate::parse(raw, country).ok()?;
    assert!(plate.normalized.bytes().all(|b| b.is_ascii_alphanumeric()));
    let shown = plate.display();
    let again = Plate::parse(&shown, &plate.country)
        .unwrap_or_else(|e| panic!("{shown:?} as shown does not parse: {e:?}"));
    assert_eq!(again, plate, "{raw:?} shown as {shown:?}");
    assert_eq!(Plate::parse(&plate.normalized, &plate.country), Ok(plate));
    Some(())
}
