use designa::app::layout;
use designa::domain::RoutingPolicy;
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
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let required = |name: &str| {
            get(name)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("environment variable {name} is not set"))
        };
        let number = |name: &str, default: u64| -> Result<u64, String> {
            get(name)
                .filter(|v| !v.is_empty())
                .map_or(Ok(default), |v| {
                    v.parse()
                        .map_err(|_| format!("{name}='{v}' is not a whole number"))
                })
        };
        Ok(Config {
            table_name: required("TABLE_NAME")?,
            notifications_queue_url: required("NOTIFICATIONS_QUEUE_URL")?,
            inbound_prefix: get("INBOUND_PREFIX").unwrap_or_else(|| layout::INBOUND_PREFIX.into()),
            quarantine_prefix: get("QUARANTINE_PREFIX")
                .unwrap_or_else(|| layout::QUARANTINE_PREFIX.into()),
            reports_prefix: get("REPORTS_PREFIX").unwrap_or_else(|| layout::REPORTS_PREFIX.into()),
            routing: RoutingPolicy {
                smart_exit_grace_days: number(
                    "SMART_EXIT_GRACE_DAYS",
                    designa::domain::routing::DEFAULT_SMART_EXIT_GRACE_DAYS.into(),
                )?
                .try_into()
                .map_err(|_| "SMART_EXIT_GRACE_DAYS is too large".to_string())?,
            },
            lease: Duration::from_secs(number("LEASE_SECONDS", 300)?),
            driver_email_template: required("DRIVER_EMAIL_TEMPLATE")?,
        })
    }

    /// Config for tests: fixed names, default policy.
    pub fn for_tests() -> Config {
        Config::from_lookup(|name| match name {
            "TABLE_NAME" => Some("designa-test".into()),
            "NOTIFICATIONS_QUEUE_URL" => Some("https://sqs.test/notifications".into()),
            "DRIVER_EMAIL_TEMPLATE" => Some("designa-test-driver-designated".into()),
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
        let err = Config::from_lookup(|_| None).unwrap_err();
        assert_eq!(err, "environment variable TABLE_NAME is not set");
        let err = Config::from_lookup(|n| match n {
            "SMART_EXIT_GRACE_DAYS" => Some("sixty".into()),
            _ => Some("x".into()),
        })
        .unwrap_err();
        assert!(err.contains("SMART_EXIT_GRACE_DAYS='sixty'"), "{err}");
        assert_eq!(Config::for_tests().routing.smart_exit_grace_days, 60);
    }
}
