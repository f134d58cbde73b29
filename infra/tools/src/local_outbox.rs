//! The e-mails the local server sends, shown on its console as well: the
//! emulator's SES keeps them out of anyone's reach, and someone trying
//! `make app` must be able to follow an invitation link to sign in as the
//! colleague they invited. Local, fictional data only.

use async_trait::async_trait;
use designa::ports::{Email, Mailer, PortError, TemplatedEmail};
use std::sync::Arc;

/// Sends through `inner`, then prints who got what and the links it carries.
pub struct LocalOutbox {
    pub inner: Arc<dyn Mailer>,
}

/// The lines of `text` that are links, as a reader would click them.
fn links(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
        .collect()
}

#[async_trait]
impl Mailer for LocalOutbox {
    async fn send(&self, email: &Email) -> Result<(), PortError> {
        self.inner.send(email).await?;
        println!("E-mail envoyé à {} : « {} »", email.to, email.subject);
        for link in links(&email.text) {
            println!("    {link}");
        }
        Ok(())
    }

    async fn send_templated(&self, email: &TemplatedEmail) -> Result<(), PortError> {
        self.inner.send_templated(email).await?;
        println!("E-mail envoyé à {} (modèle {})", email.to, email.template);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_links_of_an_invitation_are_found_among_its_words() {
        let text = "Bonjour Léa,\n\nChoisissez votre mot de passe :\nhttp://127.0.0.1:3000/invitation?token=abc\n\nÀ bientôt";
        assert_eq!(links(text), ["http://127.0.0.1:3000/invitation?token=abc"]);
        assert!(links("Aucun lien ici.").is_empty());
    }
}
