//! Whose personal data a sealed box holds, and the box itself as stored:
//! plain data, so records can carry sealed fields without knowing how they
//! are sealed (that is `privacy`'s work).

use super::TenantId;
use serde::{Deserialize, Serialize};

/// What kind of person a key protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// A driver of the tenant's base (`id`: the driver id).
    Driver,
    /// A driver typed into one answer (`id`: the notice number).
    Designee,
    /// A user of the tenant (`id`: the user id): names and e-mail.
    User,
    /// The API's kept responses of one day (`id`: the day, `2026-12-07`),
    /// replayed for idempotency keys: any of them may name a person.
    Replay,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Driver => "driver",
            SubjectKind::Designee => "designee",
            SubjectKind::User => "user",
            SubjectKind::Replay => "replay",
        }
    }
}

/// A data subject of a tenant: ids only, never personal data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subject {
    pub tenant_id: TenantId,
    pub kind: SubjectKind,
    pub id: String,
}

impl Subject {
    pub fn driver(tenant_id: &TenantId, driver_id: &str) -> Subject {
        Subject {
            tenant_id: tenant_id.clone(),
            kind: SubjectKind::Driver,
            id: driver_id.into(),
        }
    }

    pub fn designee(tenant_id: &TenantId, notice_number: &str) -> Subject {
        Subject {
            tenant_id: tenant_id.clone(),
            kind: SubjectKind::Designee,
            id: notice_number.into(),
        }
    }

    pub fn user(tenant_id: &TenantId, user_id: &str) -> Subject {
        Subject {
            tenant_id: tenant_id.clone(),
            kind: SubjectKind::User,
            id: user_id.into(),
        }
    }

    pub fn replay(tenant_id: &TenantId, day: chrono::NaiveDate) -> Subject {
        Subject {
            tenant_id: tenant_id.clone(),
            kind: SubjectKind::Replay,
            id: day.to_string(),
        }
    }

    /// The key's name in the key table, and the KMS encryption context.
    pub fn key_id(&self) -> String {
        format!("{}/{}/{}", self.tenant_id.0, self.kind.as_str(), self.id)
    }
}

/// Fields sealed under a subject's data key: AES-256-GCM, with the subject
/// and the item they belong to as associated data, so a sealed box copied
/// onto another item or subject does not open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedBox {
    pub subject: Subject,
    /// Base64 of the 96-bit nonce.
    pub nonce: String,
    /// Base64 of the ciphertext and its tag.
    pub ciphertext: String,
}
