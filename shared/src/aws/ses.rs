//! SES adapter of `Mailer`.

use crate::ports::{Email, Mailer, PortError, TemplatedEmail};
use async_trait::async_trait;
use aws_sdk_ses::error::DisplayErrorContext;
use aws_sdk_ses::types::{Body, Content, Destination, Message};

#[derive(Clone, Debug)]
pub struct SesMailer {
    client: aws_sdk_ses::Client,
    /// The verified identity e-mails come from (template.yaml's SenderAddress).
    sender: String,
    /// Where SES reports bounces and complaints (`SES_CONFIGURATION_SET`).
    configuration_set: Option<String>,
}

impl SesMailer {
    pub fn new(client: aws_sdk_ses::Client, sender: impl Into<String>) -> Self {
        SesMailer {
            client,
            sender: sender.into(),
            configuration_set: crate::env::Env::process().optional("SES_CONFIGURATION_SET"),
        }
    }
}

fn utf8(text: &str) -> Result<Content, PortError> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|e| PortError::new("ses:SendEmail", e))
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(&self, email: &Email) -> Result<(), PortError> {
        let message = Message::builder()
            .subject(utf8(&email.subject)?)
            .body(
                Body::builder()
                    .text(utf8(&email.text)?)
                    .html(utf8(&email.html)?)
                    .build(),
            )
            .build();
        self.client
            .send_email()
            .source(&self.sender)
            .destination(Destination::builder().to_addresses(&email.to).build())
            .message(message)
            .set_configuration_set_name(self.configuration_set.clone())
            .send()
            .await
            .map_err(|e| PortError::new("ses:SendEmail", DisplayErrorContext(e)))?;
        Ok(())
    }

    async fn send_templated(&self, email: &TemplatedEmail) -> Result<(), PortError> {
        self.client
            .send_templated_email()
            .source(&self.sender)
            .destination(Destination::builder().to_addresses(&email.to).build())
            .template(&email.template)
            .template_data(email.data.to_string())
            .set_configuration_set_name(self.configuration_set.clone())
            .send()
            .await
            .map_err(|e| PortError::new("ses:SendTemplatedEmail", DisplayErrorContext(e)))?;
        Ok(())
    }
}
