//! Lambda entry point: build config and clients once, then remind on each
//! scheduled event.

use designa::aws::{AwsClients, DynamoStorage, SqsQueue};
use designa::ports::SystemClock;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use reminders::{Config, Reminders};

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let config = Config::from_env()?;
    let table = designa::env::required("TABLE_NAME")?;
    let aws = AwsClients::from_env().await;
    let reminders = Reminders {
        storage: DynamoStorage::new(aws.dynamodb().clone(), table),
        queue: SqsQueue::new(aws.sqs().clone()),
        clock: SystemClock,
        config,
    };
    let reminders = &reminders;
    run(service_fn(
        move |_: LambdaEvent<serde_json::Value>| async move {
            Ok::<_, Error>(serde_json::to_value(reminders.run().await?)?)
        },
    ))
    .await
}
