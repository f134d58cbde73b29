//! Fault injection for tests: `Faulty<P>` wraps a port and fails the calls a
//! shared `Faults` plan chooses (the Nth call of all, the Nth call of one call
//! site, or a seeded share of calls), with the error AWS returns for that
//! service, kept as the `PortError`'s cause so a failure reads as it would
//! in the logs (`aws_errors`). The plan is shared by every port it wraps:
//! calls are numbered across the table, the bucket, the queue, the mailer
//! and the key vault together. `matrix` runs a scenario with each call
//! failing in turn, with each error; `redelivery` plays Lambda's retries.

mod aws_errors;
mod matrix;
mod ports;
mod redelivery;

pub use aws_errors::Service;
pub use matrix::{
    assert_state_equal_and_repeats_owed, differences, each_call_failing_once, normalised,
    seeded_random_failures, Matrix,
};
pub use redelivery::{retry_stream, SqsSource};

use crate::ports::PortError;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// When an injected fault strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// The request never reaches AWS: nothing happened.
    Before,
    /// AWS did the work, the answer was lost: the caller sees an error for
    /// a write that happened (the worst case for writes).
    ResponseLost,
}

/// A port method and the AWS request behind it: what a fault is aimed at.
#[derive(Debug, Clone, Copy)]
pub struct Site {
    /// The port method, `Trait::method`: the call site faults count by.
    pub name: &'static str,
    /// The AWS operation the adapter reports (`dynamodb:PutItem`).
    pub operation: &'static str,
    pub service: Service,
}

impl Site {
    pub const fn new(name: &'static str, operation: &'static str, service: Service) -> Site {
        Site {
            name,
            operation,
            service,
        }
    }
}

/// One fault injected: which call, where, how, and the error returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injected {
    /// The call's number among all calls of the plan, from 0.
    pub call: usize,
    pub site: &'static str,
    pub mode: Mode,
    /// The error as logged (`PortError::chain`).
    pub error: String,
}

impl std::fmt::Display for Injected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "call {} ({}) failing {:?}: {}",
            self.call, self.site, self.mode, self.error
        )
    }
}

/// Which calls fail.
#[derive(Debug, Clone)]
enum Target {
    /// The Nth call of all (from 0).
    Call(usize),
    /// The Nth call (from 0) of one call site.
    CallOf(&'static str, usize),
}

/// A fault aimed at chosen calls: its mode, and which of its service's
/// errors it returns (`None`: they take turns with the call number).
#[derive(Debug, Clone, Copy)]
struct Aim {
    mode: Mode,
    error: Option<usize>,
}

#[derive(Debug, Default)]
struct Plan {
    /// The call site of every call so far, in order.
    trace: Vec<Site>,
    by_site: BTreeMap<&'static str, usize>,
    targets: Vec<(Target, Aim)>,
    /// Per mille of calls failing, and the xorshift state drawing them.
    random: Option<(u64, u64)>,
    injected: Vec<Injected>,
}

impl Plan {
    /// Counts a call at `site`; the fault it meets, if any.
    fn count(&mut self, site: Site) -> Option<Aim> {
        let call = self.trace.len();
        self.trace.push(site);
        let nth = self.by_site.entry(site.name).or_default();
        let of_site = *nth;
        *nth += 1;
        let aimed = self.targets.iter().find(|(target, _)| match target {
            Target::Call(n) => *n == call,
            Target::CallOf(name, n) => *name == site.name && *n == of_site,
        });
        aimed.map(|(_, aim)| *aim).or_else(|| self.draw())
    }

    /// A seeded draw: reproducible, and no dependency for it.
    fn draw(&mut self) -> Option<Aim> {
        let (per_mille, state) = self.random.as_mut()?;
        let mut x = *state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *state = x;
        let fails = x % 1000 < *per_mille;
        // Another bit of the same draw picks the mode: both kinds happen.
        let mode = if (x >> 32) & 1 == 0 {
            Mode::Before
        } else {
            Mode::ResponseLost
        };
        fails.then_some(Aim { mode, error: None })
    }
}

/// The plan shared by every port it wraps; cloning shares it.
#[derive(Debug, Clone, Default)]
pub struct Faults(Arc<Mutex<Plan>>);

impl Faults {
    pub fn new() -> Faults {
        Faults::default()
    }

