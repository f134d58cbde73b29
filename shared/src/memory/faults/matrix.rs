//! The fault matrix: a scenario runs fault-free, then once per call it made,
//! per mode and per error its service returns, with that one call failing,
//! and each run's final state is checked against the fault-free run's; then
//! seeded random runs. A
//! scenario builds its world on the plan it is given, does the work with
//! Lambda's redeliveries until it is done, and returns what a user (or
//! ANTAI) would see, normalised.

use super::{Faults, Injected, Mode};
use std::collections::BTreeMap;
use std::future::Future;

/// What a matrix ran, for its test's report.
#[derive(Debug, Clone, Default)]
pub struct Matrix {
    /// Calls the fault-free run made.
    pub calls: usize,
    /// Calls of the fault-free run by call site: the sites covered.
    pub sites: BTreeMap<&'static str, usize>,
    /// Runs made, the fault-free one included.
    pub runs: usize,
    /// Faults injected over all runs.
    pub injected: usize,
}

impl std::fmt::Display for Matrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} runs, {} faults, {} calls at {} sites:",
            self.runs,
            self.injected,
            self.calls,
            self.sites.len()
        )?;
        for (site, calls) in &self.sites {
            write!(f, " {site}×{calls}")?;
        }
        Ok(())
    }
}

/// Runs `scenario` fault-free, then with each of its calls failing once,
/// before the call and with the response lost, with each error its service
/// returns in that mode; `check(expected, actual, faults)` compares each
/// run's final state with the fault-free one.
pub async fn each_call_failing_once<S, Run, Fut, Check>(scenario: Run, check: Check) -> Matrix
where
    Run: Fn(Faults) -> Fut,
    Fut: Future<Output = S>,
    Check: Fn(&S, &S, &[Injected]),
{
    let healthy = Faults::new();
    let expected = scenario(healthy.clone()).await;
    let mut matrix = fault_free(&healthy);
    for mode in [Mode::Before, Mode::ResponseLost] {
        for call in 0..matrix.calls {
            let site = healthy.site_of(call).expect("a call of the fault-free run");
            for error in 0..Faults::errors(site.service, mode) {
                let faults = Faults::new();
                faults.fail_call_with(call, mode, error);
                let actual = scenario(faults.clone()).await;
                let injected = faults.injected();
                assert_eq!(injected.len(), 1, "call {call}, {mode:?}: {injected:?}");
                check(&expected, &actual, &injected);
                matrix.runs += 1;
                matrix.injected += 1;
            }
        }
    }
    matrix
}

/// Runs `scenario` fault-free, then once per seed with `per_mille` of its
/// calls failing (redeliveries included), checked as above.
pub async fn seeded_random_failures<S, Run, Fut, Check>(
    seeds: std::ops::Range<u64>,
    per_mille: u64,
    scenario: Run,
    check: Check,
) -> Matrix
where
    Run: Fn(Faults) -> Fut,
    Fut: Future<Output = S>,
    Check: Fn(&S, &S, &[Injected]),
{
    let healthy = Faults::new();
    let expected = scenario(healthy.clone()).await;
    let mut matrix = fault_free(&healthy);
    for seed in seeds {
        let faults = Faults::new();
        faults.fail_randomly(per_mille, seed);
        let actual = scenario(faults.clone()).await;
        let injected = faults.injected();
        check(&expected, &actual, &injected);
        matrix.runs += 1;
        matrix.injected += injected.len();
    }
    matrix
}

fn fault_free(healthy: &Faults) -> Matrix {
    Matrix {
        calls: healthy.calls(),
        sites: healthy.calls_by_site(),
        runs: 1,
        injected: 0,
    }
}

/// `value` without what legitimately differs between a run with faults and
/// one without: every instant (RFC 3339 text: a redelivery comes later) and
/// the fields named in `blanked` (ids drawn at random, versions).
pub fn normalised(value: serde_json::Value, blanked: &[&str]) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(text) if chrono::DateTime::parse_from_rfc3339(&text).is_ok() => {
            Value::String("<instant>".into())
        }
        Value::Array(items) => {
            let items = items.into_iter().map(|v| normalised(v, blanked));
            Value::Array(items.collect())
        }
        Value::Object(fields) => {
            let fields = fields.into_iter().map(|(name, v)| {
                let v = if blanked.contains(&name.as_str()) {
                    Value::String("<blanked>".into())
                } else {
                    normalised(v, blanked)
                };
                (name, v)
            });
            Value::Object(fields.collect())
        }
        other => other,
    }
}

/// The check of a scenario whose e-mails are at least once: the state
/// equals the fault-free run's, and each repeated e-mail is owed to a fault
/// at one of the call sites `between` sending it and recording it.
pub fn assert_state_equal_and_repeats_owed<T: serde::Serialize>(
    expected: &T,
    actual: &T,
    email_repeats: usize,
    faults: &[Injected],
    between: &[&str],
) {
    let json = |state: &T| serde_json::to_value(state).expect("a state serializes");
    let found = differences(&json(expected), &json(actual));
    assert!(found.is_empty(), "{faults:#?}\n{found:#?}");
    let owed = faults.iter().filter(|f| between.contains(&f.site)).count();
    assert!(
        email_repeats <= owed,
        "{email_repeats} repeats: {faults:#?}"
    );
}

/// Where `actual` differs from `expected`: one line per differing path,
/// with both values (what an assertion shows instead of two whole states).
pub fn differences(expected: &serde_json::Value, actual: &serde_json::Value) -> Vec<String> {
    let mut found = Vec::new();
    walk("", expected, actual, &mut found);
    found
}

fn walk(
    path: &str,
    expected: &serde_json::Value,
    actual: &serde_json::Value,
    found: &mut Vec<String>,
) {
    use serde_json::Value;
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let names: std::collections::BTreeSet<&String> = e.keys().chain(a.keys()).collect();
            for name in names {
                let (e, a) = (&e.get(name), &a.get(name));
                let path = format!("{path}/{name}");
                walk(
                    &path,
                    e.unwrap_or(&Value::Null),
                    a.unwrap_or(&Value::Null),
                    found,
                );
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                walk(&format!("{path}/{i}"), e, a, found);
            }
        }
        _ if expected != actual => found.push(format!("{path}: expected {expected}, got {actual}")),
        _ => {}
    }
}
