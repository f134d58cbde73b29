//! Operator onboarding against the emulator's Cognito user pool (created from template.yaml).

use designa::aws::{CognitoIdentity, DynamoStorage, TENANT_ATTRIBUTE};
use designa::domain::access::Role;
use designa::ports::Storage;
use designa_integration_tests::world::world;
use designa_integration_tests::{exclusive, local_stack};
use designa_tools::onboarding::{create_tenant, NewTenant};

#[tokio::test]
async fn an_operator_creates_a_tenant_and_its_first_admin() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let pool = local_stack().resource("UserPool").unwrap().to_string();
    let storage = DynamoStorage::new(w.aws.dynamodb.clone(), &w.config.table_name);
    let identities = CognitoIdentity::new(w.aws.cognito.clone(), &pool);
    let request = NewTenant {
        tenant_id: w.tenant.clone(),
        name: "Transports Exemple SAS (fictitious)".into(),
        admin_email: format!("admin+{}@transports-exemple.example", w.tenant),
        admin_first_name: "Alex".into(),
        admin_last_name: "Fictif".into(),
    };
    let first = create_tenant(&storage, &identities, &request)
        .await
        .unwrap();
    assert!(first.tenant_created && first.invitation_sent);

    // The identity carries its tenant, which the token will carry.
    let user = w
        .aws
        .cognito
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
    let again = create_tenant(&storage, &identities, &request)
        .await
        .unwrap();
    assert!(!again.tenant_created && !again.invitation_sent);
    assert_eq!(again.admin_user_id, first.admin_user_id);
}
