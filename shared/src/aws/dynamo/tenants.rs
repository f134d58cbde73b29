//! Tenants and users on the table.

use super::*;
use crate::domain::tenant::{Tenant, User};
use crate::domain::TenantId;
use crate::ports::{PortError, TenantStore};
use crate::table::{keys, TenantItem, UserItem};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::DisplayErrorContext;

#[async_trait]
impl TenantStore for DynamoStorage {
    async fn create_tenant(&self, tenant: &Tenant) -> Result<bool, PortError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(
                "dynamodb:PutItem",
                &TenantItem::from(tenant),
            )?))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(PortError::new("dynamodb:PutItem", DisplayErrorContext(e))),
        }
    }

    async fn tenant(&self, tenant_id: &TenantId) -> Result<Option<Tenant>, PortError> {
        Ok(self
            .get_as::<TenantItem>(keys::tenant(tenant_id), keys::TENANT_SK)
            .await?
            .map(|i| i.data))
    }

    async fn put_tenant(&self, tenant: &Tenant) -> Result<(), PortError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(
                "dynamodb:PutItem",
                &TenantItem::from(tenant),
            )?))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await
            .map_err(|e| PortError::new("dynamodb:PutItem", DisplayErrorContext(e)))?;
        Ok(())
    }

    async fn put_user(&self, user: &User) -> Result<(), PortError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item("dynamodb:PutItem", &UserItem::from(user))?))
            .send()
            .await
            .map_err(|e| PortError::new("dynamodb:PutItem", DisplayErrorContext(e)))?;
        Ok(())
    }

    async fn user(&self, tenant_id: &TenantId, user_id: &str) -> Result<Option<User>, PortError> {
        Ok(self
            .get_as::<UserItem>(keys::tenant(tenant_id), &keys::user(user_id))
            .await?
            .map(|i| i.data))
    }

    async fn users(&self, tenant_id: &TenantId) -> Result<Vec<User>, PortError> {
        let items: Vec<UserItem> = self.query_prefix(keys::tenant(tenant_id), "USER#").await?;
        Ok(items.into_iter().map(|i| i.data).collect())
    }

    async fn delete_user(&self, tenant_id: &TenantId, user_id: &str) -> Result<(), PortError> {
        self.delete_item(keys::tenant(tenant_id), &keys::user(user_id))
            .await
    }
}
