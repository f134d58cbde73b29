//! Operator onboarding: creates a tenant and its first admin, who receives
//! our invitation e-mail (French) with a one-time link to set a password.
//! Safe to run again: an existing tenant of the same name and an existing
//! admin identity of the same tenant are reused.

use anyhow::{bail, Result};
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::driver::is_plausible_email;
use designa::domain::tenant::{is_valid_tenant_id, Tenant, TenantSettings, User};
use designa::ports::{Clock, IdentityProvider, Invitation, Mailer, Storage};

#[derive(Debug, Clone)]
pub struct NewTenant {
    pub tenant_id: String,
    pub name: String,
    pub admin_email: String,
    pub admin_first_name: String,
    pub admin_last_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Onboarded {
    pub tenant_created: bool,
    pub admin_user_id: String,
    pub invitation_sent: bool,
}

pub async fn create_tenant(
    storage: &impl Storage,
    identities: &impl IdentityProvider,
    mailer: &impl Mailer,
    clock: &impl Clock,
    app_url: &str,
    request: &NewTenant,
) -> Result<Onboarded> {
    if !is_valid_tenant_id(&request.tenant_id) {
        bail!(
            "tenant id '{}': 3 to 40 lower-case letters, digits or dashes",
            request.tenant_id
        );
    }
    if request.name.trim().is_empty() {
        bail!("the tenant's name is required");
    }
    if !is_plausible_email(&request.admin_email) {
        bail!("'{}' is not an e-mail address", request.admin_email);
    }
    if request.admin_first_name.trim().is_empty() || request.admin_last_name.trim().is_empty() {
        bail!("the admin's first and last names are required");
    }
    let tenant = Tenant {
        tenant_id: request.tenant_id.as_str().into(),
        name: request.name.trim().into(),
        settings: TenantSettings::default(),
        ended_on: None,
    };
    let tenant_created = storage.create_tenant(&tenant).await?;
    if !tenant_created {
        let existing = storage.tenant(&tenant.tenant_id).await?;
        if let Some(ended_on) = existing.as_ref().and_then(|t| t.ended_on) {
            bail!(
                "tenant id '{}' belonged to a contract ended on {ended_on}: choose another id",
                request.tenant_id
            );
        }
        if existing.as_ref().map(|t| t.name.as_str()) != Some(tenant.name.as_str()) {
            bail!(
                "tenant id '{}' is already taken by \"{}\"",
                request.tenant_id,
                existing.map(|t| t.name).unwrap_or_default()
            );
        }
    }
    let invited = identities
        .invite(&Invitation {
            email: request.admin_email.clone(),
            first_name: request.admin_first_name.clone(),
            last_name: request.admin_last_name.clone(),
            tenant_id: tenant.tenant_id.clone(),
        })
        .await?
        .map_err(|_| {
            anyhow::anyhow!(
                "{} already belongs to another tenant's account",
                request.admin_email
            )
        })?;
    let admin = User {
        tenant_id: tenant.tenant_id.clone(),
        user_id: invited.user_id.clone(),
        email: request.admin_email.to_lowercase(),
        first_name: request.admin_first_name.clone(),
        last_name: request.admin_last_name.clone(),
        active: true,
        grants: vec![Grant {
            role: Role::Admin,
            scope: Scope::AllEntities,
            until: None,
        }],
        sealed: None,
    };
    storage.put_user(&admin).await?;
    // A new identity gets its set-password link; a re-run does not spam it.
    if invited.created {
        designa::invitation::issue(storage, mailer, &tenant, &admin, app_url, clock.now()).await?;
    }
    Ok(Onboarded {
        tenant_created,
        admin_user_id: invited.user_id,
        invitation_sent: invited.created,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use designa::memory::{MemoryIdentity, MemoryMailer, MemoryStorage};
    use designa::ports::{SystemClock, TenantStore};

    const APP_URL: &str = "https://app.designa.example";

    fn request() -> NewTenant {
        NewTenant {
            tenant_id: "transports-exemple".into(),
            name: "Transports Exemple SAS".into(),
            admin_email: "Admin@Transports-Exemple.example".into(),
            admin_first_name: "Alex".into(),
            admin_last_name: "Fictif".into(),
        }
    }

    #[tokio::test]
    async fn a_tenant_and_its_admin_are_created_once() {
        let storage = MemoryStorage::default();
        let identities = MemoryIdentity::default();
        let first = create_tenant(
            &storage,
            &identities,
            &MemoryMailer::default(),
            &SystemClock,
            APP_URL,
            &request(),
        )
        .await
        .unwrap();
        assert!(first.tenant_created && first.invitation_sent);
        let user = storage
            .user(&"transports-exemple".into(), &first.admin_user_id)
            .await
            .unwrap()
            .unwrap();
        assert!(user
            .grants
            .iter()
            .any(|g| g.role == Role::Admin && g.scope == Scope::AllEntities));
        assert_eq!(user.email, "admin@transports-exemple.example");

        let again = create_tenant(
            &storage,
            &identities,
            &MemoryMailer::default(),
            &SystemClock,
            APP_URL,
            &request(),
        )
        .await
        .unwrap();
        assert_eq!(
            again,
            Onboarded {
                tenant_created: false,
                admin_user_id: first.admin_user_id,
                invitation_sent: false
            }
        );
        assert_eq!(identities.invitations_sent.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn bad_requests_and_taken_ids_are_refused() {
        let storage = MemoryStorage::default();
        let identities = MemoryIdentity::default();
        let mut bad = request();
        bad.tenant_id = "Transports Exemple".into();
        assert!(create_tenant(
            &storage,
            &identities,
            &MemoryMailer::default(),
            &SystemClock,
            APP_URL,
            &bad
        )
        .await
        .unwrap_err()
        .to_string()
        .contains("lower-case"));
        let mut bad = request();
        bad.admin_email = "admin".into();
        assert!(create_tenant(
            &storage,
            &identities,
            &MemoryMailer::default(),
            &SystemClock,
            APP_URL,
            &bad
        )
        .await
        .unwrap_err()
        .to_string()
        .contains("e-mail"));

        create_tenant(
            &storage,
            &identities,
            &MemoryMailer::default(),
            &SystemClock,
            APP_URL,
            &request(),
        )
        .await
        .unwrap();
        let mut other = request();
        other.name = "Autre Société".into();
        let err = create_tenant(
            &storage,
            &identities,
            &MemoryMailer::default(),
            &SystemClock,
            APP_URL,
            &other,
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(err.contains("already taken"), "{err}");
        // The admin of one tenant cannot be invited into another.
        let mut elsewhere = request();
        elsewhere.tenant_id = "autre".into();
        elsewhere.name = "Autre".into();
        assert!(create_tenant(
            &storage,
            &identities,
            &MemoryMailer::default(),
            &SystemClock,
            APP_URL,
            &elsewhere
        )
        .await
        .is_err());
    }
}
