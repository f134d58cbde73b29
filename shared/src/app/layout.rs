//! Where things are kept, as more than one function needs to know: the
//! exchange bucket's prefixes and the notification function's digest
//! partitions. One place, so the purge deletes exactly what the others write.

use crate::domain::TenantId;

/// ANTAI's files as the relay stages them (template.yaml's `INBOUND_PREFIX`).
pub const INBOUND_PREFIX: &str = "inbound/";
/// Files refused whole, kept aside with their report.
pub const QUARANTINE_PREFIX: &str = "quarantine/";
/// One report per ingested file.
pub const REPORTS_PREFIX: &str = "reports/";
/// Files for the relay to send to ANTAI (answers, fleet declarations).
pub const OUTBOUND_PREFIX: &str = "outbound/";
/// Workbooks uploaded through a presigned URL (template.yaml's `IMPORTS_PREFIX`).
pub const IMPORTS_PREFIX: &str = "imports/";
/// Fleet-refresh diffs, kept beside their import (a diff can exceed an item's size).
pub const IMPORT_RESULTS_PREFIX: &str = "import-results/";
/// Export files (the bucket's lifecycle deletes them after `exports::FILE_DAYS`).
pub const EXPORTS_PREFIX: &str = "exports/";

/// The partitions holding notifications waiting for a digest.
pub const DAILY_DIGESTS: &str = "_digest-daily";
pub const WEEKLY_DIGESTS: &str = "_digest-weekly";
pub const DIGEST_PARTITIONS: [&str; 2] = [DAILY_DIGESTS, WEEKLY_DIGESTS];
/// Where delivery records' ids start: `~delivery#<event>#<user>`.
pub const DELIVERY_PREFIX: &str = "~delivery#";

/// The record that says one notification event reached one user.
pub fn delivery_id(event_key: &str, user_id: &str) -> String {
    format!("{DELIVERY_PREFIX}{event_key}#{user_id}")
}

/// `import-results/<tenant>/<import id>.json`
pub fn import_diff_key(tenant: &TenantId, import_id: &str) -> String {
    format!("{IMPORT_RESULTS_PREFIX}{tenant}/{import_id}.json")
}
