//! The API on http://127.0.0.1:3000 against the local emulator: the same
//! router the Lambda runs, served by `axum::serve`, behind a token check
//! identical to API Gateway's JWT authorizer (keys from the emulator's
//! Cognito). `make api` starts it. With `--app web/dist` (`make app`), it
//! serves the web app at the root as CloudFront would, and the API under
//! `/api`. The import and export workers consume their queues beside it.
//!
//!     cargo run -p designa-tools --bin api-local [-- --port 3000] [--app web/dist]

use anyhow::{Context, Result};
use api::router::{public_routes, TokenCheck};
use api::{service, Api, AppState};
use axum::extract::Request;
use axum::ServiceExt;
use designa_tools::jwt::JwtVerifier;
use designa_tools::local_outbox::LocalOutbox;
use designa_tools::stack::LocalStack;
use designa_tools::web_app::{self, WebConfig};
use std::path::Path;
use std::sync::Arc;

/// The routes template.yaml serves without a token must be exactly those the
/// API serves without a caller, or this server would not behave as deployed.
fn check_public_routes(stack: &LocalStack) -> Result<()> {
    let mut in_template: Vec<(String, String)> = stack.public_routes.clone();
    let mut in_code: Vec<(String, String)> = public_routes()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    in_template.sort();
    in_code.sort();
    if in_template != in_code {
        anyhow::bail!(
            "template.yaml's public routes {in_template:?} differ from the router's {in_code:?}"
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flags =
        designa_tools::cli::parse_flags(&args, "usage: api-local [--port 3000] [--app web/dist]")?;
    let port: u16 = flags
        .get("port")
        .map(|p| p.parse())
        .transpose()
        .context("--port takes a number")?
        .unwrap_or(3000);
    designa::logging::init();
    let stack = LocalStack::load()?;
    check_public_routes(&stack)?;
    stack.apply_env("ApiFunction")?;
    let aws = designa::aws::AwsClients::from_env().await;
    designa_tools::demo_admin::seed(&stack, &aws).await?;
    // Large imports and exports are finished by their queue's worker.
    designa_tools::local_workers::spawn(&stack, &aws)?;
    let verifier = JwtVerifier::from_stack(&stack).await?;
    let mut api = Api::from_env().await.map_err(anyhow::Error::msg)?;
    // moto is not safe with concurrent DynamoDB transactions.
    api.config.imports.write_concurrency = 1;
    api.mailer = Arc::new(LocalOutbox {
        inner: api.mailer.clone(),
    });
    let issuer = verifier.issuer.clone();
    let client_id = verifier.audience.first().cloned().unwrap_or_default();
    let token_check: TokenCheck =
        Arc::new(move |authorization| verifier.verify(authorization).ok());
    let api = service(AppState::from(api), Some(token_check));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("port {port} is taken"))?;
    if let Some(dist) = flags.get("app") {
        let config = WebConfig {
            api_url: "/api".into(),
            cognito_url: stack.endpoint.clone(),
            client_id,
        };
        let app = web_app::router(api, Path::new(dist), config);
        println!("designa on http://127.0.0.1:{port}/ (the API under /api)");
        println!("{}\n", designa_tools::demo_admin::sign_in_with());
        axum::serve(listener, app).await?;
        return Ok(());
    }
    println!("designa API on http://127.0.0.1:{port} (tokens checked against {issuer})");
    println!("{}\n", designa_tools::demo_admin::instructions(port));
    axum::serve(listener, ServiceExt::<Request>::into_make_service(api)).await?;
    Ok(())
}
