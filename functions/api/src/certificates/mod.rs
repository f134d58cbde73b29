//! Designation certificates: for an answer ANTAI acknowledged, the one-page
//! PDF « Attestation de désignation » and its signed JSON proof (users who
//! may read the notice); and, for anyone without an account, the public key
//! that checks proofs offline and what a verification code attests. The
//! certificate itself is `designa::app::certificates`.

mod pdf;
mod sheet;

use crate::answers::tenant_notice;
use crate::extract::Id;
use crate::extract::NoticeNumberPath;
use crate::http::{
    ApiError, ApiResponse, ApiResult, CertificateErrors, InternalErrors, PdfFile,
    PublicCertificateErrors, Resource, JSON,
};
use crate::router::handlers;
use crate::router::Routes;
use crate::{Api, AppState};
use axum::extract::State;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, Utc};
use designa::app::caller::Caller;
use designa::app::certificates::document::{canonical_json, sha256_hex, AnswerFacts, Attested};
use designa::app::certificates::{
    by_code, certificate_for, driver_salt, kept_for, Certificate, SignedProof,
};
use designa::domain::access::Action;
use designa::domain::answer::AnswerBody;
use designa::store::StoredNotice;
use serde::Serialize;
use utoipa::ToSchema;

pub const PDF: &str = "application/pdf";
pub const PEM: &str = "application/x-pem-file";

/// The notice of the caller's tenant that the caller may read, or 404.
async fn readable_notice(
    api: &Api,
    caller: &Caller,
    number: &str,
) -> Result<StoredNotice, ApiError> {
    let notice = tenant_notice(&api.storage, caller, number).await?;
    caller.require(Action::ReadNotices, &notice.entity_id, Resource::Notice)?;
    Ok(notice)
}

/// The notice's certificate, issued (and journaled) on the first request.
/// The issue is journaled before it is kept: a failure in between, then a
/// retry, journal it twice; journaling after would lose it for good (the
/// retry finds the certificate kept).
async fn issued(
    api: &Api,
    caller: &Caller,
    notice: &StoredNotice,
) -> Result<Certificate, ApiError> {
    if let Some(kept) = kept_for(&api.storage, caller, notice).await? {
        return Ok(kept);
    }
    let target = format!("notice:{}:certificate", notice.notice.notice_number);
    crate::journal::record(api, caller, "certify", target).await?;
    let (certificate, _) =
        certificate_for(&api.storage, &*api.signer, &api.clock, caller, notice).await?;
    Ok(certificate)
}

fn attachment(content_type: &'static str, file_name: String, body: Vec<u8>) -> ApiResponse {
    ApiResponse {
        status: 200,
        content_type,
        headers: vec![(
            "content-disposition",
            format!("attachment; filename=\"{file_name}\""),
        )],
        body,
    }
}

/// The certificate of the notice's acknowledged answer, as a one-page PDF
/// in French: the notice, the answer (a designation names the driver: the
/// read is journaled), its transmission and acknowledgement with their
/// journal entries, and the verification code. Issued on the first request
/// and the same afterwards; 409 (`current.reason.code`: `not_acknowledged`)
/// until ANTAI acknowledged the answer.
#[utoipa::path(get, path = "/notices/{noticeNumber}/certificate", tag = "Certificates",
    params(NoticeNumberPath),
    responses((status = 200, description = "The certificate, one page", content_type = "application/pdf", body = PdfFile),
        CertificateErrors))]
pub async fn pdf(Id(number): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let notice = readable_notice(api, &caller, &number).await?;
    let certificate = issued(api, &caller, &notice).await?;
    let attested = certificate.attested()?;
    let body = &notice
        .answer
        .as_ref()
        .ok_or(ApiError::NotFound(Resource::Answer))?
        .body;
    let salt = driver_salt(&api.storage, &notice).await?;
    if matches!(body, AnswerBody::Designation(_)) && salt.is_some() {
        // The driver's name and address are personal data.
        let target = format!("notice:{number}:certificate");
        crate::journal::record(api, &caller, "read", target).await?;
    }
    let title = format!("{} — avis n° {number}", sheet::title(&attested));
    let pdf = sheet::page(&attested, body, salt.as_ref())
        .finish(&title, certificate.issued_at)
        .map_err(|e| ApiError::Internal(format!("certificate {}: {e}", certificate.code)))?;
    Ok(attachment(PDF, format!("attestation-{number}.pdf"), pdf))
}

/// The certificate's signed proof: the attested document (no personal
/// data; a designated driver is a salted hash commitment) and its ECDSA
/// P-256 signature, which the public key checks offline (docs/api.md).
#[utoipa::path(get, path = "/notices/{noticeNumber}/certificate/proof", tag = "Certificates",
    params(NoticeNumberPath),
    responses((status = 200, description = "The signed proof", body = SignedProof), CertificateErrors))]
