//! The fictional admins `make demo`, `make api` and `make app` sign in
//! with, on the local emulator only: the demo tenant, its two entities, and
//! its admin; and a second, empty tenant to set up from scratch. Both are
//! created by the operator's onboarding (which sends the invitation
//! e-mail), then given a known password as the invitation link would.

use crate::onboarding::{create_tenant, NewTenant};
use crate::stack::LocalStack;
use anyhow::{Context, Result};
use designa::app::entities::{Entity, EntityKind};
use designa::aws::{AwsClients, CognitoIdentity, DynamoStorage, SesMailer};
use designa::ports::{IdentityProvider, RecordStore, SystemClock};
use designa::store::{Record, RecordKind};

pub const TENANT: &str = "t-demo";
pub const TENANT_NAME: &str = "Transports Exemple SAS (fictive)";
pub const EMAIL: &str = "admin@transports-exemple.example";
/// Local emulator only; the pool's policy (12+ characters, all classes) accepts it.
pub const PASSWORD: &str = "Demo-Local-Only-1";
/// The demo's entities: (id, name).
pub const ENTITIES: [(&str, &str); 2] = [("e-lyon", "Agence de Lyon"), ("e-paris", "Siège")];

/// A tenant with its admin and nothing else, to try setting one up.
pub const EMPTY_TENANT: &str = "t-nouvelle";
pub const EMPTY_TENANT_NAME: &str = "Nouvelle Société SARL (fictive)";
pub const EMPTY_EMAIL: &str = "admin@nouvelle-societe.example";

/// Creates (or finds) both tenants; safe to run again.
pub async fn seed(stack: &LocalStack, aws: &AwsClients) -> Result<()> {
    seed_tenant(stack, aws, &demo_tenant(), &ENTITIES).await?;
    let empty = NewTenant {
        tenant_id: EMPTY_TENANT.into(),
        name: EMPTY_TENANT_NAME.into(),
        admin_email: EMPTY_EMAIL.into(),
        admin_first_name: "Dominique".into(),
        admin_last_name: "Fictive".into(),
    };
    seed_tenant(stack, aws, &empty, &[]).await
}

fn demo_tenant() -> NewTenant {
    NewTenant {
        tenant_id: TENANT.into(),
        name: TENANT_NAME.into(),
        admin_email: EMAIL.into(),
        admin_first_name: "Alex".into(),
        admin_last_name: "Fictif".into(),
    }
}

/// The tenant, its admin with the known password, and its entities.
async fn seed_tenant(
    stack: &LocalStack,
    aws: &AwsClients,
    tenant: &NewTenant,
    entities: &[(&str, &str)],
) -> Result<()> {
    let env = stack.function_env("ApiFunction")?;
    let var = |name: &str| {
        env.get(name)
            .cloned()
            .with_context(|| format!("ApiFunction has no {name} in template.yaml"))
    };
    let storage = DynamoStorage::new(aws.dynamodb().clone(), var("TABLE_NAME")?);
    let identity = CognitoIdentity::new(aws.cognito().clone(), var("USER_POOL_ID")?);
    create_tenant(
        &storage,
        &identity,
        &SesMailer::new(aws.ses().clone(), var("SENDER_ADDRESS")?),
        &SystemClock,
        &var("APP_URL")?,
        tenant,
    )
    .await?;
    identity
        .set_password(&tenant.admin_email, PASSWORD)
        .await?
        .map_err(anyhow::Error::msg)?;
    for &(id, name) in entities {
        let entity = Entity {
            entity_id: id.into(),
            kind: EntityKind::Internal,
            name: name.into(),
            address: None,
            siren: None,
            siret: None,
        };
        // Already there on a second run: fine.
        storage
            .put_record(
                &tenant.tenant_id.as_str().into(),
                RecordKind::Entity,
                &Record::new(id, 1, &entity),
                None,
            )
            .await?;
    }
    Ok(())
}

/// Signs in as the demo admin; the ID token, as a client would send it.
pub async fn sign_in(stack: &LocalStack, aws: &AwsClients) -> Result<String> {
    let out = aws
        .cognito()
        .initiate_auth()
        .client_id(stack.resource("UserPoolClient")?)
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", EMAIL)
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .context("signing in the demo admin")?;
    out.authentication_result()
        .and_then(|r| r.id_token())
        .map(str::to_string)
        .context("no ID token in the sign-in answer")
}

/// The credentials `make app` prints.
pub fn sign_in_with() -> String {
    format!(
        "Se connecter avec : {EMAIL} / {PASSWORD} ({TENANT_NAME}, données de démonstration)\n\
         ou avec : {EMPTY_EMAIL} / {PASSWORD} ({EMPTY_TENANT_NAME}, compte vide à mettre en place)"
    )
}

/// How to sign in and a few requests, for the README's reader.
pub fn instructions(port: u16) -> String {
    format!(
        "Sign in (USER_PASSWORD_AUTH against the emulator's Cognito) and call the API:\n\
         \n  TOKEN=$(.venv/bin/python infra/local_stack.py token {EMAIL} '{PASSWORD}')\
         \n  curl -s -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:{port}/me\
         \n  curl -s -H \"Authorization: Bearer $TOKEN\" 'http://127.0.0.1:{port}/notices?due_within_days=30&limit=5'\
         \n  curl -s -H \"Authorization: Bearer $TOKEN\" -H 'content-type: application/json' \\\
         \n       -d '{{\"plate\":\"KL-321-MN\",\"make\":\"Renault\",\"model\":\"Zoe\",\"entity_id\":\"e-lyon\",\"entry_on\":\"2026-11-01\"}}' \\\
         \n       http://127.0.0.1:{port}/vehicles\
         \n  curl -s -H \"Authorization: Bearer $TOKEN\" -o matrice.xlsx http://127.0.0.1:{port}/fleet/template\
         \n\nThe API's routes are documented in docs/openapi.yaml."
    )
}
