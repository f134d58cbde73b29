//! The API Lambda: builds the clients once, then serves API Gateway (HTTP
//! API, payload 2.0) requests through the router.

use api::extract::from_api_gateway;
use api::{service, Api, AppState};
use lambda_http::{run, tower::ServiceBuilder, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let state = AppState::from(Api::from_env().await?);
    let service = ServiceBuilder::new()
        .map_request(from_api_gateway)
        .service(service(state, None));
    run(service).await
}
