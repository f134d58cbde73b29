//! Reading a function's configuration from its environment (template.yaml
//! sets it), one way for every function: through a lookup, so a test passes
//! a map instead of the process environment. A blank value is a missing
//! one; every error names the variable.

use std::str::FromStr;

/// Why a function's configuration cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvError {
    #[error("environment variable {0} is not set")]
    Missing(String),
    #[error("environment variable {name}='{value}' is not {expected}")]
    Invalid {
        name: String,
        value: String,
        expected: &'static str,
    },
}

/// A function's environment: the process's (`Env::process`) or any lookup.
pub struct Env<F> {
    lookup: F,
}

/// The process environment's lookup.
pub type ProcessLookup = fn(&str) -> Option<String>;

impl Env<ProcessLookup> {
    pub fn process() -> Self {
        Env {
            lookup: |name| std::env::var(name).ok(),
        }
    }
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    pub fn from_lookup(lookup: F) -> Self {
        Env { lookup }
    }

    /// The value, if set and not blank.
    pub fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|v| !v.trim().is_empty())
    }

    pub fn required(&self, name: &str) -> Result<String, EnvError> {
        self.optional(name)
            .ok_or_else(|| EnvError::Missing(name.into()))
    }

    /// The value, or `default` when unset.
    pub fn or(&self, name: &str, default: &str) -> String {
        self.optional(name).unwrap_or_else(|| default.into())
    }

    /// A whole number, `default` when unset.
    pub fn number<T: FromStr>(&self, name: &str, default: T) -> Result<T, EnvError> {
        match self.optional(name) {
            None => Ok(default),
            Some(value) => value.trim().parse().map_err(|_| EnvError::Invalid {
                name: name.into(),
                value,
                expected: "a whole number",
            }),
        }
    }

    /// A whole number above zero, `default` when unset.
    pub fn positive(&self, name: &str, default: usize) -> Result<usize, EnvError> {
        match self.number(name, default)? {
            0 => Err(EnvError::Invalid {
                name: name.into(),
                value: "0".into(),
                expected: "a positive whole number",
            }),
            n => Ok(n),
        }
    }
}

/// A variable of the process environment that must be set and not blank.
pub fn required(name: &str) -> Result<String, EnvError> {
    Env::process().required(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> Env<impl Fn(&str) -> Option<String>> {
        Env::from_lookup(move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn a_blank_value_is_a_missing_one() {
        let env = env(&[("TABLE_NAME", "  "), ("BUCKET", "exchange")]);
        assert_eq!(
            env.required("TABLE_NAME").unwrap_err().to_string(),
            "environment variable TABLE_NAME is not set"
        );
        assert_eq!(env.required("BUCKET").unwrap(), "exchange");
        assert_eq!(env.or("PREFIX", "inbound/"), "inbound/");
    }

    #[test]
    fn numbers_name_the_variable_and_the_value() {
        let env = env(&[
            ("LEASE_SECONDS", "five"),
            ("CONCURRENCY", "0"),
            ("DAYS", "60"),
        ]);
        assert_eq!(
            env.number::<u64>("LEASE_SECONDS", 300)
                .unwrap_err()
                .to_string(),
            "environment variable LEASE_SECONDS='five' is not a whole number"
        );
        assert_eq!(
            env.positive("CONCURRENCY", 8).unwrap_err().to_string(),
            "environment variable CONCURRENCY='0' is not a positive whole number"
        );
        assert_eq!(env.number::<u32>("DAYS", 1).unwrap(), 60);
        assert_eq!(env.positive("UNSET", 8).unwrap(), 8);
    }
}
