//! The errors AWS returns, built from the SDKs' own types as the adapters
//! receive them (`SdkError` around the service's error, with the HTTP
//! status), so an injected failure logs as a real one. Each stands for the
//! error left once the SDK's standard retries are spent.

use super::{Mode, Site};
use crate::ports::PortError;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ConnectorError, ErrorMetadata, SdkError};
use aws_smithy_types::body::SdkBody;
use std::error::Error;

type DynamoError = aws_sdk_dynamodb::Error;
type S3Error = aws_sdk_s3::Error;
type SqsError = aws_sdk_sqs::Error;
type SesError = aws_sdk_ses::Error;
type KmsError = aws_sdk_kms::Error;

/// The AWS service behind a call: it decides which errors a fault returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    DynamoDb,
    /// `TransactWriteItems`: may also be cancelled by a conflicting transaction.
    DynamoDbTransaction,
    S3,
    Sqs,
    Ses,
    Kms,
}

type Make = fn(&'static str) -> PortError;

/// The `choice`th error (modulo their number) `site`'s service returns in `mode`.
pub(super) fn error(site: Site, mode: Mode, choice: usize) -> PortError {
    let choices = errors(site.service, mode);
    choices[choice % choices.len()](site.operation)
}

/// How many errors the service returns in `mode`.
pub(super) fn count(service: Service, mode: Mode) -> usize {
    errors(service, mode).len()
}

/// What each service returns. Before the call: throttling, or no
/// connection. After it: a 500 or a timeout, which AWS documents as "the
/// request may have succeeded".
fn errors(service: Service, mode: Mode) -> &'static [Make] {
    use Mode::*;
    use Service::*;
    match (service, mode) {
        (DynamoDb, Before) => &[
            throughput_exceeded,
            dynamodb_throttled,
            connect_timeout::<DynamoError>,
        ],
        (DynamoDbTransaction, Before) => &[
            transaction_conflict,
            throughput_exceeded,
            dynamodb_throttled,
        ],
        (DynamoDb | DynamoDbTransaction, ResponseLost) => {
            &[dynamodb_internal_error, attempt_timeout::<DynamoError>]
        }
        (S3, Before) => &[s3_slow_down, connect_timeout::<S3Error>],
        (S3, ResponseLost) => &[s3_internal_error, attempt_timeout::<S3Error>],
        (Sqs, Before) => &[sqs_throttled, connect_timeout::<SqsError>],
        (Sqs, ResponseLost) => &[attempt_timeout::<SqsError>],
        (Ses, Before) => &[ses_throttled, connect_timeout::<SesError>],
        (Ses, ResponseLost) => &[attempt_timeout::<SesError>],
        (Kms, Before) => &[kms_throttled, kms_internal, kms_key_unavailable],
        (Kms, ResponseLost) => &[kms_internal, attempt_timeout::<KmsError>],
    }
}

fn meta(code: &str, message: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message(message).build()
}

/// A service's error answer, as the SDK hands it over.
fn service<E: Error + Send + Sync + 'static>(
    operation: &'static str,
    error: E,
    status: u16,
) -> PortError {
    let status = status.try_into().expect("a valid HTTP status");
    let raw = HttpResponse::new(status, SdkBody::empty());
    PortError::caused_by(operation, SdkError::service_error(error, raw))
}

/// No connection within clients.rs's 5 s: the request never left.
fn connect_timeout<E: Error + Send + Sync + 'static>(operation: &'static str) -> PortError {
    let cause = ConnectorError::timeout("connection attempt timed out after 5s".into());
    PortError::caused_by(
        operation,
        SdkError::<E, HttpResponse>::dispatch_failure(cause),
    )
}

/// No answer within clients.rs's 30 s per attempt: it may have been done.
fn attempt_timeout<E: Error + Send + Sync + 'static>(operation: &'static str) -> PortError {
    PortError::caused_by(
        operation,
        SdkError::<E, HttpResponse>::timeout_error(
            "operation attempt timeout (single attempt) occurred after 30s",
        ),
    )
}

fn throughput_exceeded(operation: &'static str) -> PortError {
    use aws_sdk_dynamodb::types::error::ProvisionedThroughputExceededException as Exceeded;
    let message = "The level of configured provisioned throughput for the table was exceeded. \
                   Consider increasing your provisioning level with the UpdateTable API.";
    let code = "ProvisionedThroughputExceededException";
    let e = Exceeded::builder()
        .message(message)
        .meta(meta(code, message))
        .build();
    service(
        operation,
        DynamoError::ProvisionedThroughputExceededException(e),
        400,
    )
}

