//! Operator command: the plates refused in the last 90 days because another
//! tenant held them (a typing mistake, a hand-over the first holder has not
//! declared, or an attempt to capture another customer's notices).
//!
//!   plate-conflicts
//!
//! Needs TABLE_NAME (and AWS credentials, or AWS_ENDPOINT_URL for the emulator).

use anyhow::{Context, Result};
use designa::app::vehicles::plate_conflicts;
use designa::aws::{AwsClients, DynamoStorage};

#[tokio::main]
async fn main() -> Result<()> {
    let table =
        std::env::var("TABLE_NAME").context("environment variable TABLE_NAME is not set")?;
    let aws = AwsClients::from_env().await;
    let storage = DynamoStorage::new(aws.dynamodb().clone(), table);
    let conflicts = plate_conflicts(&storage).await?;
    if conflicts.is_empty() {
        println!("no plate conflict in the last 90 days");
    }
    for c in conflicts {
        let until = c.claimed_until.map_or("-".to_string(), |d| d.to_string());
        println!(
            "{}  {} ({})  claimed by {} from {} to {}; held by {}",
            c.at.format("%Y-%m-%d %H:%M UTC"),
            c.plate,
            c.country,
            c.claimant.0,
            c.claimed_from,
            until,
            c.holder.0
        );
    }
    Ok(())
}
