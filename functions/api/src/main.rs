//! The API Lambda: builds the clients once, then turns each API Gateway
//! (HTTP API, payload 2.0) request into an `ApiRequest`.

use api::http::ApiRequest;
use api::AwsApi;
use lambda_http::request::RequestContext;
use lambda_http::{run, service_fn, Body, Error, Request, RequestExt, Response};

/// The claims API Gateway's JWT authorizer verified, if any.
fn claims(request: &Request) -> Option<api::http::Claims> {
    match request.request_context_ref()? {
        RequestContext::ApiGatewayV2(context) => {
            let jwt = context.authorizer.as_ref()?.jwt.as_ref()?;
            Some(
                jwt.claims
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect(),
            )
        }
        _ => None,
    }
}

async fn serve(api: &AwsApi, request: Request) -> Result<Response<Body>, Error> {
    let request_id = request
        .lambda_context_ref()
        .map(|c| c.request_id.clone())
        .unwrap_or_default();
    let query = request
        .query_string_parameters_ref()
        .map(|q| {
            q.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let api_request = ApiRequest {
        method: request.method().as_str().to_string(),
        path: request.raw_http_path().to_string(),
        query,
        content_type: request
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        claims: claims(&request),
        body: request.body().to_vec(),
        request_id,
    };
    let response = api.handle(api_request).await;
    let mut builder = Response::builder()
        .status(response.status)
        .header("content-type", response.content_type);
    for (name, value) in &response.headers {
        builder = builder.header(*name, value);
    }
    let body = if response.content_type == api::http::JSON {
        Body::Text(String::from_utf8_lossy(&response.body).into_owned())
    } else {
        Body::Binary(response.body)
    };
    Ok(builder.body(body)?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let api = AwsApi::from_env().await?;
    let api = &api;
    run(service_fn(move |request| serve(api, request))).await
}
