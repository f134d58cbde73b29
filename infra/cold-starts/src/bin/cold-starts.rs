//! Cold starts of every function (a bench binary): each release binary is
//! started several times under a minimal Lambda Runtime API on loopback,
//! with its environment from template.yaml pointing at the local emulator
//! and its sample event from `events/`; a bare `lambda_runtime` binary is
//! measured the same way in the same run. Prints the median init time
//! (spawn → first `next`), its ratio to the bare runtime's, and the median
//! first invocation. Run with `make cold-starts` (part of `make bench`),
//! which builds the release binaries and starts the emulator first.

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

async fn measure_runs(subject: &Subject<'_>) -> Result<Vec<ColdStart>> {
    let mut starts = Vec::new();
    for _ in 0..runs() {
        starts.push(measure(subject).await?);
    }
    Ok(starts)
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let stack = LocalStack::load()?;
    let bare_env = environment(&stack, "ApiFunction")?;
    let bare = measure_runs(&Subject {
        binary: &release_binary("bare-lambda"),
        env: &bare_env,
        memory_mb: 128,
        event: "{}".into(),
    })
    .await?;
    let bare_init = median(bare.iter().map(|s| s.init).collect());
    println!(
        "cold starts, median of {} runs each (release binaries, this machine):",
        runs()
    );
    println!(
        "  {:<26} {:>9} {:>8} {:>12}  first invocation",
        "function", "init ms", "× bare", "invoke ms"
    );
    let bare_invoke = median(bare.iter().map(|s| s.first_invocation).collect());
    println!(
        "  {:<26} {:>9.1} {:>8.2} {:>12.1}  echo",
        "bare lambda_runtime",
        ms(bare_init),
        1.0,
        ms(bare_invoke)
    );
    for (function, event_file) in EVENTS {
        let code = stack.function_code.get(function).with_context(|| {
            format!("{function} is not in .local/stack.json: run `make local-stack`")
        })?;
        let event = std::fs::read(repo_root().join("events").join(event_file))?;
        let env = environment(&stack, function)?;
        let starts = measure_runs(&Subject {
            binary: &release_binary(&code.package),
            env: &env,
            memory_mb: code.memory,
            event: event.into(),
        })
        .await?;
        let init = median(starts.iter().map(|s| s.init).collect());
        let invoke = median(starts.iter().map(|s| s.first_invocation).collect());
        let outcome = match &starts.last().and_then(|s| s.error.clone()) {
            None => format!("answered ({event_file})"),
            Some(e) => format!("error {e} ({event_file})"),
        };
        println!(
            "  {:<26} {:>9.1} {:>8.2} {:>12.1}  {outcome}",
            code.package,
            ms(init),
            init.as_secs_f64() / bare_init.as_secs_f64().max(1e-9),
            ms(invoke),
        );
    }
    Ok(())
}
