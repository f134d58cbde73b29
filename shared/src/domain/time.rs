//! Dates and times. ANTAI writes offence times in Europe/Paris local time
//! (`JJ/MM/AAAA HH:MM:SS`); we store instants in UTC and keep the zone explicit.

use super::reason::ReasonCode;
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use chrono_tz::Tz;

pub const PARIS: Tz = Paris;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("« {0} » n'est pas une date JJ/MM/AAAA.")]
    BadDate(String),
    #[error("« {0} » n'est pas une date et une heure JJ/MM/AAAA HH:MM:SS.")]
    BadDateTime(String),
    #[error("« {0} » n'existe pas à Paris : cette nuit-là, les horloges avancent d'une heure.")]
    NonexistentLocalTime(String),
}

impl TimeError {
    pub fn code(&self) -> ReasonCode {
        match self {
            TimeError::BadDate(_) => ReasonCode::InvalidDate,
            _ => ReasonCode::InvalidDateTime,
        }
    }
}

/// Parses `JJ/MM/AAAA`.
pub fn parse_french_date(s: &str) -> Result<NaiveDate, TimeError> {
    NaiveDate::parse_from_str(s, "%d/%m/%Y").map_err(|_| TimeError::BadDate(s.to_string()))
}

/// Parses `JJ/MM/AAAA HH:MM:SS` as Europe/Paris local time. During the autumn
/// fall-back hour the earlier instant is taken (the first occurrence).
pub fn parse_paris_datetime(s: &str) -> Result<DateTime<Tz>, TimeError> {
    let naive = NaiveDateTime::parse_from_str(s, "%d/%m/%Y %H:%M:%S")
        .map_err(|_| TimeError::BadDateTime(s.to_string()))?;
    match PARIS.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t),
        LocalResult::Ambiguous(first, _) => Ok(first),
        LocalResult::None => Err(TimeError::NonexistentLocalTime(s.to_string())),
    }
}

pub fn format_french_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub fn format_paris_datetime(t: &DateTime<Tz>) -> String {
    t.format("%d/%m/%Y %H:%M:%S").to_string()
}

/// The Paris calendar day an instant falls on.
pub fn paris_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&PARIS).date_naive()
}

/// A Paris local time on a day; in the autumn fall-back hour, the first
/// occurrence; a time that does not exist (spring forward) moves one hour on.
pub fn paris_datetime(d: NaiveDate, hour: u32, minute: u32) -> DateTime<Tz> {
    let naive = d.and_hms_opt(hour, minute, 0).expect("valid time");
    match PARIS.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t,
        LocalResult::None => PARIS
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .expect("one hour after a gap exists"),
    }
}

/// The last instant of a Paris calendar day (23:59:59 local), in UTC.
pub fn end_of_paris_day(d: NaiveDate) -> DateTime<Utc> {
    let naive = d.and_hms_opt(23, 59, 59).expect("valid time");
    match PARIS.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(_, t) => t.with_timezone(&Utc),
        // 23:59:59 always exists in Paris; keep a defined answer anyway.
        LocalResult::None => Utc.from_utc_datetime(&naive),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    #[test]
    fn paris_times_carry_their_offset() {
        let winter = parse_paris_datetime("15/01/2026 08:30:00").unwrap();
        assert_eq!(winter.with_timezone(&Utc).hour(), 7);
        let summer = parse_paris_datetime("15/07/2026 08:30:00").unwrap();
        assert_eq!(summer.with_timezone(&Utc).hour(), 6);
    }

    #[test]
    fn daylight_saving_edges() {
        // 29 March 2026: 02:30 does not exist in Paris.
        assert!(matches!(
            parse_paris_datetime("29/03/2026 02:30:00"),
            Err(TimeError::NonexistentLocalTime(_))
        ));
        // 25 October 2026: 02:30 happens twice; the first (UTC+2) is taken.
        let t = parse_paris_datetime("25/10/2026 02:30:00").unwrap();
        assert_eq!(t.with_timezone(&Utc).hour(), 0);
    }

    #[test]
    fn bad_shapes_are_refused() {
        assert!(parse_french_date("2026-01-15").is_err());
        assert!(parse_french_date("31/02/2026").is_err());
        assert!(parse_paris_datetime("15/01/2026 25:00:00").is_err());
        assert!(parse_paris_datetime("15/01/2026").is_err());
    }
}

/// Serde for Europe/Paris instants: RFC 3339 with the offset of the moment.
pub mod paris_serde {
    use super::PARIS;
    use chrono::{DateTime, SecondsFormat};
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Tz>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, false))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Tz>, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&PARIS))
            .map_err(serde::de::Error::custom)
    }
}
