//! What API Gateway (HTTP API, payload 2.0) gives the Lambda, as the router
//! expects it: the JWT authorizer's verified claims in the request's
//! extensions, and API Gateway's request id as `x-request-id`.

use crate::extract::REQUEST_ID;
use crate::http::Claims;
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};

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

fn gateway_request_id(request: &Request) -> Option<String> {
    match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.request_id.clone(),
        _ => None,
    }
    .or_else(|| request.lambda_context_ref().map(|c| c.request_id.clone()))
}

/// Moves API Gateway's context where the router reads it.
pub fn from_api_gateway(mut request: Request) -> Request {
    if let Some(claims) = claims(&request) {
        request.extensions_mut().insert(claims);
    }
    if let Some(id) = gateway_request_id(&request) {
        if let Ok(value) = id.parse() {
            request.headers_mut().insert(REQUEST_ID, value);
        }
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_event_carries_its_claims_and_request_id_to_the_router() {
        let event = include_str!("../../../events/api-get-me.json");
        let request =
            from_api_gateway(lambda_http::request::from_str(event).expect("a payload 2.0 event"));
        assert_eq!(request.method(), "GET");
        assert_eq!(request.uri().path(), "/me");
        assert_eq!(
            request.headers()[REQUEST_ID],
            "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
        );
        let claims = request.extensions().get::<Claims>().expect("claims");
        assert_eq!(claims["custom:tenant_id"], "t-demo");
    }
}
