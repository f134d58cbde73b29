//! How the application's use cases fail, without HTTP: the API maps each
//! variant to its status (`functions/api/src/http.rs`), the workers decide
//! from it whether a message is retried.

use crate::error::PortError;
use serde::Serialize;
use serde_json::Value;

/// One faulty field of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub reason: String,
    /// A stable English code, where the check gives one (answers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            reason: reason.into(),
            code: None,
        }
    }

    pub fn coded(field: impl Into<String>, code: &str, reason: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            reason: reason.into(),
            code: Some(code.into()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No verified identity came with the request.
    #[error("not signed in")]
    Unauthenticated,
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Also for another tenant's or an out-of-scope entity's resources: their
    /// existence is not revealed.
    #[error("{0} not found")]
    NotFound(String),
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<FieldError>,
    },
    /// Someone else changed it meanwhile (or it clashes with what exists);
    /// `current` is what is there now.
    #[error("{message}")]
    Conflict { message: String, current: Value },
    /// A broken invariant: stored data that does not map, a file gone.
    #[error("{0}")]
    Internal(String),
    #[error(transparent)]
    Port(#[from] PortError),
}

impl AppError {
    pub fn invalid(message: impl Into<String>, fields: Vec<FieldError>) -> Self {
        AppError::Invalid {
            message: message.into(),
            fields,
        }
    }

    /// One faulty field, its name in the message too.
    pub fn field(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        AppError::Invalid {
            message: format!("{field}: {reason}"),
            fields: vec![FieldError::new(field, reason)],
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict {
            message: message.into(),
            current: Value::Null,
        }
    }

    /// A failure that may pass if tried again (an outside system, a race),
    /// as opposed to one that would fail the same way every time.
    pub fn is_transient(&self) -> bool {
        matches!(self, AppError::Port(_) | AppError::Conflict { .. })
    }
}

pub type AppResult<T> = Result<T, AppError>;
