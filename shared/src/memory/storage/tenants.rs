//! Tenants and users in memory; a tenant id is taken once, as the table's
//! conditional put allows.

use super::MemoryStorage;
use crate::domain::tenant::{Tenant, User};
use crate::domain::TenantId;
use crate::ports::{PortError, TenantStore};
use async_trait::async_trait;

#[async_trait]
impl TenantStore for MemoryStorage {
    async fn create_tenant(&self, tenant: &Tenant) -> Result<bool, PortError> {
        self.request("create_tenant").await?;
        let mut t = self.tables.lock().unwrap();
        if t.tenants.contains_key(&tenant.tenant_id) {
            return Ok(false);
        }
        t.tenants.insert(tenant.tenant_id.clone(), tenant.clone());
        Ok(true)
    }

    async fn tenant(&self, tenant_id: &TenantId) -> Result<Option<Tenant>, PortError> {
        self.request("tenant").await?;
        Ok(self.tables.lock().unwrap().tenants.get(tenant_id).cloned())
    }

    async fn put_tenant(&self, tenant: &Tenant) -> Result<(), PortError> {
        self.request("put_tenant").await?;
        let mut t = self.tables.lock().unwrap();
        t.tenants.insert(tenant.tenant_id.clone(), tenant.clone());
        Ok(())
    }

    async fn put_user(&self, user: &User) -> Result<(), PortError> {
        self.request("put_user").await?;
        let mut t = self.tables.lock().unwrap();
        t.users
            .insert((user.tenant_id.clone(), user.user_id.clone()), user.clone());
        Ok(())
    }

    async fn user(&self, tenant_id: &TenantId, user_id: &str) -> Result<Option<User>, PortError> {
        self.request("user").await?;
        Ok(self
            .tables
            .lock()
            .unwrap()
            .users
            .get(&(tenant_id.clone(), user_id.to_string()))
            .cloned())
    }

    async fn users(&self, tenant_id: &TenantId) -> Result<Vec<User>, PortError> {
        self.request("users").await?;
        let t = self.tables.lock().unwrap();
        Ok(t.users
            .iter()
            .filter(|((tenant, _), _)| tenant == tenant_id)
            .map(|(_, u)| u.clone())
            .collect())
    }

    async fn delete_user(&self, tenant_id: &TenantId, user_id: &str) -> Result<(), PortError> {
        self.request("delete_user").await?;
        let mut t = self.tables.lock().unwrap();
        t.users.remove(&(tenant_id.clone(), user_id.to_string()));
        Ok(())
    }
}
