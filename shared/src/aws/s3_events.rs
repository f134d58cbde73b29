//! S3 event notifications as SQS delivers them (ingest, import worker): the
//! objects they name, read leniently. Plain JSON, no SDK types.

/// An object named by an S3 event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundObject {
    pub bucket: String,
    pub key: String,
    /// Version id when the bucket is versioned, else the ETag.
    pub version: String,
}

impl InboundObject {
    /// Identity of this delivery of the file, the idempotency key.
    pub fn file_key(&self) -> String {
        format!("{}/{}#{}", self.bucket, self.key, self.version)
    }
}

/// A message that is not an S3 event notification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("message body is not an S3 event notification: {0}")]
pub struct NotAnS3Event(pub String);

/// The part of an S3 event notification the handler needs. Read leniently:
/// emulators leave out fields (`userIdentity`, `requestParameters`) AWS sends.
#[derive(serde::Deserialize)]
struct S3Notification {
    #[serde(rename = "Records", default)]
    records: Vec<S3NotificationRecord>,
}

#[derive(serde::Deserialize)]
struct S3NotificationRecord {
    s3: S3NotificationEntity,
}

#[derive(serde::Deserialize)]
struct S3NotificationEntity {
    bucket: S3NotificationBucket,
    object: S3NotificationObject,
}

#[derive(serde::Deserialize)]
struct S3NotificationBucket {
    name: String,
}

#[derive(serde::Deserialize)]
struct S3NotificationObject {
    key: String,
    #[serde(rename = "versionId")]
    version_id: Option<String>,
    #[serde(rename = "eTag")]
    e_tag: Option<String>,
    sequencer: Option<String>,
}

/// Reads the S3 objects out of one SQS message body. S3's `s3:TestEvent`
/// (sent when notifications are configured) names no object.
pub fn objects_from_message(body: &str) -> Result<Vec<InboundObject>, NotAnS3Event> {
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|e| NotAnS3Event(e.to_string()))?;
    if value.get("Event").and_then(|e| e.as_str()) == Some("s3:TestEvent") {
        return Ok(Vec::new());
    }
    let event: S3Notification =
        serde_json::from_value(value).map_err(|e| NotAnS3Event(e.to_string()))?;
    if event.records.is_empty() {
        return Err(NotAnS3Event("no Records".into()));
    }
    Ok(event
        .records
        .into_iter()
        .map(|r| {
            let object = r.s3.object;
            let version = object
                .version_id
                .filter(|v| !v.is_empty())
                .or(object.e_tag)
                .or(object.sequencer)
                .unwrap_or_default();
            InboundObject {
                bucket: r.s3.bucket.name,
                key: decode_event_key(&object.key),
                version,
            }
        })
        .collect())
}

/// S3 event keys are URL-encoded with `+` for spaces.
pub fn decode_event_key(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&raw[i + 1..i + 3], 16) {
                Ok(b) => {
                    out.push(b);
                    i += 2;
                }
                Err(_) => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
