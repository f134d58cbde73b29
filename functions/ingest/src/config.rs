use designa::app::layout;
use designa::domain::RoutingPolicy;
use designa::env::{Env, EnvError};
use std::time::Duration;

/// The ingest function's settings, read once from its environment (template.yaml).
#[derive(Debug, Clone)]
pub struct Config {
    pub table_name: String,
    pub notifications_queue_url: String,
    pub inbound_prefix: String,
    pub quarantine_prefix: String,
    pub reports_prefix: String,
    pub routing: RoutingPolicy,
    /// How long one invocation may hold a file before another may take it over.
    pub lease: Duration,
    /// The SES template telling a driver their designation was acknowledged.
    pub driver_email_template: String,
    /// The verified identity e-mails come from.
    pub sender_address: String,
}

impl Config {
    pub fn from_env() -> Result<Config, EnvError> {
        Config::read(&Env::process())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, EnvError> {
        Config::read(&Env::from_lookup(get))
    }

    pub fn read(env: &Env<impl Fn(&str) -> Option<String>>) -> Result<Config, EnvError> {
        Ok(Config {
            table_name: env.required("TABLE_NAME")?,
            notifications_queue_url: env.required("NOTIFICATIONS_QUEUE_URL")?,
            inbound_prefix: env.or("INBOUND_PREFIX", layout::INBOUND_PREFIX),
            quarantine_prefix: env.or("QUARANTINE_PREFIX", layout::QUARANTINE_PREFIX),
            reports_prefix: env.or("REPORTS_PREFIX", layout::REPORTS_PREFIX),
            routing: RoutingPolicy {
                smart_exit_grace_days: env.number(
                    "SMART_EXIT_GRACE_DAYS",
                    designa::domain::routing::DEFAULT_SMART_EXIT_GRACE_DAYS,
                )?,
            },
            lease: Duration::from_secs(env.number("LEASE_SECONDS", 300)?),
            driver_email_template: env.required("DRIVER_EMAIL_TEMPLATE")?,
            sender_address: env.required("SENDER_ADDRESS")?,
        })
    }

    /// Config for tests: fixed names, default policy.
    pub fn for_tests() -> Config {
        Config::from_lookup(|name| match name {
            "TABLE_NAME" => Some("designa-test".into()),
            "NOTIFICATIONS_QUEUE_URL" => Some("https://sqs.test/notifications".into()),
            "DRIVER_EMAIL_TEMPLATE" => Some("designa-test-driver-designated".into()),
            "SENDER_ADDRESS" => Some("no-reply@designa.example".into()),
            _ => None,
        })
        .expect("complete test config")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_malformed_settings_are_named() {
        let err = Config::from_lookup(|_| None).unwrap_err().to_string();
        assert_eq!(err, "environment variable TABLE_NAME is not set");
        let err = Config::from_lookup(|n| match n {
            "SMART_EXIT_GRACE_DAYS" => Some("sixty".into()),
            _ => Some("x".into()),
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("SMART_EXIT_GRACE_DAYS='sixty'"), "{err}");
        assert_eq!(Config::for_tests().routing.smart_exit_grace_days, 60);
    }
}
