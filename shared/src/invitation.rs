//! Invitations: an admin invites a person by name and e-mail; the identity
//! is created without a usable password, and our own e-mail (French) carries
//! a one-time link to choose it. The link's secret is stored only as a hash,
//! expires after `INVITATION_DAYS`, and works once.

use crate::domain::TenantId;
use crate::ports::Email;
use chrono::{DateTime, Days, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How long an invitation link works.
pub const INVITATION_DAYS: u64 = 7;

/// The pool's password policy (template.yaml), checked before Cognito does
/// so the person gets a precise reason.
pub fn check_password(password: &str) -> Result<(), String> {
    let mut missing = Vec::new();
    if password.chars().count() < 12 {
        missing.push("au moins 12 caractères");
    }
    if !password.chars().any(|c| c.is_lowercase()) {
        missing.push("une minuscule");
    }
    if !password.chars().any(|c| c.is_uppercase()) {
        missing.push("une majuscule");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        missing.push("un chiffre");
    }
    if !password
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        missing.push("un symbole");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Le mot de passe doit contenir {}.",
            missing.join(", ")
        ))
    }
}

/// The secret part of an invitation link, and the token the link carries:
/// `<tenant>.<secret>`, so the accepting request finds the tenant's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationToken {
    pub tenant_id: TenantId,
    pub secret: String,
}

impl InvitationToken {
    /// A new token with 256 random bits.
    pub fn generate(tenant_id: &TenantId) -> Self {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the system's random source");
        InvitationToken {
            tenant_id: tenant_id.clone(),
            secret: hex::encode(bytes),
        }
    }

    pub fn parse(token: &str) -> Option<Self> {
        let (tenant, secret) = token.split_once('.')?;
        (crate::domain::tenant::is_valid_tenant_id(tenant)
            && secret.len() == 64
            && secret.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| InvitationToken {
            tenant_id: TenantId(tenant.to_string()),
            secret: secret.to_ascii_lowercase(),
        })
    }

    pub fn as_link_token(&self) -> String {
        format!("{}.{}", self.tenant_id, self.secret)
    }

    /// What is stored: the record id, never the secret itself.
    pub fn record_id(&self) -> String {
        hex::encode(Sha256::digest(self.secret.as_bytes()))
    }
}

/// A pending invitation, stored under `record_id()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub user_id: String,
    pub email: String,
    pub expires: DateTime<Utc>,
}

impl PendingInvitation {
    pub fn new(user_id: &str, email: &str, now: DateTime<Utc>) -> Self {
        PendingInvitation {
            user_id: user_id.into(),
            email: email.into(),
            expires: now + Days::new(INVITATION_DAYS),
        }
    }
}

/// The link to the page where the invited person chooses a password; the
/// page posts it to `POST /invitations/{token}`.
pub fn invitation_link(app_url: &str, token: &InvitationToken) -> String {
    format!(
        "{}/invitation?token={}",
        app_url.trim_end_matches('/'),
        token.as_link_token()
    )
}

/// Text made safe inside HTML (e-mails).
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The invitation e-mail, in French.
pub fn invitation_email(
    to: &str,
    first_name: &str,
    tenant_name: &str,
    link: &str,
    expires: DateTime<Utc>,
) -> Email {
    let until = expires
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%d/%m/%Y à %H:%M");
    let text = format!(
        "Bonjour {first_name},\n\n\
         Un accès à designa vous a été ouvert pour {tenant_name}.\n\
         Choisissez votre mot de passe avec ce lien (valable jusqu'au {until}, heure de Paris, et une seule fois) :\n\
         {link}\n\n\
         Le mot de passe doit compter au moins 12 caractères, avec des majuscules, des minuscules, des chiffres et des symboles.\n\
         Si vous n'attendiez pas cette invitation, ignorez ce message.\n\n\
         L'équipe designa\n"
    );
    let html = format!(
        "<p>Bonjour {},</p><p>Un accès à designa vous a été ouvert pour {}.</p>\
         <p><a href=\"{}\">Choisir mon mot de passe</a> (lien valable jusqu'au {until}, heure de Paris, et une seule fois).</p>\
         <p>Le mot de passe doit compter au moins 12 caractères, avec des majuscules, des minuscules, des chiffres et des symboles.</p>\
         <p>Si vous n'attendiez pas cette invitation, ignorez ce message.</p><p>L'équipe designa</p>",
        escape_html(first_name),
        escape_html(tenant_name),
        escape_html(link),
    );
    Email {
        to: to.into(),
        subject: "Votre accès à designa".into(),
        text,
        html,
    }
}

/// Stores a new one-time link (its hash, expiring with the table's TTL)
/// for `user` and e-mails it: used by admins' invitations and by the
/// operator's onboarding of a tenant's first admin.
pub async fn issue(
    storage: &dyn crate::ports::Storage,
    mailer: &dyn crate::ports::Mailer,
    tenant: &crate::domain::tenant::Tenant,
    user: &crate::domain::tenant::User,
    app_url: &str,
    now: DateTime<Utc>,
) -> Result<(), crate::ports::PortError> {
    use crate::store::{Record, RecordKind};
    let token = InvitationToken::generate(&tenant.tenant_id);
    let pending = PendingInvitation::new(&user.user_id, &user.email, now);
    let mut record = Record::new(token.record_id(), 1, &pending);
    record.expires_at = Some(pending.expires.timestamp());
    if !storage
        .put_record(&tenant.tenant_id, RecordKind::Invitation, &record, None)
        .await?
    {
        return Err(crate::ports::PortError::new(
            "invitation",
            "a random token collided with a stored one",
        ));
    }
    let link = invitation_link(app_url, &token);
    let email = invitation_email(
        &user.email,
        &user.first_name,
        &tenant.name,
        &link,
        pending.expires,
    );
    mailer.send(&email).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy_matches_the_pool() {
        assert!(check_password("Correct-Horse-9").is_ok());
        for bad in [
            "Short-9a",
            "alllowercase-9x",
            "ALLUPPER-9XYZW",
            "NoDigitsHere-x",
            "NoSymbols9abcd",
        ] {
            assert!(check_password(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_round_trip_and_store_only_a_hash() {
        let token = InvitationToken::generate(&"acme".into());
        let parsed = InvitationToken::parse(&token.as_link_token()).unwrap();
        assert_eq!(parsed, token);
        assert_ne!(token.record_id(), token.secret);
        assert_ne!(
            InvitationToken::generate(&"acme".into()).secret,
            token.secret
        );
        for bad in [
            "",
            "acme",
            "acme.xyz",
            "AC.0000",
            &format!("acme.{}", "g".repeat(64)),
        ] {
            assert!(InvitationToken::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_email_is_french_and_carries_the_link() {
        let token = InvitationToken::generate(&"acme".into());
        let link = invitation_link("https://app.designa.example/", &token);
        assert!(link.starts_with("https://app.designa.example/invitation?token=acme."));
        let email = invitation_email(
            "camille@example.com",
            "Camille",
            "Transports <Exemple>",
            &link,
            "2026-12-01T10:00:00Z".parse().unwrap(),
        );
        assert!(email.text.contains(&link));
        assert!(email.text.contains("01/12/2026 à 11:00"));
        assert!(email.html.contains("Transports &lt;Exemple&gt;"));
    }
}
