//! Reading a function's configuration from its environment (template.yaml
//! sets it): one message for a missing variable, whatever the function.

/// A variable that must be set and not blank.
pub fn required(name: &str) -> Result<String, String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("environment variable {name} is not set"))
}
