//! The operator commands' `--name value` arguments.

use anyhow::{Context, Result};
use std::collections::HashMap;

/// Parses `--name value` pairs; any other shape is an error that shows `usage`.
pub fn parse_flags(args: &[String], usage: &str) -> Result<HashMap<String, String>> {
    let mut options = HashMap::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let name = flag
            .strip_prefix("--")
            .with_context(|| format!("unexpected argument '{flag}'\n{usage}"))?;
        let value = it
            .next()
            .with_context(|| format!("--{name} needs a value\n{usage}"))?;
        options.insert(name.to_string(), value.clone());
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pairs_and_mistakes() {
        let options = parse_flags(&args(&["--id", "acme", "--name", "Acme SA"]), "usage").unwrap();
        assert_eq!(options["name"], "Acme SA");
        assert!(parse_flags(&args(&["acme"]), "usage")
            .unwrap_err()
            .to_string()
            .contains("unexpected argument 'acme'"));
        assert!(parse_flags(&args(&["--id"]), "usage")
            .unwrap_err()
            .to_string()
            .contains("--id needs a value"));
    }
}
