//! The web app served locally as CloudFront serves it: the built assets
//! (`web/dist`) with the same security headers, `index.html` for every
//! path the app routes itself (an invitation link, a notice), its runtime
//! configuration at `/config.json`, and the API beside it under `/api`.

use axum::http::{header, HeaderName, HeaderValue};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::path::Path;
use tower_http::normalize_path::NormalizePath;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// What the app reads at start: where the API and Cognito answer. In the
/// cloud the same file is published beside the assets (docs/operations.md).
#[derive(Debug, Clone, Serialize)]
pub struct WebConfig {
    pub api_url: String,
    pub cognito_url: String,
    pub client_id: String,
}

/// The Content-Security-Policy of the app, here and in template.yaml's
/// response headers policy (a test keeps the two equal): scripts and
/// styles from the app's own origin only, no inline script, no framing;
/// `connect` also reaches Cognito, and in the cloud the API's execute-api
/// origin (locally the API is on the app's origin, under `/api`).
pub fn content_security_policy(connect: &[&str]) -> String {
    let mut sources = vec!["'self'"];
    sources.extend_from_slice(connect);
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src {}; manifest-src 'self'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'",
        sources.join(" ")
    )
}

/// The app's assets from `dist`, its configuration, and `api` under `/api`.
pub fn router(api: NormalizePath<Router>, dist: &Path, config: WebConfig) -> Router {
    let csp = content_security_policy(&[config.cognito_url.as_str()]);
    let index = ServeFile::new(dist.join("index.html"));
    let headers = [
        (header::CONTENT_SECURITY_POLICY, csp.as_str()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    let mut app = Router::new()
        .route("/config.json", get(move || async move { Json(config) }))
        .fallback_service(ServeDir::new(dist).fallback(index));
    for (name, value) in headers {
        let value = HeaderValue::from_str(value).expect("header values are ASCII");
        app = app.layer(SetResponseHeaderLayer::overriding(name, value));
    }
    // The API keeps its own headers: only the app's responses get the above.
    app.nest_service("/api", api)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy CloudFront sends, as template.yaml writes it.
    fn template_policy() -> String {
        let template = std::fs::read_to_string(crate::stack::repo_root().join("template.yaml"))
            .expect("template.yaml");
        let line = template
            .lines()
            .find(|l| l.trim_start().starts_with("ContentSecurityPolicy: !Sub"))
            .expect("the web distribution's ContentSecurityPolicy");
        let quoted = line.split_once("!Sub").unwrap().1.trim();
        quoted
            .trim_matches('"')
            .replace("${AWS::Region}", "eu-west-3")
            .replace("${AWS::StackName}", "designa")
            .replace("${AWS::AccountId}", "123456789012")
    }

    #[test]
    fn the_local_server_sends_the_policy_cloudfront_sends() {
        let cloud = content_security_policy(&[
            "https://cognito-idp.eu-west-3.amazonaws.com",
            "https://*.execute-api.eu-west-3.amazonaws.com",
            // Presigned uploads of large workbooks.
            "https://designa-exchange-123456789012-eu-west-3.s3.eu-west-3.amazonaws.com",
        ]);
        assert_eq!(template_policy(), cloud);
    }

    #[test]
    fn no_inline_script_nor_framing_is_allowed() {
        let policy = content_security_policy(&["http://127.0.0.1:4566"]);
        assert!(policy.contains("script-src 'self';"));
        assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"));
        assert!(policy.ends_with("frame-ancestors 'none'"));
    }
}
