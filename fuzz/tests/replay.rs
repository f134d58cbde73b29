//! Every input the fuzzers kept (the corpus) and every one that once broke
//! a target (the findings, kept as regression tests), run through the
//! targets on stable: `make test` checks in seconds what hours of fuzzing
//! found.

use std::path::{Path, PathBuf};

fn inputs(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.expect("a corpus entry").path()).collect();
    files.sort();
    files
}

fn replay(kind: &str) -> usize {
    // calamine's panics are caught by the reader: no need to print them.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(designa_fuzz::contain_workbook_reader_panics);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(kind);
    let mut replayed = 0;
    for (target, run) in designa_fuzz::TARGETS {
        for file in inputs(&root.join(target)) {
            let data = std::fs::read(&file).expect("a corpus file");
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{} breaks {target}", file.display());
            replayed += 1;
        }
    }
    replayed
}

#[test]
fn every_seed_passes_its_target() {
    for (target, run) in designa_fuzz::TARGETS {
        let seeds = designa_fuzz::seeds::seeds(target);
        assert!(!seeds.is_empty(), "{target} has seeds");
        for seed in seeds {
            run(&seed);
        }
    }
}

#[test]
fn the_kept_corpus_passes_every_target() {
    assert!(replay("corpus") > 0, "the corpus is in the repository");
}

#[test]
fn every_finding_passes_its_target_now() {
    replay("regressions");
}
