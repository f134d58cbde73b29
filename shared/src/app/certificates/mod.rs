//! Designation certificates: for an answer ANTAI acknowledged, a document
//! of what was answered, sent and acknowledged, signed with an asymmetric
//! key (`ProofSigner`), so that anyone with the published public key can
//! check it offline; and a verification code that says, to anyone, what the
//! certificate attests (without personal data).
//!
//! A certificate is issued once per acknowledged transmission and kept:
//! `TENANT#<t>` / `CERTIFICATE#<transmission id>` holds the signed document,
//! `TENANT#_platform` / `CERTIFICATE#<code>` where to find it from its code.
//! Both leave with the notice (same TTL). A designated driver is in the
//! document only as a salted hash commitment; the salt derives from the
//! driver's data key, so the driver's erasure leaves the proof standing and
//! the commitment tied to no one.

pub mod document;

use super::caller::Caller;
use super::error::{AppError, Resource};
use super::journal::answer_entries;
use crate::domain::answer::{AnswerEvent, AnswerState};
use crate::domain::{NoticeStatus, TenantId};
use crate::ports::{Clock, ProofSigner, Storage};
use crate::privacy::sealing::{designation_subject, SubjectKeys};
use crate::store::{notice_expires_at, Record, RecordKind, StoredNotice};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, Utc};
use document::{
    answer_facts, canonical_json, instant, new_code, normalize_code, sha256_hex, text, Attested,
    EntryFacts, Named, NoticeFacts, TransmissionFacts, ALGORITHM, FORMAT,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The partition of the code index: codes are looked up without a tenant.
const PLATFORM: &str = "_platform";
/// Codes drawn before giving up (80 random bits never collide in practice).
const CODE_ATTEMPTS: usize = 3;

/// A certificate as it is kept: the signed document and its signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub code: String,
    pub notice_number: String,
    pub transmission_id: String,
    /// The `Attested` document exactly as signed.
    pub document: Value,
    /// The DER signature of the document's canonical JSON, base64.
    pub signature: String,
    pub issued_at: DateTime<Utc>,
}

/// Where a code's certificate is (the `_platform` record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct CodeIndex {
    tenant_id: TenantId,
    transmission_id: String,
}

/// The signed proof as it is handed out: anyone can check it offline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedProof {
    /// What is attested; its canonical JSON is what was signed.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub document: Value,
    pub signature: ProofSignature,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProofSignature {
    /// `ECDSA_SHA_256`: ECDSA on the NIST P-256 curve over SHA-256.
    pub algorithm: String,
    /// SHA-256 of the public key (`SubjectPublicKeyInfo`, DER), hexadecimal.
    pub public_key_sha256: String,
    /// The DER signature, base64.
    pub value: String,
}

impl Certificate {
    pub fn proof(&self) -> SignedProof {
        SignedProof {
            document: self.document.clone(),
            signature: ProofSignature {
                algorithm: ALGORITHM.into(),
                public_key_sha256: self.document["public_key_sha256"]
                    .as_str()
                    .unwrap_or_default()
                    .into(),
                value: self.signature.clone(),
            },
        }
    }

    /// The document as its fields, for the PDF and the public check.
    pub fn attested(&self) -> Result<Attested, AppError> {
        serde_json::from_value(self.document.clone())
            .map_err(|e| AppError::Internal(format!("certificate {} does not map: {e}", self.code)))
    }
}

/// The certificate already kept for the notice's acknowledged answer, if
/// any; 409 while ANTAI has not acknowledged the answer. Lets the API
/// journal an issue before it happens (at least once, never zero times).
pub async fn kept_for<S: Storage + ?Sized>(
    storage: &S,
    caller: &Caller,
    notice: &StoredNotice,
) -> Result<Option<Certificate>, AppError> {
    let transmission = acknowledged_transmission(notice)?;
    load(storage, caller.tenant_id(), &transmission.id).await
}

/// The certificate of an acknowledged answer, issued on the first request
/// (`true` beside it then) and read back after; 409 while ANTAI has not
/// acknowledged the answer. The caller's right to the notice is checked
/// by whoever loaded it.
pub async fn certificate_for<S, P, C>(
    storage: &S,
    signer: &P,
    clock: &C,
    caller: &Caller,
    notice: &StoredNotice,
) -> Result<(Certificate, bool), AppError>
where
    S: Storage + SubjectKeys + ?Sized,
    P: ProofSigner + ?Sized,
    C: Clock + ?Sized,
{
    let transmission = acknowledged_transmission(notice)?;
    let tenant = caller.tenant_id();
    if let Some(kept) = load(storage, tenant, &transmission.id).await? {
        return Ok((kept, false));
    }
    let now = clock.now();
    let facts = Facts {
        tenant: Named {
            id: tenant.0.clone(),
            name: text(&caller.tenant.name),
        },
        entity: entity(storage, tenant, notice).await?,
        transmission: journaled(storage, tenant, transmission).await?,
        salt: driver_salt(storage, notice).await?,
    };
    for _ in 0..CODE_ATTEMPTS {
        let certificate = sign(signer, notice, &facts, new_code(), now).await?;
        if let Some(kept) = keep(storage, tenant, notice, &certificate).await? {
            let issued_now = kept == certificate;
            return Ok((kept, issued_now));
        }
    }
    Err(AppError::Internal("no free verification code".into()))
}

