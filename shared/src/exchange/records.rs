//! The record types of the four kinds, and their field layouts.

use super::fields::{FieldError, Fields};
use super::{Kind, Record};
use crate::domain::address::PostalAddress;
use crate::domain::answer::{AnswerBody, DesignatedDriver, OtherAnswer};
use crate::domain::notice::{Notice, Offence, Scale};
use crate::domain::plate::Plate;
use crate::domain::time::{
    format_french_date, format_paris_datetime, parse_french_date, parse_paris_datetime,
};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_rfc3339(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("'{s}' is not an RFC 3339 time (2026-01-31T10:00:00Z)"))
}

/// Euros with exactly two decimals and a dot: `135.00`.
fn format_euros(cents: u32) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn parse_euros(s: &str) -> Result<u32, String> {
    let err = || format!("'{s}' is not an amount in euros with two decimals (135.00)");
    let (units, decimals) = s.split_once('.').ok_or_else(err)?;
    if units.is_empty()
        || decimals.len() != 2
        || !units
            .bytes()
            .chain(decimals.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(err());
    }
    let units: u32 = units.parse().map_err(|_| err())?;
    let decimals: u32 = decimals.parse().map_err(|_| err())?;
    units
        .checked_mul(100)
        .and_then(|c| c.checked_add(decimals))
        .ok_or_else(err)
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn opt_date(d: &Option<NaiveDate>) -> String {
    d.map(format_french_date).unwrap_or_default()
}

// ---------------------------------------------------------------- notices

impl Record for Notice {
    const KIND: Kind = Kind::Notices;
    const FIELDS: &'static [&'static str] = &[
        "numero_aco",
        "immatriculation",
        "paysImmatriculation",
        "marque",
        "modele",
        "date_infraction",
        "codeNatinf",
        "libelle_natinf",
        "classe",
        "montant_forfaitaire",
        "montant_minore",
        "points_retires",
        "date_avis",
    ];

    fn to_fields(&self) -> Vec<String> {
        vec![
            self.notice_number.clone(),
            self.plate.normalized.clone(),
            self.plate.country.clone(),
            self.make.clone(),
            self.model.clone(),
            format_paris_datetime(&self.offence_at),
            self.offence.natinf_code.to_string(),
            self.offence.label.clone(),
            self.scale.class.to_string(),
            format_euros(self.scale.fixed_amount_cents),
            self.scale
                .reduced_amount_cents
                .map(format_euros)
                .unwrap_or_default(),
            self.scale.points.map(|p| p.to_string()).unwrap_or_default(),
            format_french_date(self.issued_on),
        ]
    }

    fn from_fields(f: &Fields) -> Result<Self, FieldError> {
        let notice_number = f.required("numero_aco")?;
        if !(6..=32).contains(&notice_number.len())
            || !notice_number.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(FieldError::new(
                "numero_aco",
                format!("'{notice_number}' must be 6 to 32 letters or digits"),
            ));
        }
        let country = f.required("paysImmatriculation")?;
        let plate = f.parse("immatriculation", |p| Plate::parse(p, country))?;
        let natinf_code = f.parse("codeNatinf", |c| {
            c.parse::<u32>()
                .ok()
                .filter(|v| (1..=99_999).contains(v))
                .ok_or_else(|| format!("'{c}' is not a NATINF code (1 to 5 digits)"))
        })?;
        let class = f.parse("classe", |c| {
            c.parse::<u8>()
                .ok()
                .filter(|v| (1..=5).contains(v))
                .ok_or_else(|| format!("'{c}' is not a contravention class 1 to 5"))
        })?;
        let points = f.parse_optional("points_retires", |p| {
            p.parse::<u8>()
                .ok()
                .filter(|v| *v <= 12)
                .ok_or_else(|| format!("'{p}' is not a number of points 0 to 12"))
        })?;
        Ok(Notice {
            notice_number: notice_number.to_string(),
            plate,
            make: f.required("marque")?.to_string(),
            model: f.raw("modele").to_string(),
            offence_at: f.parse("date_infraction", parse_paris_datetime)?,
            offence: Offence {
                natinf_code,
                label: f.required("libelle_natinf")?.to_string(),
            },
            scale: Scale {
                class,
                fixed_amount_cents: f.parse("montant_forfaitaire", parse_euros)?,
                reduced_amount_cents: f.parse_optional("montant_minore", parse_euros)?,
                points,
            },
            issued_on: f.parse("date_avis", parse_french_date)?,
        })
    }
}

// ---------------------------------------------------------------- answers

/// One answer as sent to ANTAI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRecord {
    /// `identifiantDesignation`: our id of this transmission of the answer.
    pub answer_id: String,
    pub notice_number: String,
    pub body: AnswerBody,
    pub answered_at: DateTime<Utc>,
}

const MOTIF_SOLD: &str = "VEHICULE_CEDE";
const MOTIF_RETURNED: &str = "VEHICULE_RESTITUE";
const MOTIF_STOLEN: &str = "VEHICULE_VOLE";
const MOTIF_UNKNOWN: &str = "VEHICULE_INCONNU";
const MOTIF_ERROR: &str = "ERREUR";
const MOTIF_USURPATION: &str = "USURPATION_PLAQUE";
const MOTIF_PAPER: &str = "DEMANDE_AVIS_PAPIER";

