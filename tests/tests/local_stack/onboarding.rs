//! Operator onboarding against the emulator's Cognito user pool (created from template.yaml).

use designa::aws::{CognitoIdentity, SesMailer, TENANT_ATTRIBUTE};
use designa::domain::access::Role;
use designa::ports::{SystemClock, TenantStore};
use designa_integration_tests::world::world;
use designa_integration_tests::{emulator_http, exclusive, local_stack, recorded_ses_requests};

use designa_integration_tests::world::{APP_URL, SENDER};

/// The SES e-mails sent while recording, as (to, text) pairs.
async fn recorded_emails() -> Vec<(String, String)> {
    recorded_ses_requests("SendEmail")
        .await
        .into_iter()
        .map(|form| {
            (
                form.get("Destination.ToAddresses.member.1")
                    .cloned()
                    .unwrap_or_default(),
                form.get("Message.Body.Text.Data")
                    .cloned()
                    .unwrap_or_default(),
            )
        })
        .collect()
}
use designa_tools::onboarding::{create_tenant, NewTenant};

#[tokio::test]
async fn an_operator_creates_a_tenant_and_its_first_admin() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let pool = local_stack().resource("UserPool").unwrap().to_string();
    let storage = w.raw_storage();
    let identities = CognitoIdentity::new(w.aws.cognito().clone(), &pool);
    let request = NewTenant {
        tenant_id: w.tenant.clone(),
        name: "Transports Exemple SAS (fictitious)".into(),
        admin_email: format!("admin+{}@transports-exemple.example", w.tenant),
        admin_first_name: "Alex".into(),
        admin_last_name: "Fictif".into(),
    };
    let mailer = SesMailer::new(w.aws.ses().clone(), SENDER);
    emulator_http("POST", "/moto-api/recorder/reset-recording")
        .await
        .unwrap();
    emulator_http("POST", "/moto-api/recorder/start-recording")
        .await
        .unwrap();
    let first = create_tenant(
        &storage,
        &identities,
        &mailer,
        &SystemClock,
        APP_URL,
        &request,
    )
    .await;
    emulator_http("POST", "/moto-api/recorder/stop-recording")
        .await
        .unwrap();
    let first = first.unwrap();
    assert!(first.tenant_created && first.invitation_sent);

    // The invitation e-mail went through SES, in French, with a one-time link.
    let emails = recorded_emails().await;
    let (_, text) = emails
        .iter()
        .find(|(to, _)| *to == request.admin_email)
        .expect("the invitation e-mail was sent through SES");
    assert!(text.starts_with("Bonjour Alex,"), "{text}");
    let link = text
        .lines()
        .find(|l| l.starts_with(APP_URL))
        .expect("a link")
        .to_string();
    let token = link
        .strip_prefix(&format!("{APP_URL}/invitation?token={}.", w.tenant))
        .expect("link format <app>/invitation?token=<tenant>.<secret>");
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()));

    // The link sets the password through the API; the admin then signs in.
    let api = w.api();
    let accept = |password: &str| {
        api.handle(api::testing::Call {
            method: "POST".into(),
            path: format!("/invitations/{}.{token}", w.tenant),
            body: serde_json::to_vec(&serde_json::json!({ "password": password })).unwrap(),
            request_id: "it-accept".into(),
            ..Default::default()
        })
    };
    assert_eq!(accept("Mot-De-Passe-Fictif-1").await.status, 204);
    assert_eq!(
        accept("Mot-De-Passe-Fictif-2").await.status,
        404,
        "the link works once"
    );
    let client_id = local_stack()
        .resource("UserPoolClient")
        .unwrap()
        .to_string();
    let signed_in = w
        .aws
        .cognito()
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", &request.admin_email)
        .auth_parameters("PASSWORD", "Mot-De-Passe-Fictif-1")
        .send()
        .await
        .expect("the new password signs in");
    let id_token = signed_in
        .authentication_result()
        .and_then(|r| r.id_token())
        .unwrap();
    let payload = id_token.split('.').nth(1).unwrap();
    use base64::Engine;
    let claims: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    let me = api
        .handle(api::testing::Call {
            method: "GET".into(),
            path: "/me".into(),
            claims: Some(claims),
            request_id: "it-me".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(me.status, 200, "{:?}", me.body_json());
    assert_eq!(
        me.body_json()["user"]["email"],
        request.admin_email.to_lowercase()
    );

    // The identity carries its tenant, which the token will carry.
    let user = w
        .aws
        .cognito()
        .admin_get_user()
        .user_pool_id(&pool)
        .username(&request.admin_email)
        .send()
        .await
        .unwrap();
    let tenant_attribute = user
        .user_attributes()
        .iter()
        .find(|a| a.name() == TENANT_ATTRIBUTE)
        .and_then(|a| a.value());
    assert_eq!(tenant_attribute, Some(w.tenant.as_str()));
    let stored = storage
        .user(&w.tenant.as_str().into(), &first.admin_user_id)
        .await
        .unwrap()
        .expect("user record");
    assert!(stored.active && stored.grants.iter().any(|g| g.role == Role::Admin));
    assert!(storage
        .tenant(&w.tenant.as_str().into())
        .await
        .unwrap()
        .is_some());

    // Running it again changes nothing.
    let again = create_tenant(
        &storage,
        &identities,
        &mailer,
        &SystemClock,
        APP_URL,
        &request,
    )
    .await
    .unwrap();
    assert!(!again.tenant_created && !again.invitation_sent);
    assert_eq!(again.admin_user_id, first.admin_user_id);
}
