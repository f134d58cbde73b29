//! Local-development and operator tools: the ANTAI simulator, the local
//! stack description, and a runner that feeds SQS batches to handlers as
//! Lambda does.

pub mod answer_loop;
pub mod app_seed;
pub mod cli;
pub mod demo_admin;
pub mod jwt;
pub mod local_outbox;
pub mod local_workers;
pub mod offboarding;
pub mod onboarding;
pub mod runner;
pub mod simulator;
pub mod stack;
pub mod web_app;
