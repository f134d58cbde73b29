//! Operator command: create a tenant and its first admin (invited by e-mail).
//!
//!   create-tenant --id transports-exemple --name "Transports Exemple SAS" \
//!                 --admin-email admin@example.com --admin-first-name Alex --admin-last-name Fictif
//!
//! Needs TABLE_NAME, USER_POOL_ID, SUBJECT_KEYS_TABLE and DATA_KEY_ID (and
//! AWS credentials, or AWS_ENDPOINT_URL for the emulator).

use anyhow::{Context, Result};
use designa::aws::{sealed_storage, AwsClients, CognitoIdentity, SesMailer};
use designa::ports::SystemClock;
use designa_tools::cli::parse_flags;
use designa_tools::onboarding::{create_tenant, NewTenant};

const USAGE: &str = "usage: create-tenant --id ID --name NAME --admin-email EMAIL --admin-first-name FIRST --admin-last-name LAST";

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = parse_flags(&args, USAGE)?;
    let take = |name: &str| {
        options
            .get(name)
            .cloned()
            .with_context(|| format!("--{name} is required\n{USAGE}"))
    };
    let request = NewTenant {
        tenant_id: take("id")?,
        name: take("name")?,
        admin_email: take("admin-email")?,
        admin_first_name: take("admin-first-name")?,
        admin_last_name: take("admin-last-name")?,
    };
    let env = |name: &str| {
        std::env::var(name).with_context(|| format!("environment variable {name} is not set"))
    };
    let (table, pool) = (env("TABLE_NAME")?, env("USER_POOL_ID")?);
    let (sender, app_url) = (env("SENDER_ADDRESS")?, env("APP_URL")?);
    let aws = AwsClients::from_env().await;
    let outcome = create_tenant(
        // The admin's names and e-mail are sealed, as the API seals users.
        &sealed_storage(&aws, &table)?,
        &CognitoIdentity::new(aws.cognito().clone(), pool),
        &SesMailer::new(aws.ses().clone(), sender),
        &SystemClock,
        &app_url,
        &request,
    )
    .await?;
    match (outcome.tenant_created, outcome.invitation_sent) {
        (true, true) => println!(
            "tenant {} created; invitation sent to {}",
            request.tenant_id, request.admin_email
        ),
        (false, false) => println!(
            "tenant {} and its admin {} already existed: nothing changed",
            request.tenant_id, request.admin_email
        ),
        (created, sent) => println!(
            "tenant {} {}; admin {}",
            request.tenant_id,
            if created {
                "created"
            } else {
                "already existed"
            },
            if sent { "invited" } else { "already existed" }
        ),
    }
    Ok(())
}
