//! The failure of an outside system (a table, a bucket, a queue, KMS), as
//! every port reports it. No AWS types: the cause is kept as a boxed error,
//! so a logged failure still says what went wrong underneath.

use std::error::Error;

type Cause = Box<dyn Error + Send + Sync>;

/// A failure of an outside system. Handlers retry by failing the message.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: {source}")]
pub struct PortError {
    pub operation: &'static str,
    #[source]
    source: Cause,
    /// Other writers kept winning the same item: worth retrying shortly.
    contended: bool,
}

impl PortError {
    /// A failure described in words (a mapping problem, a broken invariant).
    pub fn new(operation: &'static str, message: impl std::fmt::Display) -> Self {
        PortError {
            operation,
            source: message.to_string().into(),
            contended: false,
        }
    }

    /// Every attempt lost its condition to another writer of the same item.
    pub fn contended(operation: &'static str, message: impl std::fmt::Display) -> Self {
        PortError {
            contended: true,
            ..PortError::new(operation, message)
        }
    }

    pub fn is_contention(&self) -> bool {
        self.contended
    }

    /// A failure with the error that caused it, kept whole.
    pub fn caused_by(operation: &'static str, cause: impl Error + Send + Sync + 'static) -> Self {
        PortError {
            operation,
            source: Box::new(cause),
            contended: false,
        }
    }

    /// This failure and every cause under it, on one line (for logs).
    pub fn chain(&self) -> String {
        error_chain(self)
    }
}

/// An error and its causes, `outer: inner: innermost`, skipping a cause
/// whose text its parent already shows.
pub fn error_chain(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let line = inner.to_string();
        if !text.ends_with(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("connection reset")]
    struct Reset;

    #[derive(Debug, thiserror::Error)]
    #[error("dispatch failure")]
    struct Dispatch(#[source] Reset);

    #[test]
    fn the_cause_is_kept_and_shown_in_the_chain() {
        let error = PortError::caused_by("dynamodb:PutItem", Dispatch(Reset));
        assert_eq!(error.to_string(), "dynamodb:PutItem: dispatch failure");
        assert_eq!(
            error.chain(),
            "dynamodb:PutItem: dispatch failure: connection reset"
        );
        assert!(error.source().is_some());
    }

    #[test]
    fn a_message_reads_as_before() {
        let error = PortError::new("item mapping", "missing field `pk`");
        assert_eq!(error.to_string(), "item mapping: missing field `pk`");
        assert_eq!(error.chain(), "item mapping: missing field `pk`");
    }
}
