//! The application layer: the use cases that more than one function runs,
//! and what they share, without HTTP. The API maps `AppError` to statuses;
//! the workers run the same use cases on queue messages.
//!
//! - `caller`: who is acting and what their grants allow;
//! - `journal`: the access journal, a hash chain per tenant, and
//!   `journal_check`: its verification against the head and the anchors
//!   (`journal_anchors`, copies of the head under S3 Object Lock);
//! - `records`: typed, versioned document records;
//! - `entities`, `assignments`: what imports and exports resolve against;
//! - `imports`: the Excel imports, one file per kind;
//! - `exports`: the export-job model shared by the API and the worker;
//! - `layout`: bucket prefixes and digest partitions;
//! - `notices`: the list of notices, paged on the indexes' side;
//! - `vehicles`: writing a vehicle, a plate's holder decided atomically;
//! - `stats`: the dashboard's anonymous figures;
//! - `certificates`: the designation certificates, signed proofs of an
//!   acknowledged answer, and their verification codes;
//! - `idempotency`: the API's idempotency keys and the responses they replay.

pub mod assignments;
pub mod caller;
pub mod certificates;
pub mod entities;
pub mod error;
pub mod exports;
pub mod idempotency;
pub mod imports;
pub mod journal;
pub mod journal_anchors;
pub mod journal_check;
pub mod layout;
pub mod notices;
pub mod records;
pub mod stats;
pub mod vehicles;

pub use error::{AppError, AppResult, FieldError, Resource};
