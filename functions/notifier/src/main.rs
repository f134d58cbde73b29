//! Lambda entry point: build config and clients once, then serve SQS batches
//! (notifications, SES feedback) and the digest schedules.

use designa::aws::{sealed_storage, AwsClients, SesMailer};
use designa::ports::SystemClock;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use notifier::{Config, Notifier, NotifierEvent};
use tracing::Instrument;

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let config = Config::from_env()?;
    let table = designa::env::required("TABLE_NAME")?;
    let sender = designa::env::required("SENDER_ADDRESS")?;
    let aws = AwsClients::from_env().await;
    let notifier = Notifier {
        // Users' names and e-mails are sealed.
        storage: sealed_storage(&aws, &table)?,
        mailer: SesMailer::new(aws.ses().clone(), sender),
        clock: SystemClock,
        config,
    };
    let notifier = &notifier;
    run(service_fn(
        move |event: LambdaEvent<NotifierEvent>| async move {
            let span = tracing::info_span!("notify", request_id = %event.context.request_id);
            let answer = match event.payload {
                NotifierEvent::Queue(batch) => {
                    serde_json::to_value(notifier.handle_event(batch).instrument(span).await)?
                }
                NotifierEvent::Digest(request) => serde_json::to_value(
                    notifier
                        .send_digests(request.digest)
                        .instrument(span)
                        .await?,
                )?,
            };
            Ok::<_, Error>(answer)
        },
    ))
    .await
}
