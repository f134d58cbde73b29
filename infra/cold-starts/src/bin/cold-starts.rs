//! Cold starts of every function (a bench binary): each release binary is
//! started several times under a minimal Lambda Runtime API on loopback,
//! with its environment from template.yaml pointing at the local emulator
//! and its sample event from `events/`; a bare `lambda_runtime` binary is
//! measured the same way, first in each round. Prints the median init time
//! (spawn → first `next`), the median of its ratios to the bare runtime's
//! of the same round, and the median first invocation. Run with `make
//! cold-starts` (part of `make bench`), which builds the release binaries
//! and starts the emulator first.

use anyhow::{Context, Result};
use designa_cold_starts::{measure, median, repo_root, ColdStart, LocalStack, Subject};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Each function's sample event (events/README.md).
const EVENTS: [(&str, &str); 11] = [
    ("ApiFunction", "api-get-me.json"),
    ("IngestFunction", "ingest-sqs-event.json"),
    ("AnswerJobsFunction", "answer-jobs-outbound-batch.json"),
    ("NotificationFunction", "notifier-daily-digest.json"),
    ("ReminderFunction", "reminders-daily.json"),
    ("ExportFunction", "export-sqs-event.json"),
    ("ImportFunction", "import-sqs-event.json"),
    ("PurgeFunction", "purge-ttl-removal.json"),
    ("FleetDeclarationFunction", "fleet-declaration-changes.json"),
    ("JournalAnchorFunction", "journal-anchor-head-written.json"),
    ("SignInJournalFunction", "sign-in-post-authentication.json"),
];

fn runs() -> usize {
    std::env::var("COLD_START_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7)
}

fn release_binary(name: &str) -> PathBuf {
    repo_root().join("target/release").join(name)
}

/// The environment Lambda would give `function`, on the emulator.
fn environment(stack: &LocalStack, function: &str) -> Result<BTreeMap<String, String>> {
    let mut env = stack
        .functions
        .get(function)
        .with_context(|| format!("template.yaml declares no function {function}"))?
        .clone();
    env.insert("AWS_ENDPOINT_URL".into(), stack.endpoint.clone());
    env.insert("AWS_REGION".into(), stack.region.clone());
    env.insert("AWS_ACCESS_KEY_ID".into(), "test".into());
    env.insert("AWS_SECRET_ACCESS_KEY".into(), "test".into());
    Ok(env)
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One function's subject and its starts, one a round.
struct Measured {
    package: String,
    event_file: &'static str,
    env: BTreeMap<String, String>,
    memory_mb: u32,
    event: Vec<u8>,
    starts: Vec<ColdStart>,
    /// Its init over the bare runtime's of the same round.
    ratios: Vec<f64>,
}

/// Every function of `EVENTS`, with its environment and sample event,
/// before its first start.
fn functions(stack: &LocalStack) -> Result<Vec<Measured>> {
    EVENTS
        .iter()
        .map(|&(function, event_file)| {
            let code = stack.function_code.get(function).with_context(|| {
                format!("{function} is not in .local/stack.json: run `make local-stack`")
            })?;
            Ok(Measured {
                package: code.package.clone(),
                event_file,
                env: environment(stack, function)?,
                memory_mb: code.memory,
                event: std::fs::read(repo_root().join("events").join(event_file))?,
                starts: Vec::new(),
                ratios: Vec::new(),
            })
        })
        .collect()
}

/// The upper median of `ratios`.
fn median_ratio(mut ratios: Vec<f64>) -> f64 {
    ratios.sort_by(f64::total_cmp);
    ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let stack = LocalStack::load()?;
    let bare_env = environment(&stack, "ApiFunction")?;
    let bare_subject = Subject {
        binary: &release_binary("bare-lambda"),
        env: &bare_env,
        memory_mb: 128,
        event: "{}".into(),
    };
    let mut measured = functions(&stack)?;
    // Rounds, each the bare runtime then every function: a machine that
    // slows down for a while slows a whole round, and each ratio compares
    // starts measured moments apart.
    let mut bare = Vec::new();
    for _ in 0..runs() {
        let bare_start = measure(&bare_subject).await?;
        for function in &mut measured {
            let start = measure(&Subject {
                binary: &release_binary(&function.package),
                env: &function.env,
                memory_mb: function.memory_mb,
                event: function.event.clone().into(),
            })
            .await?;
            function
                .ratios
                .push(start.init.as_secs_f64() / bare_start.init.as_secs_f64().max(1e-9));
            function.starts.push(start);
        }
        bare.push(bare_start);
    }
    println!(
        "cold starts, median of {} rounds (release binaries, this machine):",
        runs()
    );
    println!(
        "  {:<26} {:>9} {:>8} {:>12}  first invocation",
        "function", "init ms", "× bare", "invoke ms"
    );
    let bare_init = median(bare.iter().map(|s| s.init).collect());
    let bare_invoke = median(bare.iter().map(|s| s.first_invocation).collect());
    println!(
        "  {:<26} {:>9.1} {:>8.2} {:>12.1}  echo",
        "bare lambda_runtime",
        ms(bare_init),
        1.0,
        ms(bare_invoke)
    );
    for function in measured {
        let init = median(function.starts.iter().map(|s| s.init).collect());
        let invoke = median(function.starts.iter().map(|s| s.first_invocation).collect());
        let outcome = match function.starts.last().and_then(|s| s.error.clone()) {
            None => format!("answered ({})", function.event_file),
            Some(e) => format!("error {e} ({})", function.event_file),
        };
        println!(
            "  {:<26} {:>9.1} {:>8.2} {:>12.1}  {outcome}",
            function.package,
            ms(init),
            median_ratio(function.ratios),
            ms(invoke),
        );
    }
    Ok(())
}