    /// `port`, failing the calls this plan chooses.
    pub fn wrap<P>(&self, port: P) -> Faulty<P> {
        Faulty {
            port,
            faults: self.clone(),
        }
    }

    /// The `call`th call of all (from 0) fails.
    pub fn fail_call(&self, call: usize, mode: Mode) {
        let aim = Aim { mode, error: None };
        self.plan().targets.push((Target::Call(call), aim));
    }

    /// The `call`th call of all fails with the `error`th error its service
    /// returns in that mode (see `Faults::errors`).
    pub fn fail_call_with(&self, call: usize, mode: Mode, error: usize) {
        let aim = Aim {
            mode,
            error: Some(error),
        };
        self.plan().targets.push((Target::Call(call), aim));
    }

    /// How many errors `service` may return in `mode`.
    pub fn errors(service: Service, mode: Mode) -> usize {
        aws_errors::count(service, mode)
    }

    /// The `nth` call (from 0) at call site `site` (`"Mailer::send_templated"`) fails.
    pub fn fail_call_of(&self, site: &'static str, nth: usize, mode: Mode) {
        let aim = Aim { mode, error: None };
        self.plan().targets.push((Target::CallOf(site, nth), aim));
    }

    /// From now on, about `per_mille` calls in 1,000 fail, in either mode,
    /// drawn from `seed`: the same seed fails the same calls.
    pub fn fail_randomly(&self, per_mille: u64, seed: u64) {
        // Xorshift never leaves 0: mix the seed with a constant, odd result.
        let state = (seed ^ 0x9E37_79B9_7F4A_7C15) | 1;
        self.plan().random = Some((per_mille, state));
    }

    /// No call fails from now on (counting goes on).
    pub fn heal(&self) {
        let mut plan = self.plan();
        plan.targets.clear();
        plan.random = None;
    }

    /// Calls made so far, through every port of the plan.
    pub fn calls(&self) -> usize {
        self.plan().trace.len()
    }

    /// The call site of every call so far, in order.
    pub fn trace(&self) -> Vec<&'static str> {
        self.plan().trace.iter().map(|site| site.name).collect()
    }

    /// The call site of call number `call`, if it was made.
    pub fn site_of(&self, call: usize) -> Option<Site> {
        self.plan().trace.get(call).copied()
    }

    /// Calls so far by call site.
    pub fn calls_by_site(&self) -> BTreeMap<&'static str, usize> {
        self.plan().by_site.clone()
    }

    /// The faults injected so far.
    pub fn injected(&self) -> Vec<Injected> {
        self.plan().injected.clone()
    }

    fn plan(&self) -> std::sync::MutexGuard<'_, Plan> {
        self.0
            .lock()
            .expect("no test panicked while holding the plan")
    }

    /// Counts a call; the error to return instead of its answer, if it fails.
    fn strike(&self, site: Site) -> Option<(Mode, PortError)> {
        let mut plan = self.plan();
        let Aim { mode, error } = plan.count(site)?;
        let call = plan.trace.len() - 1;
        let error = aws_errors::error(site, mode, error.unwrap_or(call));
        plan.injected.push(Injected {
            call,
            site: site.name,
            mode,
            error: error.chain(),
        });
        Some((mode, error))
    }
}

/// A port whose calls fail as its `Faults` plan says.
#[derive(Debug, Clone)]
pub struct Faulty<P> {
    pub port: P,
    faults: Faults,
}

impl<P> Faulty<P> {
    /// The plan this port fails by.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Runs `call` unless the plan fails it: before it runs, or after it ran
    /// with its answer dropped.
    async fn call<T>(
        &self,
        site: Site,
        call: impl Future<Output = Result<T, PortError>>,
    ) -> Result<T, PortError> {
        // A network call gives way to the other tasks: concurrent requests
        // interleave between their reads and writes, as they would on AWS.
        tokio::task::yield_now().await;
        let Some((mode, error)) = self.faults.strike(site) else {
            return call.await;
        };
        if mode == Mode::ResponseLost {
            let _lost = call.await;
        }
        Err(error)
    }
}

/// The wrapped port's own methods (an in-memory store's contents).
impl<P> std::ops::Deref for Faulty<P> {
    type Target = P;
    fn deref(&self) -> &P {
        &self.port
    }
}

#[cfg(test)]
mod tests;
