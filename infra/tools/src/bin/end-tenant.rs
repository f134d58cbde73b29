//! Operator command: end a customer's contract (see `designa_tools::offboarding`).
//!
//!   end-tenant --id transports-exemple                  # what remains leaves by the retention rules
//!   end-tenant --id transports-exemple --data at-once   # everything expires now (when the contract says so)
//!
//! Needs TABLE_NAME, USER_POOL_ID, SUBJECT_KEYS_TABLE and DATA_KEY_ID (and
//! AWS credentials, or AWS_ENDPOINT_URL for the emulator).

use anyhow::{bail, Context, Result};
use designa::aws::{sealed_storage, AwsClients, CognitoIdentity};
use designa::ports::SystemClock;
use designa_tools::cli::parse_flags;
use designa_tools::offboarding::{end_tenant, Ending};

const USAGE: &str = "usage: end-tenant --id ID [--data retention|at-once]";

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = parse_flags(&args, USAGE)?;
    let tenant = options
        .get("id")
        .with_context(|| format!("--id is required\n{USAGE}"))?;
    let ending = match options.get("data").map(String::as_str) {
        None | Some("retention") => Ending::ByRetention,
        Some("at-once") => Ending::AtOnce,
        Some(other) => bail!("--data {other}: retention or at-once\n{USAGE}"),
    };
    let env = |name: &str| {
        std::env::var(name).with_context(|| format!("environment variable {name} is not set"))
    };
    let (table, pool) = (env("TABLE_NAME")?, env("USER_POOL_ID")?);
    let aws = AwsClients::from_env().await;
    let ended = end_tenant(
        &sealed_storage(&aws, &table)?,
        &CognitoIdentity::new(aws.cognito().clone(), pool),
        &SystemClock,
        &tenant.as_str().into(),
        ending,
    )
    .await?;
    println!(
        "tenant {tenant} ended: {} vehicle(s) leave tonight's declaration, {} user(s) and {} driver(s) erased, {} other record(s) of people deleted",
        ended.vehicles_removed, ended.users_erased, ended.drivers_erased, ended.records_deleted
    );
    match ending {
        Ending::ByRetention => println!(
            "notices, journal and register leave by their retention rules; entities in {} days",
            ended.entities_kept_days
        ),
        Ending::AtOnce => println!(
            "{} notice(s) and {} record(s) expire now: the TTL and the purge remove them within 48 hours",
            ended.notices_expired, ended.records_expired
        ),
    }
    Ok(())
}
