//! Integration tests on the local AWS emulator, in one test binary so that
//! one emulator serves them all (tests take turns: `exclusive()`).

mod answers;
mod certificates;
mod fleet;
mod fleet_declaration;
mod idempotency;
mod imports;
mod ingest;
mod journal_anchors;
mod lists;
mod notifications;
mod onboarding;
mod privacy;
mod purge;
mod purge_producers;
mod work_index;
