//! How the application's use cases fail, without HTTP: the API maps each
//! variant to its status (`functions/api/src/http.rs`), the workers decide
//! from it whether a message is retried.

use crate::domain::ReasonCode;
use crate::error::PortError;
use serde::Serialize;
use serde_json::Value;

/// One faulty field of an input: a stable code for programs, a French
/// sentence for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: ReasonCode,
    /// In French; shown next to the field.
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ReasonCode, reason: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code,
            reason: reason.into(),
        }
    }
}

/// What a request may name and not find, to say so in French.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Notice,
    Answer,
    Vehicle,
    Driver,
    Assignment,
    Entity,
    User,
    Invitation,
    Import,
    Export,
    PrivacyRequest,
    /// A designation typed into a notice (not made from the driver base).
    TypedDesignation,
    /// A designation certificate, looked up by its verification code.
    Certificate,
    Route,
}

impl Resource {
    /// The resource as a sentence names it: "cet avis".
    pub fn this(self) -> &'static str {
        match self {
            Resource::Notice => "cet avis",
            Resource::Answer => "cette réponse",
            Resource::Vehicle => "ce véhicule",
            Resource::Driver => "ce conducteur",
            Resource::Assignment => "cette attribution",
            Resource::Entity => "cette entité",
            Resource::User => "cet utilisateur",
            Resource::Invitation => "cette invitation",
            Resource::Import => "cet import",
            Resource::Export => "cet export",
            Resource::PrivacyRequest => "cette demande RGPD",
            Resource::TypedDesignation => "cette désignation saisie",
            Resource::Certificate => "cette attestation",
            Resource::Route => "cette adresse de l'API",
        }
    }

    pub fn not_found(self) -> String {
        let this = self.this();
        let mut sentence = String::with_capacity(this.len() + 40);
        sentence.extend(this.chars().next().map(|c| c.to_ascii_uppercase()));
        sentence.push_str(&this[1..]);
        sentence.push_str(match self {
            Resource::Invitation => " n'existe pas, a déjà servi ou a expiré.",
            Resource::Route => " n'existe pas.",
            Resource::Certificate => " n'existe pas : vérifiez le code de vérification saisi.",
            _ => " est introuvable, ou hors de votre périmètre.",
        });
        sentence
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No verified identity came with the request.
    #[error("Vous n'êtes pas connecté.")]
    Unauthenticated,
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Also for another tenant's or an out-of-scope entity's resources: their
    /// existence is not revealed.
    #[error("{}", .0.not_found())]
    NotFound(Resource),
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
    pub fn field(field: &str, code: ReasonCode, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        AppError::Invalid {
            message: format!("{field} : {reason}"),
            fields: vec![FieldError::new(field, code, reason)],
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
