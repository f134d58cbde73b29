//! The API Lambda: builds the clients once, then serves API Gateway (HTTP
//! API, payload 2.0) requests through the handler.

use api::lambda::{to_api_request, to_lambda_response};
use api::AwsApi;
use lambda_http::{run, service_fn, Body, Error, Request, Response};

async fn serve(api: &AwsApi, request: Request) -> Result<Response<Body>, Error> {
    let response = api.handle(to_api_request(&request)).await;
    Ok(to_lambda_response(response)?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let api = AwsApi::from_env().await?;
    let api = &api;
    run(service_fn(move |request| serve(api, request))).await
}