impl Record for AnswerRecord {
    const KIND: Kind = Kind::Answers;
    const FIELDS: &'static [&'static str] = &[
        "identifiantDesignation",
        "numero_aco",
        "statut",
        "motif",
        "date_evenement",
        "reference_plainte",
        "commentaire",
        "nom",
        "prenom",
        "adresse_ligne1",
        "adresse_ligne2",
        "code_postal",
        "ville",
        "pays",
        "email_personnel",
        "email_professionnel",
        "date_reponse",
    ];

    fn to_fields(&self) -> Vec<String> {
        let mut f = vec![String::new(); Self::FIELDS.len()];
        f[0] = self.answer_id.clone();
        f[1] = self.notice_number.clone();
        match &self.body {
            AnswerBody::Designation(d) => {
                f[2] = "DESIGNATION".into();
                f[7] = d.last_name.clone();
                f[8] = d.first_name.clone();
                f[9] = d.address.line1.clone();
                f[10] = opt(&d.address.line2);
                f[11] = d.address.postcode.clone();
                f[12] = d.address.city.clone();
                f[13] = d.address.country.clone();
                f[14] = opt(&d.personal_email);
                f[15] = opt(&d.professional_email);
            }
            AnswerBody::Other(other) => {
                f[2] = "NON_DESIGNATION".into();
                let (motif, date, reference, comment) = match other {
                    OtherAnswer::VehicleSold { on } => (MOTIF_SOLD, Some(*on), None, None),
                    OtherAnswer::VehicleReturned { on } => (MOTIF_RETURNED, Some(*on), None, None),
                    OtherAnswer::VehicleStolen {
                        on,
                        complaint_reference,
                    } => (
                        MOTIF_STOLEN,
                        Some(*on),
                        Some(complaint_reference.clone()),
                        None,
                    ),
                    OtherAnswer::VehicleUnknown => (MOTIF_UNKNOWN, None, None, None),
                    OtherAnswer::Error { justification } => {
                        (MOTIF_ERROR, None, None, Some(justification.clone()))
                    }
                    OtherAnswer::PlateUsurpation { details } => {
                        (MOTIF_USURPATION, None, None, Some(details.clone()))
                    }
                    OtherAnswer::PaperNoticeRequested => (MOTIF_PAPER, None, None, None),
                };
                f[3] = motif.into();
                f[4] = opt_date(&date);
                f[5] = opt(&reference);
                f[6] = opt(&comment);
            }
        }
        f[16] = rfc3339(&self.answered_at);
        f
    }

    fn from_fields(f: &Fields) -> Result<Self, FieldError> {
        let body = match f.required("statut")? {
            "DESIGNATION" => AnswerBody::Designation(DesignatedDriver {
                last_name: f.required("nom")?.to_string(),
                first_name: f.required("prenom")?.to_string(),
                address: PostalAddress {
                    line1: f.required("adresse_ligne1")?.to_string(),
                    line2: f.optional("adresse_ligne2").map(str::to_string),
                    postcode: f.required("code_postal")?.to_string(),
                    city: f.required("ville")?.to_string(),
                    country: f.required("pays")?.to_string(),
                },
                personal_email: f.optional("email_personnel").map(str::to_string),
                professional_email: f.optional("email_professionnel").map(str::to_string),
            }),
            "NON_DESIGNATION" => {
                let date = || f.parse("date_evenement", parse_french_date);
                let text = |name| f.required(name).map(str::to_string);
                AnswerBody::Other(match f.required("motif")? {
                    MOTIF_SOLD => OtherAnswer::VehicleSold { on: date()? },
                    MOTIF_RETURNED => OtherAnswer::VehicleReturned { on: date()? },
                    MOTIF_STOLEN => OtherAnswer::VehicleStolen {
                        on: date()?,
                        complaint_reference: text("reference_plainte")?,
                    },
                    MOTIF_UNKNOWN => OtherAnswer::VehicleUnknown,
                    MOTIF_ERROR => OtherAnswer::Error {
                        justification: text("commentaire")?,
                    },
                    MOTIF_USURPATION => OtherAnswer::PlateUsurpation {
                        details: text("commentaire")?,
                    },
                    MOTIF_PAPER => OtherAnswer::PaperNoticeRequested,
                    other => {
                        return Err(FieldError::new(
                            "motif",
                            format!("unknown reason '{other}'"),
                        ))
                    }
                })
            }
            other => {
                return Err(FieldError::new(
                    "statut",
                    format!("'{other}' is neither DESIGNATION nor NON_DESIGNATION"),
                ))
            }
        };
        Ok(AnswerRecord {
            answer_id: f.required("identifiantDesignation")?.to_string(),
            notice_number: f.required("numero_aco")?.to_string(),
            body,
            answered_at: f.parse("date_reponse", parse_rfc3339)?,
        })
    }
}

