//! Cognito's post-authentication trigger: every sign-in goes into the
//! tenant's access journal (`sign_in`, the user's id, the time, the
//! invocation's request id), never the password, which Cognito does not
//! give, nor the e-mail. A sign-in whose entry cannot be written fails, as
//! an API request does: no sign-in escapes the journal.

use aws_lambda_events::event::cognito::CognitoEventUserPoolsPostAuthentication as PostAuthentication;
use designa::app::journal::append;
use designa::app::AppError;
use designa::domain::TenantId;
use designa::ports::{Clock, RecordStore};
use tracing::{info, warn};

pub const ACTION: &str = "sign_in";

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("the sign-in could not be journaled: {0}")]
    Journal(#[from] AppError),
}

pub struct SignInJournal<S, C> {
    pub storage: S,
    pub clock: C,
}

impl<S: RecordStore, C: Clock> SignInJournal<S, C> {
    /// Journals the sign-in, then gives Cognito its event back (what the
    /// trigger must answer).
    pub async fn handle(
        &self,
        event: PostAuthentication,
        request_id: &str,
    ) -> Result<PostAuthentication, SignInError> {
        let attributes = &event.request.user_attributes;
        let (Some(tenant), Some(sub)) = (attributes.get("custom:tenant_id"), attributes.get("sub"))
        else {
            // Every user of a tenant has both; an identity without is none of ours.
            warn!("a sign-in without tenant or subject: not journaled");
            return Ok(event);
        };
        let tenant = TenantId(tenant.clone());
        let at = self.clock.now();
        let entry = append(
            &self.storage,
            &tenant,
            at,
            sub,
            ACTION,
            format!("user:{sub}"),
            request_id,
        )
        .await?;
        info!(tenant_id = %tenant, seq = entry.seq, "sign-in journaled");
        Ok(event)
    }
}

#[cfg(test)]
mod tests;
