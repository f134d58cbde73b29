use crate::ports::{BlobReader, BlobStore, PortError};
use async_trait::async_trait;
use aws_sdk_s3::primitives::ByteStream;

/// S3 adapter of `BlobStore`.
#[derive(Clone, Debug)]
pub struct S3BlobStore {
    client: aws_sdk_s3::Client,
}

impl S3BlobStore {
    pub fn new(client: aws_sdk_s3::Client) -> Self {
        S3BlobStore { client }
    }

    /// One PutObject; a checksum only when `checksum` names one.
    async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
        checksum: Option<aws_sdk_s3::types::ChecksumAlgorithm>,
    ) -> Result<(), PortError> {
        self.client
            .put_object()
            .bucket(bucket)
            .key(key)
            .content_type(content_type)
            .set_checksum_algorithm(checksum)
            .body(ByteStream::from(body))
            .send()
            .await
            .map_err(|e| {
                PortError::new("s3:PutObject", aws_sdk_s3::error::DisplayErrorContext(e))
            })?;
        Ok(())
    }
}

#[async_trait]
impl BlobStore for S3BlobStore {
    async fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, PortError> {
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .into_paginator()
            .send();
        let mut keys = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| {
                PortError::new(
                    "s3:ListObjectsV2",
                    aws_sdk_s3::error::DisplayErrorContext(e),
                )
            })?;
            keys.extend(
                page.contents()
                    .iter()
                    .filter_map(|o| o.key().map(String::from)),
            );
        }
        Ok(keys)
    }

    async fn open(&self, bucket: &str, key: &str) -> Result<Option<BlobReader>, PortError> {
        match self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
        {
            Ok(out) => Ok(Some(Box::new(tokio::io::BufReader::with_capacity(
                64 * 1024,
                out.body.into_async_read(),
            )))),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
            Err(e) => Err(PortError::new(
                "s3:GetObject",
                aws_sdk_s3::error::DisplayErrorContext(e),
            )),
        }
    }

    async fn put_checked(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PortError> {
        let crc32 = Some(aws_sdk_s3::types::ChecksumAlgorithm::Crc32);
        self.put_object(bucket, key, body, content_type, crc32)
            .await
    }

    async fn put(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PortError> {
        self.put_object(bucket, key, body, content_type, None).await
    }

    async fn copy(&self, bucket: &str, from_key: &str, to_key: &str) -> Result<(), PortError> {
        self.client
            .copy_object()
            .bucket(bucket)
            .key(to_key)
            .copy_source(format!("{bucket}/{}", encode_copy_source(from_key)))
            .send()
            .await
            .map_err(|e| {
                PortError::new("s3:CopyObject", aws_sdk_s3::error::DisplayErrorContext(e))
            })?;
        Ok(())
    }

    async fn delete(&self, bucket: &str, key: &str) -> Result<(), PortError> {
        self.client
            .delete_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| {
                PortError::new("s3:DeleteObject", aws_sdk_s3::error::DisplayErrorContext(e))
            })?;
        Ok(())
    }

    async fn delete_every_version(&self, bucket: &str, key: &str) -> Result<(), PortError> {
        fn failed<E: std::error::Error>(op: &'static str) -> impl Fn(E) -> PortError {
            move |e| PortError::new(op, aws_sdk_s3::error::DisplayErrorContext(e))
        }
        let mut key_marker: Option<String> = None;
        let mut version_marker: Option<String> = None;
        let mut deleted = 0usize;
        loop {
            let page = self
                .client
                .list_object_versions()
                .bucket(bucket)
                .prefix(key)
                .set_key_marker(key_marker.take())
                .set_version_id_marker(version_marker.take())
                .send()
                .await
                .map_err(failed("s3:ListObjectVersions"))?;
            // Versions and delete markers of exactly this key (the prefix
            // also matches longer keys).
            let versions = page
                .versions()
                .iter()
                .filter(|v| v.key() == Some(key))
                .filter_map(|v| v.version_id().map(str::to_string))
                .chain(
                    page.delete_markers()
                        .iter()
                        .filter(|m| m.key() == Some(key))
                        .filter_map(|m| m.version_id().map(str::to_string)),
                );
            for version in versions.collect::<Vec<_>>() {
                self.client
                    .delete_object()
                    .bucket(bucket)
                    .key(key)
                    .version_id(version)
                    .send()
                    .await
                    .map_err(failed("s3:DeleteObjectVersion"))?;
                deleted += 1;
            }
            if page.is_truncated() != Some(true) {
                break;
            }
            key_marker = page.next_key_marker().map(str::to_string);
            version_marker = page.next_version_id_marker().map(str::to_string);
        }
        // A bucket that never had versioning lists none: delete plainly
        // (in a versioned one this would only add a delete marker).
        if deleted == 0 {
            self.delete(bucket, key).await?;
        }
        Ok(())
    }

    async fn presign_put(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError> {
        let config = aws_sdk_s3::presigning::PresigningConfig::expires_in(expires)
            .map_err(|e| PortError::new("s3:PutObject presign", e))?;
        let request = self
            .client
            .put_object()
            .bucket(bucket)
            .key(key)
            .content_type(content_type)
            .presigned(config)
            .await
            .map_err(|e| {
                PortError::new(
                    "s3:PutObject presign",
                    aws_sdk_s3::error::DisplayErrorContext(e),
                )
            })?;
        Ok(request.uri().to_string())
    }

    async fn presign_get(
        &self,
        bucket: &str,
        key: &str,
        download_name: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError> {
        let config = aws_sdk_s3::presigning::PresigningConfig::expires_in(expires)
            .map_err(|e| PortError::new("s3:GetObject presign", e))?;
        let request = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .response_content_disposition(attachment(download_name))
            .presigned(config)
            .await
            .map_err(|e| {
                PortError::new(
                    "s3:GetObject presign",
                    aws_sdk_s3::error::DisplayErrorContext(e),
                )
            })?;
        Ok(request.uri().to_string())
    }
}

/// CopySource must be URL-encoded; keep `/` as the path separator.
fn encode_copy_source(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `Content-Disposition` for a download named `name` (ASCII kept, the
/// rest replaced: our names are ASCII).
fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"")
}
