//! Build script shared by every function crate and by the cold-start
//! bench's bare runtime (their `package.build`): links their binaries as
//! position-dependent executables.
//!
//! A position-independent executable carries one dynamic relocation per
//! pointer in its static data: about 60,000 in a function (the AWS SDK's
//! tables), which the loader reads and writes at every cold start, touching
//! some 400 pages before `main`. Linked at a fixed address, those pointers
//! are resolved by the linker instead. The price is the executable's own
//! address randomisation (its stack, heap and libraries stay randomised), as
//! for a Go function on Lambda. docs/operations.md, "Cold starts".

fn main() {
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if linux {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=../../infra/link/position_dependent.rs");
}
