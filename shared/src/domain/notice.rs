//! Offence notices (avis de contravention) as ANTAI sends them for designation.

use super::plate::Plate;
use super::time::{end_of_paris_day, PARIS};
use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Days the holder of a company vehicle has to answer (art. L.121-6 Code de la route).
pub const DESIGNATION_DAYS: u64 = 45;

/// An offence notice received from ANTAI, before or after routing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// `numero_aco`: ANTAI's notice number, unique across all notices.
    pub notice_number: String,
    pub plate: Plate,
    pub make: String,
    pub model: String,
    /// Offence date and time, Europe/Paris.
    #[serde(with = "super::time::paris_serde")]
    pub offence_at: DateTime<Tz>,
    pub offence: Offence,
    pub scale: Scale,
    /// Issue date of the notice (date d'émission), the start of the 45 days.
    pub issued_on: NaiveDate,
}

/// Nature of the offence: NATINF code and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offence {
    pub natinf_code: u32,
    pub label: String,
}

/// The scale of the penalty. Shown while the notice is open, hidden once a
/// driver is designated (art. L.223-7: points must not be collected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scale {
    /// Contravention class, 1 to 5.
    pub class: u8,
    pub fixed_amount_cents: u32,
    pub reduced_amount_cents: Option<u32>,
    /// Points withdrawn; `None` for offences without points (parking, L.121-2).
    pub points: Option<u8>,
}

impl Notice {
    /// An obviously fictional notice (tests, benchmarks, demos): a speeding
    /// offence at 08:30 Paris time, four days before its issue date.
    pub fn sample(number: &str, plate: Plate, issued_on: NaiveDate) -> Notice {
        let offence_day = issued_on
            .checked_sub_days(Days::new(4))
            .unwrap_or(issued_on);
        let offence_at = super::time::paris_datetime(offence_day, 8, 30);
        Notice {
            notice_number: number.into(),
            plate,
            make: "RENAULT".into(),
            model: "CLIO".into(),
            offence_at,
            offence: Offence {
                natinf_code: 11300,
                label: "EXCES DE VITESSE INFERIEUR A 20 KM/H".into(),
            },
            scale: Scale {
                class: 4,
                fixed_amount_cents: 13500,
                reduced_amount_cents: Some(9000),
                points: Some(1),
            },
            issued_on,
        }
    }

    /// Last day to answer: the issue date plus 45 days.
    pub fn deadline(&self) -> Deadline {
        Deadline::from_issue_date(self.issued_on)
    }

    pub fn offence_at_utc(&self) -> DateTime<Utc> {
        self.offence_at.with_timezone(&Utc)
    }
}

/// The designation deadline: a Paris calendar day, answerable until its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Deadline {
    pub last_day: NaiveDate,
}

impl Deadline {
    pub fn from_issue_date(issued_on: NaiveDate) -> Deadline {
        Deadline {
            last_day: issued_on
                .checked_add_days(Days::new(DESIGNATION_DAYS))
                .expect("date in range"),
        }
    }

    /// 23:59:59 Europe/Paris on the last day, in UTC.
    pub fn closes_at(&self) -> DateTime<Utc> {
        end_of_paris_day(self.last_day)
    }

    pub fn is_past(&self, now: DateTime<Utc>) -> bool {
        now > self.closes_at()
    }

    /// Whole Paris days left before the last day (0 on the last day, negative after).
    pub fn days_left(&self, now: DateTime<Utc>) -> i64 {
        let today = now.with_timezone(&PARIS).date_naive();
        (self.last_day - today).num_days()
    }
}

/// Life cycle of a notice on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NoticeStatus {
    /// Received, no answer yet.
    Open,
    /// An answer is in its grace window (still editable).
    AnswerPending,
    /// The answer went out in an outbound batch.
    AnswerSent,
    /// ANTAI acknowledged the answer: the legal duty is met.
    Acknowledged,
    /// ANTAI refused the answer; it must be corrected.
    AnswerInError,
    /// 45 days passed without an answer: ANTAI sends it on paper.
    GoneToPaper,
}

impl NoticeStatus {
    pub const ALL: [NoticeStatus; 6] = [
        NoticeStatus::Open,
        NoticeStatus::AnswerPending,
        NoticeStatus::AnswerSent,
        NoticeStatus::Acknowledged,
        NoticeStatus::AnswerInError,
        NoticeStatus::GoneToPaper,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            NoticeStatus::Open => "OPEN",
            NoticeStatus::AnswerPending => "ANSWER_PENDING",
            NoticeStatus::AnswerSent => "ANSWER_SENT",
            NoticeStatus::Acknowledged => "ACKNOWLEDGED",
            NoticeStatus::AnswerInError => "ANSWER_IN_ERROR",
            NoticeStatus::GoneToPaper => "GONE_TO_PAPER",
        }
    }

    /// Does the notice still need an answer before its deadline? Open, or
    /// its answer refused by ANTAI and not corrected yet.
    pub fn awaits_answer(&self) -> bool {
        matches!(self, NoticeStatus::Open | NoticeStatus::AnswerInError)
    }

    /// The status as a fleet manager reads it in a sentence.
    pub fn label_fr(&self) -> &'static str {
        match self {
            NoticeStatus::Open => "ouvert, sans réponse",
            NoticeStatus::AnswerPending => "réponse en délai de modification",
            NoticeStatus::AnswerSent => "réponse envoyée à l'ANTAI",
            NoticeStatus::Acknowledged => "réponse acceptée par l'ANTAI",
            NoticeStatus::AnswerInError => "réponse refusée par l'ANTAI",
            NoticeStatus::GoneToPaper => "avis parti en courrier",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn deadline_is_45_days_after_issue_in_paris() {
        let d = Deadline::from_issue_date(NaiveDate::from_ymd_opt(2026, 1, 10).unwrap());
        assert_eq!(d.last_day, NaiveDate::from_ymd_opt(2026, 2, 24).unwrap());
        // 23:59:59 Paris in winter is 22:59:59 UTC.
        assert_eq!(
            d.closes_at(),
            Utc.with_ymd_and_hms(2026, 2, 24, 22, 59, 59).unwrap()
        );
        assert!(!d.is_past(Utc.with_ymd_and_hms(2026, 2, 24, 22, 59, 59).unwrap()));
        assert!(d.is_past(Utc.with_ymd_and_hms(2026, 2, 24, 23, 0, 0).unwrap()));
    }

    #[test]
    fn deadline_across_summer_time() {
        let d = Deadline::from_issue_date(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        assert_eq!(d.last_day, NaiveDate::from_ymd_opt(2026, 7, 16).unwrap());
        assert_eq!(
            d.closes_at(),
            Utc.with_ymd_and_hms(2026, 7, 16, 21, 59, 59).unwrap()
        );
        // Just after midnight Paris on the last day is still "0 days left".
        let early = Utc.with_ymd_and_hms(2026, 7, 15, 22, 30, 0).unwrap();
        assert_eq!(d.days_left(early), 0);
        assert_eq!(
            d.days_left(Utc.with_ymd_and_hms(2026, 7, 14, 12, 0, 0).unwrap()),
            2
        );
    }
}
