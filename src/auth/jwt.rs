//! HS256 JSON Web Tokens, bound to a client and an environment.
//!
//! Written out rather than taken from a JWT crate: kassa needs exactly one algorithm, and the
//! common crates pull in RSA and elliptic-curve stacks for it. The rules that matter are here
//! and tested: the header must name HS256 (no `none`, no algorithm switching), the signature
//! is checked in constant time before the claims are read, and `exp` is enforced.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::domain::environment::Environment;
use crate::domain::time::Timestamp;

pub const TOKEN_TTL_SECS: i64 = 3600;
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    /// The client id.
    pub sub: String,
    /// `production` or `sandbox`: a token opens only its own environment's routes.
    pub env: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the access token is malformed")]
    Malformed,
    #[error("the access token's signature is not valid")]
    BadSignature,
    #[error("the access token has expired; request a new one from POST /auth")]
    Expired,
}

/// Signs and checks tokens with one shared key (every kassa process on a database uses the
/// same key, so a token from one is accepted by all).
#[derive(Clone)]
pub struct TokenSigner {
    key: Vec<u8>,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSigner([redacted])")
    }
}

impl TokenSigner {
    pub fn new(key: &[u8]) -> TokenSigner {
        TokenSigner { key: key.to_vec() }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!())
    }

    /// HMAC-SHA256 of `message` under the same key, for other values kassa hands out and checks
    /// back (the hosted page's CSRF tokens). Callers prefix `message` with their purpose
    /// (`"csrf:"`); a JWT signing input never contains `:`, so no value can pass for another.
    pub fn hmac(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.mac();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    pub fn issue(&self, client_id: &str, env: Environment, now: Timestamp) -> String {
        let claims = Claims {
            iss: "kassa".into(),
            sub: client_id.into(),
            env: env.as_str().into(),
            iat: now.unix_seconds(),
            exp: now.unix_seconds() + TOKEN_TTL_SECS,
            jti: uuid::Uuid::now_v7().simple().to_string(),
        };
        let payload = serde_json::to_vec(&claims).unwrap_or_default();
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(HEADER),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{sig}")
    }

    pub fn verify(&self, token: &str, now: Timestamp) -> Result<Claims, TokenError> {
        let mut parts = token.split('.');
        let (h, p, s) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(h), Some(p), Some(s), None) => (h, p, s),
            _ => return Err(TokenError::Malformed),
        };
        let header = URL_SAFE_NO_PAD
            .decode(h)
            .map_err(|_| TokenError::Malformed)?;
        let header: serde_json::Value =
            serde_json::from_slice(&header).map_err(|_| TokenError::Malformed)?;
        if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
            return Err(TokenError::Malformed);
        }
        let sig = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| TokenError::Malformed)?;
        let mut mac = self.mac();
        mac.update(h.as_bytes());
        mac.update(b".");
        mac.update(p.as_bytes());
        mac.verify_slice(&sig)
            .map_err(|_| TokenError::BadSignature)?;
        let payload = URL_SAFE_NO_PAD
            .decode(p)
            .map_err(|_| TokenError::Malformed)?;
        let claims: Claims = serde_json::from_slice(&payload).map_err(|_| TokenError::Malformed)?;
        if now.unix_seconds() >= claims.exp {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::from_millis(1_750_000_000_000);

    #[test]
    fn issued_tokens_verify_until_they_expire() {
        let signer = TokenSigner::new(b"k");
        let token = signer.issue("c1", Environment::Sandbox, NOW);
        let claims = signer.verify(&token, NOW).expect("fresh token verifies");
        assert_eq!(
            (claims.sub.as_str(), claims.env.as_str()),
            ("c1", "sandbox")
        );
        assert_eq!(claims.exp - claims.iat, 3600);
        let later = NOW.plus_seconds(3599);
        assert!(signer.verify(&token, later).is_ok());
        assert_eq!(
            signer.verify(&token, NOW.plus_seconds(3600)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn another_key_or_a_changed_payload_is_rejected() {
        let token = TokenSigner::new(b"k").issue("c1", Environment::Sandbox, NOW);
        assert_eq!(
            TokenSigner::new(b"other").verify(&token, NOW),
            Err(TokenError::BadSignature)
        );
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(
            r#"{"iss":"kassa","sub":"c2","env":"production","iat":0,"exp":99999999999,"jti":"x"}"#,
        );
        parts[1] = &forged;
        assert_eq!(
            TokenSigner::new(b"k").verify(&parts.join("."), NOW),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn alg_none_and_garbage_are_malformed() {
        let signer = TokenSigner::new(b"k");
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(r#"{"sub":"c1"}"#)
        );
        for bad in [none.as_str(), "", "a.b", "a.b.c.d", "!!.??.**"] {
            assert_eq!(signer.verify(bad, NOW), Err(TokenError::Malformed), "{bad}");
        }
    }

    /// A token signed independently (RFC 7515's HS256 procedure computed by hand with the
    /// `hmac` crate) verifies, so the format is standard JWT and not just self-consistent.
    #[test]
    fn verifies_a_token_built_by_the_rfc_procedure() {
        let key = b"secret-key";
        let h = URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"HS256"}"#);
        let p = URL_SAFE_NO_PAD.encode(
            r#"{"iss":"kassa","sub":"c9","env":"production","iat":1,"exp":99999999999,"jti":"j"}"#,
        );
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
        mac.update(format!("{h}.{p}").as_bytes());
        let s = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        let claims = TokenSigner::new(key)
            .verify(&format!("{h}.{p}.{s}"), NOW)
            .expect("standard token verifies");
        assert_eq!(claims.sub, "c9");
    }
}
