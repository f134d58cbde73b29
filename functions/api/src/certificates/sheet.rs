//! What the certificate's PDF says, in French: the signed document's facts,
//! and the designated driver as the notice holds it (or "[effacé]").

use super::pdf::Page;
use chrono::DateTime;
use designa::app::certificates::document::{AnswerFacts, Attested, EntryFacts};
use designa::domain::answer::{AnswerBody, DesignatedDriver, OtherAnswer};
use designa::domain::time::{format_french_date, format_paris_datetime};
use designa::privacy::sealing::ERASED;

/// The certificate's title: a designation's, or another answer's.
pub fn title(attested: &Attested) -> &'static str {
    match attested.answer {
        AnswerFacts::Designation { .. } => "Attestation de désignation",
        AnswerFacts::Other { .. } => "Attestation de réponse à l'ANTAI",
    }
}

/// An instant of the document (RFC 3339) in Paris time, as fleet managers read it.
pub fn paris(instant: &str) -> String {
    match DateTime::parse_from_rfc3339(instant) {
        Ok(at) => {
            let at = at.with_timezone(&chrono_tz::Europe::Paris);
            format!("{} (heure de Paris)", format_paris_datetime(&at))
        }
        Err(_) => instant.to_string(),
    }
}

/// The page: the certificate's facts; `body` is the answer as the notice
/// holds it now, `salt` the driver's (`None` once erased).
pub fn page(attested: &Attested, body: &AnswerBody, salt: Option<&[u8; 32]>) -> Page {
    let mut page = Page::new();
    page.title(title(attested));
    page.note(&format!(
        "Délivrée par designa le {}. Code de vérification : {}.",
        paris(&attested.issued_at),
        attested.verification_code
    ));
    page.heading("Le client");
    page.field("Client", &attested.tenant.name);
    page.field("Entité", &attested.entity.name);
    notice(&mut page, attested);
    page.heading("La réponse");
    page.field("Réponse", answer_label(&attested.answer));
    match (body, &attested.answer) {
        (
            AnswerBody::Designation(driver),
            AnswerFacts::Designation {
                driver_commitment, ..
            },
        ) => designation(&mut page, driver, driver_commitment.as_deref(), salt),
        (AnswerBody::Other(other), _) => other_answer(&mut page, other),
        _ => {}
    }
    transmission(&mut page, attested);
    verification(&mut page, attested);
    page
}

fn answer_label(answer: &AnswerFacts) -> &str {
    match answer {
        AnswerFacts::Designation { label, .. } | AnswerFacts::Other { label, .. } => label,
    }
}

fn notice(page: &mut Page, attested: &Attested) {
    let notice = &attested.notice;
    page.heading("L'avis de contravention");
    page.field("Numéro d'avis", &notice.number);
    page.field(
        "Immatriculation",
        &format!("{} ({})", notice.plate, notice.country),
    );
    page.field("Date et heure de l'infraction", &paris(&notice.offence_at));
    page.field("Code NATINF", &notice.natinf_code.to_string());
    page.field("Nature de l'infraction", &notice.natinf_label);
}

fn designation(
    page: &mut Page,
    driver: &DesignatedDriver,
    commitment: Option<&str>,
    salt: Option<&[u8; 32]>,
) {
    let readable = salt.is_some() && driver.last_name != ERASED;
    if !readable {
        page.field("Conducteur désigné", ERASED);
        if let Some(commitment) = commitment {
            page.digest("Empreinte du conducteur", commitment);
        }
        page.paragraph(
            "Les données du conducteur ont été effacées à sa demande (RGPD) : la désignation \
             reste prouvée par sa transmission, l'accusé de réception de l'ANTAI et la preuve signée.",
        );
        return;
    }
    page.field("Nom", &driver.last_name);
    page.field("Prénom", &driver.first_name);
    page.field("Adresse", &address(driver));
    if let (Some(commitment), Some(salt)) = (commitment, salt) {
        page.digest("Empreinte du conducteur", commitment);
        page.digest("Sel de l'empreinte", &hex::encode(salt));
    }
}

fn address(driver: &DesignatedDriver) -> String {
    let a = &driver.address;
    let mut lines = vec![a.line1.clone()];
    lines.extend(a.line2.clone().filter(|l| !l.trim().is_empty()));
    lines.push(format!("{} {} ({})", a.postcode, a.city, a.country));
    lines.join(", ")
}

fn other_answer(page: &mut Page, other: &OtherAnswer) {
    match other {
        OtherAnswer::VehicleSold { on } | OtherAnswer::VehicleReturned { on } => {
            page.field("Date", &format_french_date(*on))
        }
        OtherAnswer::VehicleStolen {
            on,
            complaint_reference,
        } => {
            page.field("Date du vol", &format_french_date(*on));
            page.field("Référence de la plainte", complaint_reference);
        }
        OtherAnswer::Error { justification } => page.field("Justification", justification),
        OtherAnswer::PlateUsurpation { details } => page.field("Précisions", details),
        OtherAnswer::VehicleUnknown | OtherAnswer::PaperNoticeRequested => {}
    }
}

fn transmission(page: &mut Page, attested: &Attested) {
    let t = &attested.transmission;
    page.heading("La transmission à l'ANTAI");
    page.field("Identifiant de transmission", &t.id);
    page.field("Envoyée le", &paris(&t.sent_at));
    page.field("Accusé de réception ANTAI", &paris(&t.acknowledged_at));
    entry(page, "Journal : envoi", t.sent_entry.as_ref());
    entry(page, "Journal : accusé", t.acknowledged_entry.as_ref());
}

/// The journal's entry: its number, time and hash in the tenant's chain.
fn entry(page: &mut Page, label: &str, entry: Option<&EntryFacts>) {
    match entry {
        Some(e) => {
            page.field(label, &format!("entrée n° {}, {}", e.seq, paris(&e.at)));
            page.digest("Empreinte de l'entrée", &e.hash);
        }
        None => page.field(
            label,
            "entrée introuvable (le journal ne garde ses entrées qu'un an)",
        ),
    }
}

fn verification(page: &mut Page, attested: &Attested) {
    page.heading("Vérification");
    page.field("Code de vérification", &attested.verification_code);
    page.digest("Clé publique (SHA-256)", &attested.public_key_sha256);
    page.paragraph(&format!(
        "designa atteste que la réponse ci-dessus a été transmise à l'ANTAI et que l'ANTAI en a \
         accusé réception. Quiconque peut vérifier cette attestation sans compte : l'adresse \
         /certificates/{} de l'API designa dit ce qu'elle atteste ; la preuve signée (fichier JSON, \
         ECDSA P-256) se vérifie hors ligne avec la clé publique publiée à /certificates/public-key.",
        attested.verification_code
    ));
}
