//! Structured JSON logs. Log fields carry tenant and correlation ids, never
//! personal data (no names, addresses or e-mails; plates only as counts).

use tracing_subscriber::EnvFilter;

/// Installs the JSON subscriber once; `RUST_LOG` sets the level (default info).
pub fn init() {
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_current_span(true)
        .with_span_list(false)
        .without_time() // Lambda's log service stamps each line
        .with_target(false)
        .try_init();
}
