//! In-memory adapters of the ports, for unit tests and benchmarks. They keep
//! the AWS adapters' contracts (batch limits, conditional claims) and count
//! requests the way DynamoDB would bill them.

mod blobs;
mod clock;
pub mod faults;
mod identity;
mod mailer;
mod queue;
mod signer;
mod storage;
mod vault;

pub use blobs::*;
pub use clock::*;
pub use identity::*;
pub use mailer::*;
pub use queue::*;
pub use signer::*;
pub use storage::*;
pub use vault::*;
