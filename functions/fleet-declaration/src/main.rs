//! Lambda entry point: build config and clients once, then declare on each scheduled event.

use designa::aws::{AwsClients, DynamoStorage, S3BlobStore};
use designa::ports::SystemClock;
use fleet_declaration::{Config, DeclarationRequest, FleetDeclaration, Outcome};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let config = Config::from_env()?;
    let table = designa::env::required("TABLE_NAME")?;
    let aws = AwsClients::from_env().await;
    let handler = FleetDeclaration {
        blobs: S3BlobStore::new(aws.s3().clone()),
        storage: DynamoStorage::new(aws.dynamodb().clone(), table),
        clock: SystemClock,
        config,
    };
    let handler = &handler;
    run(service_fn(move |event: LambdaEvent<DeclarationRequest>| async move {
        let declaration = match handler.declare(event.payload.mode).await? {
            Outcome::Written(d) | Outcome::AlreadyDone(d) => d,
        };
        Ok::<_, Error>(serde_json::json!({ "file_id": declaration.file_id, "key": declaration.key, "lines": declaration.lines }))
    }))
    .await
}