pub async fn proof(Id(number): Id, State(app): State<AppState>, caller: Caller) -> ApiResult {
    let api = &*app;
    let notice = readable_notice(api, &caller, &number).await?;
    let certificate = issued(api, &caller, &notice).await?;
    let body = serde_json::to_vec_pretty(&certificate.proof()).expect("a proof serializes");
    Ok(attachment(JSON, format!("attestation-{number}.json"), body))
}

/// The public key that checks every certificate's proof (PEM,
/// `SubjectPublicKeyInfo`, ECDSA P-256). Public.
#[utoipa::path(get, path = "/certificates/public-key", tag = "Certificates", security(()),
    responses((status = 200, description = "The public key, PEM", content_type = "application/x-pem-file", body = String),
        InternalErrors))]
pub async fn public_key(State(app): State<AppState>) -> ApiResult {
    let der = app.signer.public_key().await?;
    let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
    for line in BASE64.encode(der).as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        pem.push('\n');
    }
    pem.push_str("-----END PUBLIC KEY-----\n");
    Ok(ApiResponse {
        status: 200,
        content_type: PEM,
        headers: vec![("cache-control", "public, max-age=3600".into())],
        body: pem.into_bytes(),
    })
}

/// What a verification code attests, for anyone: never personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateCheck {
    pub verification_code: String,
    /// In French, what the certificate attests.
    pub statement: String,
    pub tenant_name: String,
    pub notice_number: String,
    /// `designation` or `other`.
    pub answer_kind: &'static str,
    /// In French: « Désignation du conducteur », « Véhicule cédé »…
    pub answer_label: String,
    /// `identifiantDesignation`.
    pub transmission_id: String,
    pub sent_at: DateTime<Utc>,
    pub acknowledged_at: DateTime<Utc>,
    pub issued_at: DateTime<Utc>,
    /// SHA-256 of the proof's document in its canonical form: a proof
    /// handed over is the one designa issued when they match.
    pub document_sha256: String,
    /// SHA-256 of the public key that signed it.
    pub public_key_sha256: String,
}

fn instant(text: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| ApiError::Internal(format!("a certificate's instant {text}: {e}")))
}

fn check_of(certificate: &Certificate, attested: Attested) -> Result<CertificateCheck, ApiError> {
    let (kind, label) = match &attested.answer {
        AnswerFacts::Designation { label, .. } => ("designation", label.clone()),
        AnswerFacts::Other { label, .. } => ("other", label.clone()),
    };
    let t = &attested.transmission;
    let statement = format!(
        "{} délivrée par designa à {} : l'avis n° {} a reçu une réponse ({}), transmise à l'ANTAI le {} et acceptée par l'ANTAI le {}.",
        sheet::title(&attested),
        attested.tenant.name,
        attested.notice.number,
        label.to_lowercase(),
        sheet::paris(&t.sent_at),
        sheet::paris(&t.acknowledged_at),
    );
    Ok(CertificateCheck {
        verification_code: attested.verification_code.clone(),
        statement,
        tenant_name: attested.tenant.name.clone(),
        notice_number: attested.notice.number.clone(),
        answer_kind: kind,
        answer_label: label,
        transmission_id: t.id.clone(),
        sent_at: instant(&t.sent_at)?,
        acknowledged_at: instant(&t.acknowledged_at)?,
        issued_at: certificate.issued_at,
        document_sha256: sha256_hex(canonical_json(&certificate.document).as_bytes()),
        public_key_sha256: attested.public_key_sha256.clone(),
    })
}

/// What the certificate of a verification code attests. Public: anyone
/// handed a certificate may check it, without an account; nothing personal
/// is answered (no driver, no plate). Case, spaces and dashes of the code
/// do not matter.
#[utoipa::path(get, path = "/certificates/{code}", tag = "Certificates", security(()),
    params(("code" = String, Path, description = "The verification code, e.g. 7K3M-Q9XD-2HTC-P4RV", max_length = 200)),
    responses((status = 200, description = "What the certificate attests", body = CertificateCheck),
        PublicCertificateErrors))]
pub async fn check(Id(code): Id, State(app): State<AppState>) -> ApiResult {
    let certificate = by_code(&app.storage, &code).await?;
    let view = check_of(&certificate, certificate.attested()?)?;
    Ok(ApiResponse::json(200, &view))
}

/// The routes for users who may read the notice.
pub fn router() -> Routes {
    Routes::new()
        .routes(handlers!(pdf))
        .routes(handlers!(proof))
}

/// The routes anyone may call.
pub fn public_router() -> Routes {
    Routes::new()
        .routes(handlers!(public_key))
        .routes(handlers!(check))
}