/// What an on-demand table answers when a partition is too hot.
fn dynamodb_throttled(operation: &'static str) -> PortError {
    use aws_sdk_dynamodb::types::error::ThrottlingException;
    let message = "Throughput exceeds the current capacity of your table or index. DynamoDB is \
                   automatically scaling your table or index so please try again shortly.";
    let e = ThrottlingException::builder()
        .message(message)
        .meta(meta("ThrottlingException", message))
        .build();
    service(operation, DynamoError::ThrottlingException(e), 400)
}

/// Another transaction held one of the items: the whole transaction is off.
fn transaction_conflict(operation: &'static str) -> PortError {
    use aws_sdk_dynamodb::types::error::TransactionCanceledException;
    use aws_sdk_dynamodb::types::CancellationReason;
    let message = "Transaction cancelled, please refer cancellation reasons for specific \
                   reasons [None, TransactionConflict]";
    let e = TransactionCanceledException::builder()
        .message(message)
        .cancellation_reasons(CancellationReason::builder().code("None").build())
        .cancellation_reasons(
            CancellationReason::builder()
                .code("TransactionConflict")
                .message("Transaction is ongoing for the item")
                .build(),
        )
        .meta(meta("TransactionCanceledException", message))
        .build();
    service(operation, DynamoError::TransactionCanceledException(e), 400)
}

fn dynamodb_internal_error(operation: &'static str) -> PortError {
    use aws_sdk_dynamodb::types::error::InternalServerError;
    let message = "Internal server error";
    let e = InternalServerError::builder()
        .message(message)
        .meta(meta("InternalServerError", message))
        .build();
    service(operation, DynamoError::InternalServerError(e), 500)
}

/// S3 does not model `SlowDown`: the SDK hands it over unhandled, with the
/// code and message in its metadata.
fn s3_slow_down(operation: &'static str) -> PortError {
    use aws_sdk_s3::operation::put_object::PutObjectError;
    let e = PutObjectError::generic(meta("SlowDown", "Please reduce your request rate."));
    service(operation, S3Error::from(e), 503)
}

fn s3_internal_error(operation: &'static str) -> PortError {
    use aws_sdk_s3::operation::put_object::PutObjectError;
    let message = "We encountered an internal error. Please try again.";
    let e = PutObjectError::generic(meta("InternalError", message));
    service(operation, S3Error::from(e), 500)
}

fn sqs_throttled(operation: &'static str) -> PortError {
    use aws_sdk_sqs::types::error::RequestThrottled;
    let message = "Rate exceeded";
    let e = RequestThrottled::builder()
        .message(message)
        .meta(meta("RequestThrottled", message))
        .build();
    service(operation, SqsError::RequestThrottled(e), 400)
}

/// SES (v1) does not model throttling either.
fn ses_throttled(operation: &'static str) -> PortError {
    use aws_sdk_ses::operation::send_templated_email::SendTemplatedEmailError;
    let e = SendTemplatedEmailError::generic(meta("Throttling", "Maximum sending rate exceeded."));
    service(operation, SesError::from(e), 400)
}

/// Nor does KMS: too many requests for the key in the account.
fn kms_throttled(operation: &'static str) -> PortError {
    use aws_sdk_kms::operation::decrypt::DecryptError;
    let e = DecryptError::generic(meta("ThrottlingException", "Rate exceeded"));
    service(operation, KmsError::from(e), 400)
}

fn kms_internal(operation: &'static str) -> PortError {
    use aws_sdk_kms::types::error::KmsInternalException;
    let message = "An internal error occurred.";
    let e = KmsInternalException::builder()
        .message(message)
        .meta(meta("KMSInternalException", message))
        .build();
    service(operation, KmsError::KmsInternalException(e), 500)
}

fn kms_key_unavailable(operation: &'static str) -> PortError {
    use aws_sdk_kms::types::error::KeyUnavailableException;
    let message = "The request was rejected because the specified KMS key was not available. \
                   You can retry the request.";
    let e = KeyUnavailableException::builder()
        .message(message)
        .meta(meta("KeyUnavailableException", message))
        .build();
    service(operation, KmsError::KeyUnavailableException(e), 500)
}
