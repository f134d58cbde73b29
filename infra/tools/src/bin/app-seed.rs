//! `make app`'s data: the demo tenant with notices in every state, made by
//! the real pipeline on the local stack (see `designa_tools::app_seed`).

use anyhow::Result;
use designa_tools::stack::LocalStack;

#[tokio::main]
async fn main() -> Result<()> {
    let stack = LocalStack::load()?;
    let aws = designa::aws::AwsClients::from_env().await;
    let seeded = designa_tools::app_seed::seed(&stack, &aws).await?;
    let states: Vec<String> = seeded
        .by_status
        .iter()
        .map(|(status, count)| format!("{count} {status}"))
        .collect();
    println!(
        "Données de démonstration : {} avis ({})",
        seeded.notices,
        states.join(", ")
    );
    Ok(())
}
