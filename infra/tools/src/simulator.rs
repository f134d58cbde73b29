//! ANTAI SIMULATOR — not ANTAI. Generates notice files for a given fleet and
//! answers outbound answer files with acknowledgements, in exchange format v1,
//! so the platform can be exercised end to end without the real relay.
//!
//! Deterministic: the same seed gives the same files.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use designa::domain::notice::{Offence, Scale};
use designa::domain::time::PARIS;
use designa::domain::{Notice, Plate};
use designa::exchange::{self, AckOutcome, AckRecord, AnswerRecord, FileError, Header};

/// A common offence as it appears on notices: NATINF code, label, class,
/// amounts (fixed, reduced) and points.
#[derive(Debug, Clone, Copy)]
pub struct CatalogueOffence {
    pub natinf: u32,
    pub label: &'static str,
    pub class: u8,
    pub fixed_cents: u32,
    pub reduced_cents: Option<u32>,
    pub points: Option<u8>,
}

/// A dozen offences that company fleets commonly receive, with the class's
/// standard fixed and reduced fines. Codes 11300-11304, 203 and 6215 were
/// checked against public NATINF references; the others (7234, 22137, 11313,
/// 5024, 20953) are to be checked against the official table before anyone
/// relies on them outside the simulator.
pub const CATALOGUE: [CatalogueOffence; 12] = [
    CatalogueOffence { natinf: 11300, label: "EXCES DE VITESSE INFERIEUR A 20 KM/H PAR CONDUCTEUR DE VEHICULE A MOTEUR - VITESSE MAXIMALE AUTORISEE SUPERIEURE A 50 KM/H", class: 3, fixed_cents: 6800, reduced_cents: Some(4500), points: Some(1) },
    CatalogueOffence { natinf: 11301, label: "EXCES DE VITESSE INFERIEUR A 20 KM/H PAR CONDUCTEUR DE VEHICULE A MOTEUR - VITESSE MAXIMALE AUTORISEE INFERIEURE OU EGALE A 50 KM/H", class: 4, fixed_cents: 13500, reduced_cents: Some(9000), points: Some(1) },
    CatalogueOffence { natinf: 11302, label: "EXCES DE VITESSE D'AU MOINS 20 KM/H ET INFERIEUR A 30 KM/H PAR CONDUCTEUR DE VEHICULE A MOTEUR", class: 4, fixed_cents: 13500, reduced_cents: Some(9000), points: Some(2) },
    CatalogueOffence { natinf: 11303, label: "EXCES DE VITESSE D'AU MOINS 30 KM/H ET INFERIEUR A 40 KM/H PAR CONDUCTEUR DE VEHICULE A MOTEUR", class: 4, fixed_cents: 13500, reduced_cents: Some(9000), points: Some(3) },
    CatalogueOffence { natinf: 11304, label: "EXCES DE VITESSE D'AU MOINS 40 KM/H ET INFERIEUR A 50 KM/H PAR CONDUCTEUR DE VEHICULE A MOTEUR", class: 4, fixed_cents: 13500, reduced_cents: Some(9000), points: Some(4) },
    CatalogueOffence { natinf: 7234, label: "INOBSERVATION, PAR CONDUCTEUR DE VEHICULE, DE L'ARRET IMPOSE PAR UN FEU ROUGE FIXE OU CLIGNOTANT", class: 4, fixed_cents: 13500, reduced_cents: Some(9000), points: Some(4) },
    CatalogueOffence { natinf: 203, label: "INOBSERVATION, PAR CONDUCTEUR, DE L'ARRET IMPOSE PAR LE PANNEAU \"STOP\" A UNE INTERSECTION DE ROUTES", class: 4, fixed_cents: 13500, reduced_cents: Some(9000), points: Some(4) },
    CatalogueOffence { natinf: 6215, label: "STATIONNEMENT TRES GENANT D'UN VEHICULE SUR UNE CHAUSSEE OU VOIE RESERVEE A LA CIRCULATION DES VEHICULES DE TRANSPORT PUBLIC DE VOYAGEURS OU DES TAXIS", class: 4, fixed_cents: 13500, reduced_cents: Some(9000), points: None },
    CatalogueOffence { natinf: 22137, label: "USAGE D'UN TELEPHONE TENU EN MAIN PAR LE CONDUCTEUR D'UN VEHICULE EN CIRCULATION", class: 4, fixed_cents: 13500, reduced_cents: Some(9000), points: Some(3) },
    CatalogueOffence { natinf: 11313, label: "CIRCULATION SUR LA BANDE D'ARRET D'URGENCE D'UNE AUTOROUTE", class: 4, fixed_cents: 13500, reduced_cents: Some(9000), points: Some(3) },
    CatalogueOffence { natinf: 5024, label: "STATIONNEMENT GENANT D'UN VEHICULE SUR UN EMPLACEMENT RESERVE AUX VEHICULES DE LIVRAISON", class: 2, fixed_cents: 3500, reduced_cents: Some(2200), points: None },
    CatalogueOffence { natinf: 20953, label: "CIRCULATION D'UN VEHICULE DANS UNE ZONE A FAIBLES EMISSIONS MOBILITE SANS RESPECT DES RESTRICTIONS", class: 3, fixed_cents: 6800, reduced_cents: Some(4500), points: None },
];

