//! A key vault in memory: real AES-GCM wrapping under a master key.

use crate::ports::PortError;
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Data keys wrapped (AES-256-GCM, for real) by a master key that stands
/// for the KMS key; erasing removes the wrapped key as the KMS vault does.
pub struct MemoryKeyVault {
    master: crate::privacy::DataKey,
    /// Wrapped keys by `Subject::key_id`.
    pub wrapped: Mutex<BTreeMap<String, crate::privacy::SealedBox>>,
}

impl Default for MemoryKeyVault {
    fn default() -> Self {
        MemoryKeyVault {
            master: crate::privacy::DataKey::random(),
            wrapped: Mutex::default(),
        }
    }
}

impl MemoryKeyVault {
    fn unwrap_key(
        &self,
        subject: &crate::privacy::Subject,
        wrapped: &crate::privacy::SealedBox,
    ) -> Result<crate::privacy::DataKey, PortError> {
        let plain = crate::privacy::open(&self.master, wrapped, "data key")
            .map_err(|e| PortError::new("unwrap data key", format!("{}: {e}", subject.key_id())))?;
        crate::privacy::DataKey::from_bytes(&plain)
    }
}

#[async_trait]
impl crate::privacy::KeyVault for MemoryKeyVault {
    async fn key_for_sealing(
        &self,
        subject: &crate::privacy::Subject,
    ) -> Result<crate::privacy::DataKey, PortError> {
        let wrapped = self
            .wrapped
            .lock()
            .unwrap()
            .entry(subject.key_id())
            .or_insert_with(|| {
                let key = crate::privacy::DataKey::random();
                crate::privacy::seal(&self.master, subject, "data key", key.as_bytes())
            })
            .clone();
        self.unwrap_key(subject, &wrapped)
    }

    async fn key(
        &self,
        subject: &crate::privacy::Subject,
    ) -> Result<Option<crate::privacy::DataKey>, PortError> {
        tokio::task::yield_now().await;
        let wrapped = self.wrapped.lock().unwrap().get(&subject.key_id()).cloned();
        wrapped.map(|w| self.unwrap_key(subject, &w)).transpose()
    }

    async fn erase(&self, subject: &crate::privacy::Subject) -> Result<(), PortError> {
        self.wrapped.lock().unwrap().remove(&subject.key_id());
        Ok(())
    }
}
