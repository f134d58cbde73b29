//! The fuzz targets' bodies, one function per target, shared by the
//! cargo-fuzz binaries (`fuzz/libfuzzer`, nightly) and by the replay of the
//! corpus and the findings that `make test` runs on stable. Each function
//! panics on a property the code must keep, whatever the bytes: no panic,
//! no hang, bounded memory, and the checks written in each module.

pub mod api_body;
pub mod exchange;
pub mod plate;
pub mod seeds;
pub mod workbook;

/// A target's body: the fuzzer's bytes in, a panic when a check fails.
pub type Target = fn(&[u8]);

/// Every target: its name (its corpus folder) and its body.
pub const TARGETS: [(&str, Target); 6] = [
    ("exchange_file", exchange::exchange_file),
    ("fleet_matrix", workbook::fleet_matrix),
    ("drivers_workbook", workbook::drivers_workbook),
    ("planning_workbook", workbook::planning_workbook),
    ("plate", plate::plate),
    ("api_body", api_body::api_body),
];

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
}

/// Runs a future to its end on this thread's runtime (one per thread, built
/// once: a fuzzer calls a target millions of times).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    RUNTIME.with(|rt| rt.block_on(future))
}

/// Lets a panic raised inside calamine (or the zip and XML readers under
/// it) unwind to the `catch_unwind` of `excel::first_sheet`, which turns it
/// into "not a readable workbook"; any other panic still aborts, as
/// libFuzzer's hook does. Called once by the cargo-fuzz targets' `init`
/// (and by the replay, to keep the caught panics out of its output).
pub fn contain_workbook_reader_panics() {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map(|l| l.file()).unwrap_or_default();
        let contained = ["/calamine-", "/quick-xml-", "/zip-"];
        if !contained.iter().any(|c| file.contains(c)) {
            abort(info);
        }
    }));
}
