//! The e-mail that tells the person who exercised a right what became of
//! the request (GDPR art. 12(3) and (4)): done, or refused and why. Sent to
//! the address the admin typed in (`confirm_to`), which is never stored:
//! the register only says whether the e-mail went.

use super::{Outcome, RegisterEntry, Right};
use chrono::{DateTime, Utc};
use designa::domain::time::{format_french_date, paris_date};
use designa::invitation::escape_html;
use designa::ports::Email;

/// The right as the letter names it.
fn right_in_french(right: Right) -> &'static str {
    match right {
        Right::Access => "d'accès à vos données (art. 15)",
        Right::Rectification => "de rectification (art. 16)",
        Right::Erasure => "d'effacement (art. 17)",
        Right::Restriction => "de limitation du traitement (art. 18)",
        Right::LiftRestriction => "de levée de la limitation du traitement (art. 18)",
        Right::Portability => "à la portabilité (art. 20)",
        Right::Objection => "d'opposition (art. 21)",
    }
}

/// The confirmation of `entry`, from `company` (the data controller).
pub fn confirmation_email(
    to: &str,
    company: &str,
    entry: &RegisterEntry,
    handled_at: DateTime<Utc>,
) -> Email {
    let right = right_in_french(entry.right);
    let received = format_french_date(paris_date(entry.received_at));
    let handled = format_french_date(paris_date(handled_at));
    let reference = entry
        .reference
        .as_deref()
        .map(|r| format!(" (votre référence : {r})"))
        .unwrap_or_default();
    let (subject, outcome) = match entry.outcome {
        Outcome::Done => (
            "Votre demande RGPD a été traitée".to_string(),
            format!("Elle a été traitée le {handled}."),
        ),
        Outcome::Refused => (
            "Votre demande RGPD n'a pas pu être satisfaite".to_string(),
            format!(
                "Elle n'a pas pu être satisfaite le {handled}, pour la raison suivante : {} \
                 Vous pouvez adresser une réclamation à la CNIL (www.cnil.fr).",
                entry.reason.as_deref().unwrap_or("non précisée.")
            ),
        ),
    };
    let text = format!(
        "Bonjour,\n\nVotre demande au titre du droit {right}{reference}, reçue le {received} par {company}, \
         a été enregistrée sous le numéro {id}.\n{outcome}\n\nCe message est envoyé par designa pour le compte de {company}.\n",
        id = entry.request_id,
    );
    let html = format!(
        "<p>Bonjour,</p><p>Votre demande au titre du droit {right}{reference}, reçue le {received} par {company}, \
         a été enregistrée sous le numéro {id}.</p><p>{outcome}</p>\
         <p>Ce message est envoyé par designa pour le compte de {company}.</p>",
        right = escape_html(right),
        reference = escape_html(&reference),
        company = escape_html(company),
        id = escape_html(&entry.request_id),
        outcome = escape_html(&outcome),
    );
    Email {
        to: to.to_string(),
        subject,
        text,
        html,
    }
}
