//! Identities in memory, for the identity provider port.

use crate::domain::TenantId;
use crate::ports::PortError;
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Identities by e-mail: (subject, tenant).
#[derive(Default)]
pub struct MemoryIdentity {
    pub identities: Mutex<BTreeMap<String, (String, TenantId)>>,
    pub invitations_sent: Mutex<Vec<String>>,
    /// Permanent passwords set, by e-mail.
    pub passwords: Mutex<BTreeMap<String, String>>,
    /// E-mails of disabled identities.
    pub disabled: Mutex<std::collections::BTreeSet<String>>,
    /// E-mails of identities with a second factor (TOTP).
    pub second_factors: Mutex<std::collections::BTreeSet<String>>,
}

#[async_trait]
impl crate::ports::IdentityProvider for MemoryIdentity {
    async fn second_factor_enrolled(&self, email: &str) -> Result<bool, PortError> {
        let factors = self.second_factors.lock().unwrap();
        Ok(factors.contains(&email.to_lowercase()))
    }

    async fn sign_in_state(&self, email: &str) -> Result<crate::ports::SignInState, PortError> {
        let password_set = self.passwords.lock().unwrap().contains_key(email);
        Ok(crate::ports::SignInState {
            password_set,
            second_factor: self.second_factor_enrolled(email).await?,
        })
    }

    async fn invite(
        &self,
        invitation: &crate::ports::Invitation,
    ) -> Result<Result<crate::ports::Invited, crate::ports::AddressTaken>, PortError> {
        let email = invitation.email.to_lowercase();
        let mut identities = self.identities.lock().unwrap();
        if let Some((sub, tenant)) = identities.get(&email) {
            if *tenant != invitation.tenant_id {
                return Ok(Err(crate::ports::AddressTaken));
            }
            return Ok(Ok(crate::ports::Invited {
                user_id: sub.clone(),
                created: false,
            }));
        }
        let sub = format!("sub-{}", identities.len() + 1);
        identities.insert(email.clone(), (sub.clone(), invitation.tenant_id.clone()));
        self.invitations_sent.lock().unwrap().push(email);
        Ok(Ok(crate::ports::Invited {
            user_id: sub,
            created: true,
        }))
    }

    async fn set_password(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Result<(), String>, PortError> {
        if !self.identities.lock().unwrap().contains_key(email) {
            return Err(PortError::new(
                "set_password",
                format!("no identity {email}"),
            ));
        }
        if let Err(reason) = crate::invitation::check_password(password) {
            return Ok(Err(reason));
        }
        self.passwords
            .lock()
            .unwrap()
            .insert(email.to_string(), password.to_string());
        Ok(Ok(()))
    }

    async fn set_enabled(&self, email: &str, enabled: bool) -> Result<(), PortError> {
        let mut disabled = self.disabled.lock().unwrap();
        if enabled {
            disabled.remove(email);
        } else {
            disabled.insert(email.to_string());
        }
        Ok(())
    }

    async fn remove(&self, email: &str) -> Result<(), PortError> {
        self.identities.lock().unwrap().remove(email);
        self.passwords.lock().unwrap().remove(email);
        Ok(())
    }
}