/// A tiny deterministic generator (xorshift64*): no dependency, repeatable runs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// A vehicle as the simulator needs it.
#[derive(Debug, Clone)]
pub struct SimulatedVehicle {
    pub plate: Plate,
    pub make: String,
    pub model: String,
}

/// `count` distinct, valid SIV plates drawn from `seed`: a synthetic fleet
/// for tests and benchmarks.
pub fn synthetic_fleet(count: usize, seed: u64) -> Vec<SimulatedVehicle> {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTVWXYZ";
    const MODELS: [(&str, &str); 4] = [
        ("RENAULT", "CLIO"),
        ("PEUGEOT", "308"),
        ("CITROEN", "BERLINGO"),
        ("RENAULT", "TRAFIC"),
    ];
    let mut rng = Rng::new(seed);
    let mut seen = std::collections::HashSet::new();
    let mut fleet = Vec::with_capacity(count);
    while fleet.len() < count {
        let number = 1 + rng.below(999);
        let mut letter = || LETTERS[rng.below(LETTERS.len() as u64) as usize] as char;
        let raw = format!(
            "{}{}-{number:03}-{}{}",
            letter(),
            letter(),
            letter(),
            letter()
        );
        let Ok(plate) = Plate::parse(&raw, "FRA") else {
            continue;
        };
        if seen.insert(plate.normalized.clone()) {
            let (make, model) = MODELS[fleet.len() % MODELS.len()];
            fleet.push(SimulatedVehicle {
                plate,
                make: make.into(),
                model: model.into(),
            });
        }
    }
    fleet
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct NoticeBatch {
    /// Notices to generate, spread over the fleet.
    pub count: usize,
    /// Offences happen within this many days before `issued_on`.
    pub offence_window_days: u64,
    /// Issue date of every notice of the file.
    pub issued_on: NaiveDate,
    /// First notice number; the others follow.
    pub first_number: u64,
    pub seed: u64,
}

/// Notices for vehicles of the fleet, with realistic offences and times.
pub fn generate_notices(fleet: &[SimulatedVehicle], batch: &NoticeBatch) -> Vec<Notice> {
    assert!(
        !fleet.is_empty(),
        "the simulator needs at least one vehicle"
    );
    let mut rng = Rng::new(batch.seed);
    (0..batch.count)
        .map(|i| {
            let vehicle = &fleet[rng.below(fleet.len() as u64) as usize];
            let offence = CATALOGUE[rng.below(CATALOGUE.len() as u64) as usize];
            let days_before = 1 + rng.below(batch.offence_window_days.max(1));
            let day = batch
                .issued_on
                .checked_sub_days(Days::new(days_before))
                .expect("date in range");
            // Daytime offences, 06:00 to 21:59 Paris, whole seconds.
            let seconds = 6 * 3600 + rng.below(16 * 3600) as u32;
            let naive = day
                .and_hms_opt(seconds / 3600, (seconds / 60) % 60, seconds % 60)
                .expect("valid time");
            let offence_at = PARIS
                .from_local_datetime(&naive)
                .earliest()
                .unwrap_or_else(|| PARIS.from_utc_datetime(&naive));
            Notice {
                notice_number: format!("{:010}", batch.first_number + i as u64),
                plate: vehicle.plate.clone(),
                make: vehicle.make.clone(),
                model: vehicle.model.clone(),
                offence_at,
                offence: Offence {
                    natinf_code: offence.natinf,
                    label: offence.label.to_string(),
                },
                scale: Scale {
                    class: offence.class,
                    fixed_amount_cents: offence.fixed_cents,
                    reduced_amount_cents: offence.reduced_cents,
                    points: offence.points,
                },
                issued_on: batch.issued_on,
            }
        })
        .collect()
}

/// A file ready to drop: conventional name and bytes.
#[derive(Debug, Clone)]
pub struct SimulatedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

pub fn notice_file(file_id: &str, created_at: DateTime<Utc>, notices: &[Notice]) -> SimulatedFile {
    let bytes = exchange::write_file(file_id, created_at, notices);
    let header = Header {
        version: exchange::CURRENT_VERSION,
        kind: exchange::Kind::Notices,
        file_id: file_id.into(),
        created_at,
    };
    SimulatedFile {
        name: exchange::file_name(&header),
        bytes,
    }
}

/// Answers an outbound answers file the way ANTAI would: each answer is
/// acknowledged, or refused with an error code for a share of them.
pub fn acknowledge(
    answers_file: &[u8],
    error_share: f64,
    processed_at: DateTime<Utc>,
    seed: u64,
) -> Result<SimulatedFile, FileError> {
    let parsed = exchange::parse_bytes::<AnswerRecord>(answers_file)?;
    let mut rng = Rng::new(seed);
    let acks: Vec<AckRecord> = parsed
        .records
        .iter()
        .map(|(_, answer)| AckRecord {
            answer_id: answer.answer_id.clone(),
            notice_number: answer.notice_number.clone(),
            outcome: if rng.chance(error_share) {
                AckOutcome::Error {
                    code: "E_ADRESSE".into(),
                    field: Some("code_postal".into()),
                    message: "CODE POSTAL INCONNU POUR LA COMMUNE INDIQUEE".into(),
                }
            } else {
                AckOutcome::Acknowledged
            },
            processed_at,
        })
        .collect();
    let file_id = format!("ACK-{}", parsed.header.file_id);
    let file_id: String = file_id.chars().take(64).collect();
    let bytes = exchange::write_file(&file_id, processed_at, &acks);
    let header = Header {
        version: exchange::CURRENT_VERSION,
        kind: exchange::Kind::Acknowledgements,
        file_id,
        created_at: processed_at,
    };
    Ok(SimulatedFile {
        name: exchange::file_name(&header),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use designa::domain::answer::{AnswerBody, OtherAnswer};

    fn fleet() -> Vec<SimulatedVehicle> {
        ["AB-123-CD", "123 ABC 75", "1234 AB 2A"]
            .iter()
            .map(|p| SimulatedVehicle {
                plate: Plate::parse(p, "FRA").unwrap(),
                make: "RENAULT".into(),
                model: "CLIO".into(),
            })
            .collect()
    }

    fn batch(count: usize, seed: u64) -> NoticeBatch {
        NoticeBatch {
            count,
            offence_window_days: 10,
            issued_on: NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
            first_number: 9_000_000_000,
            seed,
        }
    }

    #[test]
    fn synthetic_fleets_are_distinct_valid_and_repeatable() {
        let fleet = synthetic_fleet(3_000, 9);
        let plates: std::collections::HashSet<_> = fleet.iter().map(|v| v.plate.key()).collect();
        assert_eq!(plates.len(), 3_000);
        let again: Vec<_> = synthetic_fleet(50, 9)
            .into_iter()
            .map(|v| v.plate)
            .collect();
        let first: Vec<_> = fleet[..50].iter().map(|v| v.plate.clone()).collect();
        assert_eq!(again, first, "same seed, same start");
    }

    #[test]
    fn generated_files_parse_and_are_repeatable() {
        let notices = generate_notices(&fleet(), &batch(200, 7));
        assert_eq!(notices, generate_notices(&fleet(), &batch(200, 7)));
        assert_ne!(notices, generate_notices(&fleet(), &batch(200, 8)));
        let file = notice_file("SIM-1", Utc::now(), &notices);
        assert!(file.name.starts_with("DEMANDES_DESIGNATION_"));
        let parsed = exchange::parse_bytes::<Notice>(&file.bytes).unwrap();
        assert_eq!(parsed.records.len(), 200);
        assert!(parsed.rejected.is_empty());
        // Offences precede the issue date, in daytime Paris.
        assert!(notices
            .iter()
            .all(|n| n.offence_at.date_naive() < n.issued_on));
        let natinfs: std::collections::HashSet<u32> =
            notices.iter().map(|n| n.offence.natinf_code).collect();
        assert!(natinfs.len() >= 10, "the catalogue is used broadly");
    }

    #[test]
    fn acknowledgements_answer_every_answer_with_the_requested_error_share() {
        let answers: Vec<AnswerRecord> = (0..400)
            .map(|i| AnswerRecord {
                answer_id: format!("ANS-{i}"),
                notice_number: format!("{:010}", i),
                body: AnswerBody::Other(OtherAnswer::VehicleUnknown),
                answered_at: Utc::now(),
            })
            .collect();
        let file = exchange::write_file("OUT-1", Utc::now(), &answers);
        let acks = acknowledge(&file, 0.25, Utc::now(), 1).unwrap();
        let parsed = exchange::parse_bytes::<AckRecord>(&acks.bytes).unwrap();
        assert_eq!(parsed.records.len(), 400);
        let errors = parsed
            .records
            .iter()
            .filter(|(_, a)| matches!(a.outcome, AckOutcome::Error { .. }))
            .count();
        assert!(
            (60..140).contains(&errors),
            "{errors} errors for a 25% share"
        );
        assert!(acknowledge(&file, 0.0, Utc::now(), 1)
            .map(|f| !String::from_utf8(f.bytes).unwrap().contains("ERREUR"))
            .unwrap());
    }
}
