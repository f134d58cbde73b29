//! Writes the API's OpenAPI document, generated from the code, to
//! `docs/openapi.yaml` (`make openapi`). A test fails when the checked-in
//! copy differs from what the code generates.

use anyhow::{Context, Result};
use std::path::Path;

fn main() -> Result<()> {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.yaml");
    std::fs::write(&target, api::openapi::yaml())
        .with_context(|| format!("cannot write {}", target.display()))?;
    println!("wrote {}", target.display());
    Ok(())
}