// ---------------------------------------------------------------- acknowledgements

/// ANTAI's verdict on one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum AckOutcome {
    InProgress,
    Acknowledged,
    Error {
        code: String,
        field: Option<String>,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckRecord {
    pub answer_id: String,
    pub notice_number: String,
    pub outcome: AckOutcome,
    pub processed_at: DateTime<Utc>,
}

impl Record for AckRecord {
    const KIND: Kind = Kind::Acknowledgements;
    const FIELDS: &'static [&'static str] = &[
        "identifiantDesignation",
        "numero_aco",
        "statut_traitement",
        "code_erreur",
        "champ_erreur",
        "libelle_erreur",
        "date_traitement",
    ];

    fn to_fields(&self) -> Vec<String> {
        let (status, code, field, message) = match &self.outcome {
            AckOutcome::InProgress => ("EN_COURS", String::new(), String::new(), String::new()),
            AckOutcome::Acknowledged => ("ACQUITTE", String::new(), String::new(), String::new()),
            AckOutcome::Error {
                code,
                field,
                message,
            } => ("ERREUR", code.clone(), opt(field), message.clone()),
        };
        vec![
            self.answer_id.clone(),
            self.notice_number.clone(),
            status.into(),
            code,
            field,
            message,
            rfc3339(&self.processed_at),
        ]
    }

    fn from_fields(f: &Fields) -> Result<Self, FieldError> {
        let outcome = match f.required("statut_traitement")? {
            "EN_COURS" => AckOutcome::InProgress,
            "ACQUITTE" => AckOutcome::Acknowledged,
            "ERREUR" => AckOutcome::Error {
                code: f.required("code_erreur")?.to_string(),
                field: f.optional("champ_erreur").map(str::to_string),
                message: f.required("libelle_erreur")?.to_string(),
            },
            other => {
                return Err(FieldError::new(
                    "statut_traitement",
                    format!("'{other}' is not EN_COURS, ACQUITTE or ERREUR"),
                ))
            }
        };
        Ok(AckRecord {
            answer_id: f.required("identifiantDesignation")?.to_string(),
            notice_number: f.required("numero_aco")?.to_string(),
            outcome,
            processed_at: f.parse("date_traitement", parse_rfc3339)?,
        })
    }
}

// ---------------------------------------------------------------- fleet declaration

/// What a fleet line states: the full current state, or one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FleetOperation {
    /// Line of a full (periodic) declaration.
    Full,
    Added,
    Changed,
    Leaving,
}

impl FleetOperation {
    fn code(&self) -> &'static str {
        match self {
            FleetOperation::Full => "COMPLET",
            FleetOperation::Added => "AJOUT",
            FleetOperation::Changed => "MODIFICATION",
            FleetOperation::Leaving => "SORTIE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetRecord {
    pub operation: FleetOperation,
    pub plate: Plate,
    pub make: String,
    pub model: String,
    pub managed_from: NaiveDate,
    pub managed_until: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

impl Record for FleetRecord {
    const KIND: Kind = Kind::FleetDeclaration;
    const FIELDS: &'static [&'static str] = &[
        "operation",
        "immatriculation",
        "paysImmatriculation",
        "marque",
        "modele",
        "date_debut_gestion",
        "date_fin_gestion",
        "date_mise_a_jour",
    ];

    fn to_fields(&self) -> Vec<String> {
        vec![
            self.operation.code().into(),
            self.plate.normalized.clone(),
            self.plate.country.clone(),
            self.make.clone(),
            self.model.clone(),
            format_french_date(self.managed_from),
            opt_date(&self.managed_until),
            rfc3339(&self.updated_at),
        ]
    }

    fn from_fields(f: &Fields) -> Result<Self, FieldError> {
        let operation = match f.required("operation")? {
            "COMPLET" => FleetOperation::Full,
            "AJOUT" => FleetOperation::Added,
            "MODIFICATION" => FleetOperation::Changed,
            "SORTIE" => FleetOperation::Leaving,
            other => {
                return Err(FieldError::new(
                    "operation",
                    format!("unknown operation '{other}'"),
                ))
            }
        };
        let country = f.required("paysImmatriculation")?;
        Ok(FleetRecord {
            operation,
            plate: f.parse("immatriculation", |p| Plate::parse(p, country))?,
            make: f.required("marque")?.to_string(),
            model: f.raw("modele").to_string(),
            managed_from: f.parse("date_debut_gestion", parse_french_date)?,
            managed_until: f.parse_optional("date_fin_gestion", parse_french_date)?,
            updated_at: f.parse("date_mise_a_jour", parse_rfc3339)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_round_trip_and_refuse_other_shapes() {
        assert_eq!(parse_euros("135.00"), Ok(13500));
        assert_eq!(parse_euros("0.05"), Ok(5));
        assert_eq!(format_euros(9000), "90.00");
        for bad in ["135", "135,00", "135.0", ".50", "-1.00", "1e3.00"] {
            assert!(parse_euros(bad).is_err(), "{bad}");
        }
    }
}
