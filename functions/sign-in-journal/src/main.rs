//! Lambda entry point: the table's client once, then Cognito's
//! post-authentication events.

use aws_lambda_events::event::cognito::CognitoEventUserPoolsPostAuthentication as PostAuthentication;
use designa::aws::{AwsClients, DynamoStorage};
use designa::ports::SystemClock;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use sign_in_journal::SignInJournal;
use tracing::Instrument;

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let table = designa::env::required("TABLE_NAME")?;
    let aws = AwsClients::from_env().await;
    let journal = SignInJournal {
        storage: DynamoStorage::new(aws.dynamodb().clone(), table),
        clock: SystemClock,
    };
    let journal = &journal;
    run(service_fn(
        move |event: LambdaEvent<PostAuthentication>| async move {
            let request_id = event.context.request_id.clone();
            let span = tracing::info_span!("sign_in_journal", request_id = %request_id);
            Ok::<_, Error>(
                journal
                    .handle(event.payload, &request_id)
                    .instrument(span)
                    .await?,
            )
        },
    ))
    .await
}
