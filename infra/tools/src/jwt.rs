//! The local server's token check, as API Gateway's JWT authorizer does it:
//! RS256 signature by a key of the issuer's JWKS (by `kid`), `iss` equal to
//! the configured issuer, `exp`/`nbf` in force, and `aud` or `client_id`
//! among the configured audiences. The keys come from the emulator's
//! Cognito (`<endpoint>/<pool id>/.well-known/jwks.json`).

use anyhow::{bail, Context, Result};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

pub type Claims = Map<String, Value>;

#[derive(Debug, Clone)]
pub struct JwtVerifier {
    pub issuer: String,
    pub audience: Vec<String>,
    keys: JwkSet,
}

/// One plain HTTP GET against the emulator (no TLS locally); the body.
async fn http_get(url: &str) -> Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url
        .strip_prefix("http://")
        .with_context(|| format!("{url}: only plain http is fetched locally"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = tokio::net::TcpStream::connect(host)
        .await
        .with_context(|| format!("connecting to {host}"))?;
    stream
        .write_all(format!("GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes())
        .await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        bail!("GET {url}: {}", head.lines().next().unwrap_or_default());
    }
    Ok(body.to_string())
}

impl JwtVerifier {
    pub fn new(issuer: String, audience: Vec<String>, keys: JwkSet) -> Self {
        JwtVerifier {
            issuer,
            audience,
            keys,
        }
    }

    /// The verifier of the local stack's authorizer (read from template.yaml
    /// by `infra/local_stack.py create`), with the emulator's pool keys.
    pub async fn from_stack(stack: &crate::stack::LocalStack) -> Result<JwtVerifier> {
        let authorizer = stack
            .authorizers
            .values()
            .next()
            .context("template.yaml declares no JWT authorizer")?;
        let pool = authorizer
            .issuer
            .rsplit('/')
            .next()
            .context("the issuer names no user pool")?;
        let url = format!(
            "{}/{pool}/.well-known/jwks.json",
            stack.endpoint.trim_end_matches('/')
        );
        let keys: JwkSet = serde_json::from_str(&http_get(&url).await?)
            .with_context(|| format!("{url} is not a JWKS"))?;
        Ok(JwtVerifier::new(
            authorizer.issuer.clone(),
            authorizer.audience.clone(),
            keys,
        ))
    }

    /// The claims of a valid token (`Bearer <jwt>` or a bare JWT), or why not.
    pub fn verify(&self, authorization: Option<&str>) -> Result<Claims, String> {
        let value = authorization
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or("no Authorization header")?;
        let token = match value.split_once(char::is_whitespace) {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ if value.eq_ignore_ascii_case("bearer") => "",
            _ => value,
        };
        if token.is_empty() {
            return Err("no token after Bearer".into());
        }
        let header = decode_header(token).map_err(|e| format!("not a JWT: {e}"))?;
        if header.alg != Algorithm::RS256 {
            return Err(format!(
                "algorithm {:?} is not accepted (RS256 only)",
                header.alg
            ));
        }
        let kid = header.kid.ok_or("the token names no key (kid)")?;
        let jwk = self
            .keys
            .find(&kid)
            .ok_or_else(|| format!("no key {kid} in the issuer's JWKS"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("key {kid}: {e}"))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.issuer]);
        // Without this, a token with no `iss` at all would pass.
        validation.set_required_spec_claims(&["exp", "iss"]);
        validation.validate_nbf = true;
        validation.leeway = 5;
        // API Gateway accepts `aud` or `client_id`: checked below by hand.
        validation.validate_aud = false;
        let claims = decode::<Claims>(token, &key, &validation)
            .map_err(|e| refusal(&e))?
            .claims;
        let audience_ok = ["aud", "client_id"]
            .iter()
            .any(|name| match claims.get(*name) {
                Some(Value::String(a)) => self.audience.contains(a),
                Some(Value::Array(list)) => list.iter().any(|a| {
                    a.as_str()
                        .is_some_and(|a| self.audience.iter().any(|x| x == a))
                }),
                _ => false,
            });
        if !audience_ok {
            return Err("the token is for another audience".into());
        }
        Ok(claims)
    }
}

/// Why `decode` refused a token, in words.
fn refusal(error: &jsonwebtoken::errors::Error) -> String {
    use jsonwebtoken::errors::ErrorKind;
    match error.kind() {
        ErrorKind::InvalidSignature => "bad signature".into(),
        ErrorKind::ExpiredSignature => "the token has expired".into(),
        ErrorKind::ImmatureSignature => "the token is not valid yet (nbf)".into(),
        ErrorKind::InvalidIssuer => "the token is from another issuer".into(),
        ErrorKind::MissingRequiredClaim(claim) => format!("the token has no {claim} claim"),
        _ => format!("invalid token: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{encode, EncodingKey, Header};
    use serde_json::json;

    const ISSUER: &str = "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_test";

    fn verifier() -> JwtVerifier {
        let keys: JwkSet =
            serde_json::from_str(include_str!("../tests/fixtures/test-only-jwks.json")).unwrap();
        JwtVerifier::new(ISSUER.into(), vec!["client-1".into()], keys)
    }

    fn sign(claims: Value, kid: &str, alg: Algorithm) -> String {
        let mut header = Header::new(alg);
        header.kid = Some(kid.into());
        let key = match alg {
            Algorithm::HS256 => EncodingKey::from_secret(b"shared secret"),
            _ => {
                EncodingKey::from_rsa_pem(include_bytes!("../tests/fixtures/test-only-rsa-key.pem"))
                    .unwrap()
            }
        };
        encode(&header, &claims, &key).unwrap()
    }

    fn claims() -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({ "iss": ISSUER, "aud": "client-1", "sub": "s-1", "token_use": "id",
                "custom:tenant_id": "acme", "iat": now, "exp": now + 600 })
    }

    #[test]
    fn a_valid_token_gives_its_claims() {
        let token = sign(claims(), "test-only", Algorithm::RS256);
        let got = verifier().verify(Some(&format!("Bearer {token}"))).unwrap();
        assert_eq!(got["custom:tenant_id"], "acme");
        assert!(
            verifier().verify(Some(&token)).is_ok(),
            "a bare token, as API Gateway accepts"
        );
        // Access tokens name the client in `client_id`.
        let mut access = claims();
        access.as_object_mut().unwrap().remove("aud");
        access["client_id"] = json!("client-1");
        assert!(verifier()
            .verify(Some(&sign(access, "test-only", Algorithm::RS256)))
            .is_ok());
    }

    #[test]
    fn every_bad_token_is_refused_with_its_reason() {
        let v = verifier();
        let with = |f: &dyn Fn(&mut Value)| {
            let mut c = claims();
            f(&mut c);
            sign(c, "test-only", Algorithm::RS256)
        };
        let now = chrono::Utc::now().timestamp();
        let cases: Vec<(String, &str)> = vec![
            (
                with(&|c| c["iss"] = json!("https://evil.example")),
                "another issuer",
            ),
            (
                with(&|c| {
                    c.as_object_mut().unwrap().remove("iss");
                }),
                "no iss claim",
            ),
            (
                with(&|c| c["aud"] = json!("other-client")),
                "another audience",
            ),
            (
                with(&|c| {
                    c.as_object_mut().unwrap().remove("aud");
                }),
                "another audience",
            ),
            (with(&|c| c["exp"] = json!(now - 60)), "expired"),
            (
                with(&|c| {
                    c.as_object_mut().unwrap().remove("exp");
                }),
                "no exp claim",
            ),
            (with(&|c| c["nbf"] = json!(now + 600)), "not valid yet"),
            (
                sign(claims(), "unknown-kid", Algorithm::RS256),
                "no key unknown-kid",
            ),
            (sign(claims(), "test-only", Algorithm::HS256), "RS256 only"),
            ("not.a.jwt".into(), "not a JWT"),
            ("Bearer ".into(), "no token after Bearer"),
            ("bearer  ".into(), "no token after Bearer"),
            ("  ".into(), "no Authorization header"),
        ];
        for (token, reason) in cases {
            let err = v.verify(Some(&token)).unwrap_err();
            assert!(err.contains(reason), "{err} should say {reason}");
        }
        // Another token's signature on these claims.
        let token = sign(claims(), "test-only", Algorithm::RS256);
        let other = with(&|c| c["sub"] = json!("s-2"));
        let (head_and_claims, _) = token.rsplit_once('.').unwrap();
        let (_, other_signature) = other.rsplit_once('.').unwrap();
        let forged = format!("{head_and_claims}.{other_signature}");
        assert_eq!(v.verify(Some(&forged)).unwrap_err(), "bad signature");
        assert_eq!(v.verify(None).unwrap_err(), "no Authorization header");
    }
}
