//! Objects in memory, for the blob store port.

use crate::ports::{BlobReader, BlobStore, PortError};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Objects by (bucket, key); remembers deletions and can refuse one key's.
#[derive(Default)]
pub struct MemoryBlobStore {
    pub objects: Mutex<BTreeMap<(String, String), Vec<u8>>>,
    deleted: Mutex<Vec<String>>,
    refuse_delete_of: Mutex<Option<String>>,
}

impl MemoryBlobStore {
    /// Keys deleted so far, in order.
    pub fn deleted(&self) -> Vec<String> {
        self.deleted.lock().unwrap().clone()
    }

    /// Deleting `key` fails until this is called again (`None`: nothing fails).
    pub fn refuse_delete_of(&self, key: Option<String>) {
        *self.refuse_delete_of.lock().unwrap() = key;
    }

    pub fn insert(&self, bucket: &str, key: &str, body: impl Into<Vec<u8>>) {
        self.objects
            .lock()
            .unwrap()
            .insert((bucket.into(), key.into()), body.into());
    }

    pub fn get(&self, bucket: &str, key: &str) -> Option<Vec<u8>> {
        self.objects
            .lock()
            .unwrap()
            .get(&(bucket.to_string(), key.to_string()))
            .cloned()
    }

    pub fn keys(&self) -> Vec<String> {
        self.objects
            .lock()
            .unwrap()
            .keys()
            .map(|(_, k)| k.clone())
            .collect()
    }
}

#[async_trait]
impl BlobStore for MemoryBlobStore {
    async fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, PortError> {
        let objects = self.objects.lock().unwrap();
        let keys = objects
            .keys()
            .filter(|(b, k)| b == bucket && k.starts_with(prefix));
        Ok(keys.map(|(_, k)| k.clone()).collect())
    }

    async fn open(&self, bucket: &str, key: &str) -> Result<Option<BlobReader>, PortError> {
        Ok(self
            .get(bucket, key)
            .map(|body| Box::new(std::io::Cursor::new(body)) as BlobReader))
    }

    async fn put(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        _content_type: &str,
    ) -> Result<(), PortError> {
        self.insert(bucket, key, body);
        Ok(())
    }

    async fn copy(&self, bucket: &str, from_key: &str, to_key: &str) -> Result<(), PortError> {
        let body = self
            .get(bucket, from_key)
            .ok_or_else(|| PortError::new("copy", format!("no object {from_key}")))?;
        self.insert(bucket, to_key, body);
        Ok(())
    }

    async fn delete(&self, bucket: &str, key: &str) -> Result<(), PortError> {
        if self.refuse_delete_of.lock().unwrap().as_deref() == Some(key) {
            return Err(PortError::new("s3:DeleteObject", "injected failure"));
        }
        self.deleted.lock().unwrap().push(key.to_string());
        self.objects
            .lock()
            .unwrap()
            .remove(&(bucket.to_string(), key.to_string()));
        Ok(())
    }

    async fn presign_put(
        &self,
        bucket: &str,
        key: &str,
        _content_type: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError> {
        Ok(format!(
            "memory://{bucket}/{key}?expires={}",
            expires.as_secs()
        ))
    }

    async fn presign_get(
        &self,
        bucket: &str,
        key: &str,
        download_name: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError> {
        Ok(format!(
            "memory://{bucket}/{key}?download={download_name}&expires={}",
            expires.as_secs()
        ))
    }
}
