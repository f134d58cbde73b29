//! E-mails in memory.

use crate::ports::PortError;
use async_trait::async_trait;
use std::sync::Mutex;

/// Sent e-mails, kept in order.
#[derive(Default)]
pub struct MemoryMailer {
    pub sent: Mutex<Vec<crate::ports::Email>>,
    pub templated: Mutex<Vec<crate::ports::TemplatedEmail>>,
}

#[async_trait]
impl crate::ports::Mailer for MemoryMailer {
    async fn send(&self, email: &crate::ports::Email) -> Result<(), PortError> {
        self.sent.lock().unwrap().push(email.clone());
        Ok(())
    }

    async fn send_templated(&self, email: &crate::ports::TemplatedEmail) -> Result<(), PortError> {
        self.templated.lock().unwrap().push(email.clone());
        Ok(())
    }
}
