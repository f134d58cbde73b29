//! Writes every target's seeds into `fuzz/corpus/<target>/`, each named by
//! its content's digest (what libFuzzer does too): run again, it adds
//! nothing.

use sha2::{Digest, Sha256};
use std::path::Path;

fn main() -> std::io::Result<()> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (target, _) in designa_fuzz::TARGETS {
        let folder = corpus.join(target);
        std::fs::create_dir_all(&folder)?;
        for seed in designa_fuzz::seeds::seeds(target) {
            let name = hex::encode(Sha256::digest(&seed));
            std::fs::write(folder.join(&name[..40]), &seed)?;
        }
    }
    Ok(())
}
