//! lambda_http's requests and responses to and from the API's own types.

use crate::http::{ApiRequest, ApiResponse, Claims, JSON};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};

/// The claims API Gateway's JWT authorizer verified, if any.
fn claims(request: &Request) -> Option<Claims> {
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

pub fn to_api_request(request: &Request) -> ApiRequest {
    let request_id = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.request_id.clone(),
        _ => None,
    }
    .or_else(|| request.lambda_context_ref().map(|c| c.request_id.clone()))
    .unwrap_or_default();
    let query = request
        .query_string_parameters_ref()
        .map(|q| {
            q.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    ApiRequest {
        method: request.method().as_str().to_string(),
        path: request.raw_http_path().to_string(),
        query,
        content_type: request
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        claims: claims(request),
        body: request.body().to_vec(),
        request_id,
    }
}

pub fn to_lambda_response(
    response: ApiResponse,
) -> Result<Response<Body>, lambda_http::http::Error> {
    let mut builder = Response::builder()
        .status(response.status)
        .header("content-type", response.content_type);
    for (name, value) in &response.headers {
        builder = builder.header(*name, value);
    }
    let body = if response.content_type == JSON {
        Body::Text(String::from_utf8_lossy(&response.body).into_owned())
    } else {
        Body::Binary(response.body)
    };
    builder.body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_event_becomes_an_api_request_with_its_claims() {
        let event = include_str!("../../../events/api-get-me.json");
        let request = lambda_http::request::from_str(event).expect("a payload 2.0 event");
        let api_request = to_api_request(&request);
        assert_eq!(api_request.method, "GET");
        assert_eq!(api_request.path, "/me");
        assert_eq!(
            api_request.request_id,
            "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
        );
        let claims = api_request.claims.expect("claims");
        assert_eq!(claims["custom:tenant_id"], "t-demo");
        assert!(crate::routes::find(&api_request.method, &api_request.path).is_ok());
    }
}
