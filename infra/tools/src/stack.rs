//! The local stack as `infra/local_stack.py create` described it in
//! `.local/stack.json`: endpoint, physical resource names and each
//! function's resolved environment, all read from template.yaml.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
pub struct LocalStack {
    pub endpoint: String,
    pub region: String,
    pub stack_name: String,
    pub resources: BTreeMap<String, String>,
    pub functions: BTreeMap<String, BTreeMap<String, String>>,
    /// The HTTP API's JWT authorizers, as API Gateway would check tokens.
    #[serde(default)]
    pub authorizers: BTreeMap<String, Authorizer>,
    /// Routes served without a token, as (method, path template).
    #[serde(default)]
    pub public_routes: Vec<(String, String)>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Authorizer {
    pub issuer: String,
    pub audience: Vec<String>,
}

/// The repository root (this crate lives in `infra/tools`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

impl LocalStack {
    pub fn load() -> Result<LocalStack> {
        let path = repo_root().join(".local/stack.json");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{} is missing: run `make local-stack` (or infra/local_stack.py create) first",
                path.display()
            )
        })?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a stack description", path.display()))
    }

    pub fn resource(&self, logical_id: &str) -> Result<&str> {
        self.resources
            .get(logical_id)
            .map(String::as_str)
            .with_context(|| format!("template.yaml declares no resource {logical_id}"))
    }

    pub fn function_env(&self, function: &str) -> Result<&BTreeMap<String, String>> {
        self.functions
            .get(function)
            .with_context(|| format!("template.yaml declares no function {function}"))
    }

    /// Points this process's AWS clients at the emulator and sets a
    /// function's environment, as Lambda would.
    pub fn apply_env(&self, function: &str) -> Result<()> {
        let vars = self.function_env(function)?.clone();
        // Safety: called at start-up, before any thread reads the environment.
        unsafe {
            std::env::set_var("AWS_ENDPOINT_URL", &self.endpoint);
            std::env::set_var("AWS_REGION", &self.region);
            if std::env::var("AWS_ACCESS_KEY_ID").is_err() {
                std::env::set_var("AWS_ACCESS_KEY_ID", "test");
                std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
            }
            for (k, v) in vars {
                std::env::set_var(k, v);
            }
        }
        Ok(())
    }
}