/// What a certificate holds besides the notice.
struct Facts {
    tenant: Named,
    entity: Named,
    transmission: TransmissionFacts,
    salt: Option<[u8; 32]>,
}

/// The acknowledged transmission: when it was sent and acknowledged.
struct Acknowledged {
    id: String,
    sent_at: DateTime<Utc>,
    acknowledged_at: DateTime<Utc>,
}

/// The current transmission, if ANTAI acknowledged it; else a refusal that
/// says where the answer stands.
fn acknowledged_transmission(notice: &StoredNotice) -> Result<Acknowledged, AppError> {
    let answer = notice
        .answer
        .as_ref()
        .filter(|a| {
            notice.status == NoticeStatus::Acknowledged && a.state == AnswerState::Acknowledged
        })
        .ok_or_else(|| not_acknowledged(notice))?;
    let id = answer.transmission_id(&notice.notice.notice_number);
    let of_it = || answer.history.iter().filter(|h| h.transmission_id == id);
    let acknowledged_at = of_it().find_map(|h| match h.event {
        AnswerEvent::Acknowledged { processed_at } => Some(processed_at),
        _ => None,
    });
    // Written into a file counts as sent, even before the batch marked it.
    let sent_at = of_it()
        .find(|h| matches!(h.event, AnswerEvent::Sent { .. }))
        .or_else(|| of_it().find(|h| matches!(h.event, AnswerEvent::Batched { .. })))
        .map(|h| h.at);
    match (sent_at, acknowledged_at) {
        (Some(sent_at), Some(acknowledged_at)) => Ok(Acknowledged {
            id,
            sent_at,
            acknowledged_at,
        }),
        _ => Err(AppError::Internal(format!(
            "acknowledged answer {id} without its sending or acknowledgement in its history"
        ))),
    }
}

fn not_acknowledged(notice: &StoredNotice) -> AppError {
    let message = match notice.status {
        NoticeStatus::Open | NoticeStatus::GoneToPaper => {
            "Cet avis n'a pas de réponse acceptée par l'ANTAI : il n'y a pas d'attestation à délivrer."
        }
        NoticeStatus::AnswerInError => {
            "L'ANTAI a refusé la réponse à cet avis : corrigez-la ; l'attestation sera disponible quand l'ANTAI l'aura acceptée."
        }
        _ => {
            "L'ANTAI n'a pas encore accusé réception de la réponse à cet avis : l'attestation sera disponible dès qu'elle l'aura acceptée."
        }
    };
    AppError::Conflict {
        message: message.into(),
        current: json!({ "reason": { "code": "not_acknowledged" }, "status": notice.status }),
    }
}

/// The notice's entity, by name (its id if it was removed since).
async fn entity<S: Storage + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    notice: &StoredNotice,
) -> Result<Named, AppError> {
    let id = &notice.entity_id.0;
    let record = storage.record(tenant, RecordKind::Entity, id).await?;
    let name = record
        .and_then(|r| r.data["name"].as_str().map(text))
        .unwrap_or_else(|| id.clone());
    Ok(Named {
        id: id.clone(),
        name,
    })
}

/// The transmission with the journal's entries that recorded it.
async fn journaled<S: Storage + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    transmission: Acknowledged,
) -> Result<TransmissionFacts, AppError> {
    // An acknowledgement can be applied before its batch marks it sent.
    let since = transmission.sent_at.min(transmission.acknowledged_at);
    let actions = ["transmit", "acknowledged"];
    let mut found = answer_entries(storage, tenant, &transmission.id, &actions, since).await?;
    let facts = |entry: Option<super::journal::JournalEntry>| {
        entry.map(|e| EntryFacts {
            seq: e.seq,
            at: instant(e.at),
            hash: e.hash,
        })
    };
    let acknowledged_entry = facts(found.pop().flatten());
    let sent_entry = facts(found.pop().flatten());
    Ok(TransmissionFacts {
        id: transmission.id,
        sent_at: instant(transmission.sent_at),
        acknowledged_at: instant(transmission.acknowledged_at),
        sent_entry,
        acknowledged_entry,
    })
}

