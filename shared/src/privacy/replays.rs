//! The API's kept responses (idempotency keys, `app::idempotency`) sealed
//! under the tenant's replay key of the day they were kept: a response may
//! name a driver or a user, and the table only ever holds ciphertext. Once
//! that key is erased (a person's erasure erases the last two days'), the
//! response reads as kept without its body.
//!
//! An erasure erases the day's replay key and the next kept response of the
//! day makes a new one under the same name, so each kept body carries a
//! check of its key: a box whose key was replaced reads as erased, not as
//! tampered with.

use super::sealing::Sealing;
use super::{derive_secret, open, seal, DataKey, KeyVault, OpenError, SealedBox, Subject};
use crate::domain::TenantId;
use crate::ports::PortError;
use crate::store::Record;
use chrono::NaiveDate;
use serde_json::{Map, Value};

fn replay_context(record_id: &str) -> String {
    format!("IDEMPOTENCY#{record_id}")
}

/// Tells one data key from another of the same subject without showing
/// anything of it (a truncated HMAC under the key itself).
fn key_check(key: &DataKey) -> String {
    hex::encode(&derive_secret(key, "replay key check")[..8])
}

fn corrupt(record_id: &str, e: impl std::fmt::Display) -> PortError {
    PortError::new(
        "open sealed fields",
        format!("kept response {record_id}: {e}"),
    )
}

/// The kept response of a record's body, if it has one.
fn response_of(record: &mut Record) -> Option<&mut Map<String, Value>> {
    record.data.get_mut("response")?.as_object_mut()
}

impl<S, V: KeyVault> Sealing<S, V> {
    /// A key record as stored: its response's body sealed.
    pub async fn seal_replay(
        &self,
        tenant: &TenantId,
        record: &Record,
    ) -> Result<Record, PortError> {
        let mut stored = record.clone();
        let day: Option<NaiveDate> = record
            .data
            .get("created_on")
            .and_then(|d| serde_json::from_value(d.clone()).ok());
        let (Some(day), Some(response)) = (day, response_of(&mut stored)) else {
            return Ok(stored);
        };
        let Some(Value::String(body)) = response.remove("body") else {
            return Ok(stored);
        };
        let subject = Subject::replay(tenant, day);
        let key = self.vault.key_for_sealing(&subject).await?;
        let sealed = seal(&key, &subject, &replay_context(&record.id), body.as_bytes());
        response.insert("body".into(), Value::String(String::new()));
        response.insert("sealed_key_check".into(), Value::String(key_check(&key)));
        response.insert(
            "sealed_body".into(),
            serde_json::to_value(sealed).expect("a sealed box serializes"),
        );
        Ok(stored)
    }

    /// A key record with its response's body back, or marked as not kept
    /// when its replay key was erased.
    pub async fn open_replay(&self, mut record: Record) -> Result<Record, PortError> {
        let id = record.id.clone();
        let Some(response) = response_of(&mut record) else {
            return Ok(record);
        };
        let Some(sealed) = response.remove("sealed_body") else {
            return Ok(record);
        };
        let sealed: SealedBox = serde_json::from_value(sealed).map_err(|e| corrupt(&id, e))?;
        let check = match response.remove("sealed_key_check") {
            Some(Value::String(check)) => Some(check),
            _ => None,
        };
        match self.open_kept_body(&sealed, &id, check.as_deref()).await {
            Ok(plain) => {
                let body = String::from_utf8(plain).map_err(|e| corrupt(&id, e))?;
                response.insert("body".into(), Value::String(body));
            }
            Err(OpenError::Erased) => {
                response.insert("body_kept".into(), Value::Bool(false));
            }
            Err(e) => return Err(corrupt(&id, e)),
        }
        Ok(record)
    }

    async fn open_kept_body(
        &self,
        sealed: &SealedBox,
        record_id: &str,
        check: Option<&str>,
    ) -> Result<Vec<u8>, OpenError> {
        let key = self.key_of_box(sealed).await?;
        if check.is_some_and(|check| check != key_check(&key)) {
            return Err(OpenError::Erased);
        }
        open(&key, sealed, &replay_context(record_id))
    }
}
