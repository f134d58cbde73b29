//! designa's shared library: the domain (no AWS types), the ANTAI exchange
//! format, the ports the functions are written against, and their adapters
//! (AWS and in-memory).

pub mod answering;
pub mod app;
pub mod aws;
pub mod domain;
pub mod env;
pub mod error;
pub mod excel;
pub mod exchange;
pub mod fleet;
pub mod invitation;
pub mod logging;
#[cfg(any(test, feature = "test-support"))]
pub mod memory;
pub mod notifications;
pub mod ports;
pub mod privacy;
pub mod store;
pub mod table;