/// The salt of a designation's commitment, derived from the designated
/// driver's data key; `None` for other answers and once the driver is erased.
pub async fn driver_salt<S: SubjectKeys + ?Sized>(
    storage: &S,
    notice: &StoredNotice,
) -> Result<Option<[u8; 32]>, AppError> {
    let Some(answer) = notice.answer.as_ref() else {
        return Ok(None);
    };
    if !matches!(
        answer.body,
        crate::domain::answer::AnswerBody::Designation(_)
    ) {
        return Ok(None);
    }
    let purpose = format!(
        "certificate:{}",
        answer.transmission_id(&notice.notice.notice_number)
    );
    Ok(storage
        .subject_secret(&designation_subject(notice), &purpose)
        .await?)
}

/// The document of `notice` under `code`, signed.
async fn sign<P: ProofSigner + ?Sized>(
    signer: &P,
    notice: &StoredNotice,
    facts: &Facts,
    code: String,
    now: DateTime<Utc>,
) -> Result<Certificate, AppError> {
    let answer = notice
        .answer
        .as_ref()
        .ok_or_else(|| not_acknowledged(notice))?;
    let attested = Attested {
        format: FORMAT.into(),
        verification_code: code.clone(),
        issued_at: instant(now),
        public_key_sha256: sha256_hex(&signer.public_key().await?),
        tenant: facts.tenant.clone(),
        entity: facts.entity.clone(),
        notice: NoticeFacts {
            number: notice.notice.notice_number.clone(),
            plate: notice.notice.plate.display(),
            country: notice.notice.plate.country.clone(),
            offence_at: notice.notice.offence_at.to_rfc3339(),
            natinf_code: notice.notice.offence.natinf_code,
            natinf_label: text(&notice.notice.offence.label),
        },
        answer: answer_facts(&answer.body, facts.salt.as_ref()),
        transmission: facts.transmission.clone(),
    };
    let document = serde_json::to_value(&attested).expect("a document serializes");
    let signature = signer.sign(canonical_json(&document).as_bytes()).await?;
    Ok(Certificate {
        code,
        notice_number: notice.notice.notice_number.clone(),
        transmission_id: facts.transmission.id.clone(),
        document,
        signature: BASE64.encode(signature),
        issued_at: now,
    })
}

/// Keeps a new certificate: its code first (a code without its certificate
/// finds nothing), then the certificate, if no one kept one meanwhile.
/// Returns the certificate kept, the one given or an earlier one; `None`
/// when the code was taken.
async fn keep<S: Storage + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    notice: &StoredNotice,
    certificate: &Certificate,
) -> Result<Option<Certificate>, AppError> {
    let expires_at = Some(notice_expires_at(notice));
    let index = CodeIndex {
        tenant_id: tenant.clone(),
        transmission_id: certificate.transmission_id.clone(),
    };
    let mut code_record = Record::new(&certificate.code, 1, &index);
    code_record.expires_at = expires_at;
    let platform = TenantId(PLATFORM.into());
    if !storage
        .put_record(&platform, RecordKind::Certificate, &code_record, None)
        .await?
    {
        return Ok(None);
    }
    let mut record = Record::new(&certificate.transmission_id, 1, certificate);
    record.expires_at = expires_at;
    if storage
        .put_record(tenant, RecordKind::Certificate, &record, None)
        .await?
    {
        return Ok(Some(certificate.clone()));
    }
    // Issued meanwhile by another request: theirs stands.
    let kept = load(storage, tenant, &certificate.transmission_id).await?;
    kept.map(Some)
        .ok_or_else(|| AppError::Internal("a certificate vanished as it was kept".into()))
}

async fn load<S: Storage + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    transmission_id: &str,
) -> Result<Option<Certificate>, AppError> {
    let record = storage
        .record(tenant, RecordKind::Certificate, transmission_id)
        .await?;
    record
        .map(|r| {
            r.decode().map_err(|e| {
                AppError::Internal(format!("certificate {transmission_id} does not map: {e}"))
            })
        })
        .transpose()
}

/// The certificate a verification code names, as anyone may check it; 404
/// for a code that names none (or not any more: it left with its notice).
pub async fn by_code<S: Storage + ?Sized>(
    storage: &S,
    typed: &str,
) -> Result<Certificate, AppError> {
    let not_found = || AppError::NotFound(Resource::Certificate);
    let code = normalize_code(typed).ok_or_else(not_found)?;
    let platform = TenantId(PLATFORM.into());
    let index = storage
        .record(&platform, RecordKind::Certificate, &code)
        .await?
        .and_then(|r| r.decode::<CodeIndex>().ok())
        .ok_or_else(not_found)?;
    let certificate = load(storage, &index.tenant_id, &index.transmission_id).await?;
    // A code drawn by a request that lost the race names no certificate.
    certificate.filter(|c| c.code == code).ok_or_else(not_found)
}
