//! Cognito adapter of `IdentityProvider`.

use crate::ports::{AddressTaken, IdentityProvider, Invitation, Invited, PortError, SignInState};
use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::error::DisplayErrorContext;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType, UserStatusType};
use aws_sdk_cognitoidentityprovider::Client;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const REFUSED_BY_POLICY: &str = "Le service d'identité refuse ce mot de passe : il doit avoir au moins 12 caractères, une minuscule, une majuscule, un chiffre et un symbole.";

/// The custom attribute that ties an identity to its tenant (immutable in the pool).
pub use crate::app::caller::TENANT_ATTRIBUTE;

/// How long a second factor seen stays known without asking Cognito again
/// (every API call of a tenant that requires one checks it).
const SECOND_FACTOR_SEEN_FOR: Duration = Duration::from_secs(300);
/// Most identities remembered: past it, the memory starts again.
const SECOND_FACTORS_REMEMBERED: usize = 10_000;

#[derive(Clone, Debug)]
pub struct CognitoIdentity {
    client: Client,
    user_pool_id: String,
    /// Identities seen with a second factor, and when (only those: one
    /// enrolling is let through as soon as Cognito says so).
    second_factors_seen: Arc<Mutex<HashMap<String, Instant>>>,
}

fn attribute(name: &str, value: &str) -> Result<AttributeType, PortError> {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .map_err(|e| PortError::new("cognito:AdminCreateUser", e))
}

impl CognitoIdentity {
    pub fn new(client: Client, user_pool_id: impl Into<String>) -> Self {
        CognitoIdentity {
            client,
            user_pool_id: user_pool_id.into(),
            second_factors_seen: Arc::default(),
        }
    }

    async fn existing(&self, email: &str) -> Result<(String, Option<String>), PortError> {
        let user = self
            .client
            .admin_get_user()
            .user_pool_id(&self.user_pool_id)
            .username(email)
            .send()
            .await
            .map_err(|e| PortError::new("cognito:AdminGetUser", DisplayErrorContext(e)))?;
        let value = |name: &str| {
            user.user_attributes()
                .iter()
                .find(|a| a.name() == name)
                .and_then(|a| a.value())
                .map(str::to_string)
        };
        let sub = value("sub").unwrap_or_else(|| user.username().to_string());
        Ok((sub, value(TENANT_ATTRIBUTE)))
    }

    fn remember_second_factor(&self, email: String) {
        let mut remembered = self.second_factors_seen.lock().unwrap();
        if remembered.len() >= SECOND_FACTORS_REMEMBERED {
            remembered.clear();
        }
        remembered.insert(email, Instant::now());
    }
}

#[async_trait]
impl IdentityProvider for CognitoIdentity {
    async fn invite(
        &self,
        invitation: &Invitation,
    ) -> Result<Result<Invited, AddressTaken>, PortError> {
        let email = invitation.email.to_lowercase();
        let result = self
            .client
            .admin_create_user()
            .user_pool_id(&self.user_pool_id)
            .username(&email)
            .user_attributes(attribute("email", &email)?)
            .user_attributes(attribute("email_verified", "true")?)
            .user_attributes(attribute("given_name", &invitation.first_name)?)
            .user_attributes(attribute("family_name", &invitation.last_name)?)
            .user_attributes(attribute(TENANT_ATTRIBUTE, &invitation.tenant_id.0)?)
            // Our own e-mail carries a set-password link (see `invitation`).
            .message_action(MessageActionType::Suppress)
            .send()
            .await;
        match result {
            Ok(out) => {
                let user = out.user.ok_or_else(|| {
                    PortError::new("cognito:AdminCreateUser", "no user in the answer")
                })?;
                let sub = user
                    .attributes()
                    .iter()
                    .find(|a| a.name() == "sub")
                    .and_then(|a| a.value())
                    .map(str::to_string);
                let sub = match sub {
                    Some(sub) => sub,
                    None => self.existing(&email).await?.0,
                };
                Ok(Ok(Invited {
                    user_id: sub,
                    created: true,
                }))
            }
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_username_exists_exception()) =>
            {
                let (sub, tenant) = self.existing(&email).await?;
                if tenant.as_deref() != Some(invitation.tenant_id.0.as_str()) {
                    return Ok(Err(AddressTaken));
                }
                Ok(Ok(Invited {
                    user_id: sub,
                    created: false,
                }))
            }
            Err(e) => Err(PortError::new(
                "cognito:AdminCreateUser",
                DisplayErrorContext(e),
            )),
        }
    }

    async fn set_password(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Result<(), String>, PortError> {
        let result = self
            .client
            .admin_set_user_password()
            .user_pool_id(&self.user_pool_id)
            .username(email)
            .password(password)
            .permanent(true)
            .send()
            .await;
        match result {
            Ok(_) => Ok(Ok(())),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_invalid_password_exception()) =>
            {
                // Cognito words its reason in English: the user reads the rules.
                Ok(Err(REFUSED_BY_POLICY.to_string()))
            }
            Err(e) => Err(PortError::new(
                "cognito:AdminSetUserPassword",
                DisplayErrorContext(e),
            )),
        }
    }

    async fn set_enabled(&self, email: &str, enabled: bool) -> Result<(), PortError> {
        let result = if enabled {
            self.client
                .admin_enable_user()
                .user_pool_id(&self.user_pool_id)
                .username(email)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| PortError::new("cognito:AdminEnableUser", DisplayErrorContext(e)))
        } else {
            self.client
                .admin_disable_user()
                .user_pool_id(&self.user_pool_id)
                .username(email)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| PortError::new("cognito:AdminDisableUser", DisplayErrorContext(e)))
        };
        result
    }

    async fn remove(&self, email: &str) -> Result<(), PortError> {
        match self
            .client
            .admin_delete_user()
            .user_pool_id(&self.user_pool_id)
            .username(email)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_user_not_found_exception()) =>
            {
                Ok(())
            }
            Err(e) => Err(PortError::new(
                "cognito:AdminDeleteUser",
                DisplayErrorContext(e),
            )),
        }
    }

    async fn second_factor_enrolled(&self, email: &str) -> Result<bool, PortError> {
        let email = email.to_lowercase();
        let seen = self
            .second_factors_seen
            .lock()
            .unwrap()
            .get(&email)
            .copied();
        if seen.is_some_and(|at| at.elapsed() < SECOND_FACTOR_SEEN_FOR) {
            return Ok(true);
        }
        Ok(self.sign_in_state(&email).await?.second_factor)
    }

    async fn sign_in_state(&self, email: &str) -> Result<SignInState, PortError> {
        let email = email.to_lowercase();
        let user = match self
            .client
            .admin_get_user()
            .user_pool_id(&self.user_pool_id)
            .username(&email)
            .send()
            .await
        {
            Ok(user) => user,
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_user_not_found_exception()) =>
            {
                return Ok(SignInState::default())
            }
            Err(e) => {
                return Err(PortError::new(
                    "cognito:AdminGetUser",
                    DisplayErrorContext(e),
                ))
            }
        };
        let state = SignInState {
            // An invited identity must change the temporary password it was created with.
            password_set: user.user_status() != Some(&UserStatusType::ForceChangePassword),
            second_factor: user
                .user_mfa_setting_list()
                .iter()
                .any(|m| m == "SOFTWARE_TOKEN_MFA"),
        };
        if state.second_factor {
            self.remember_second_factor(email);
        }
        Ok(state)
    }
}
