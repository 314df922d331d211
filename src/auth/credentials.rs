//! Client credentials: generated once, shown once, stored only as hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::domain::environment::Environment;
use crate::domain::time::Timestamp;
use crate::store::ClientRecord;

/// What the operator is shown once and kassa never stores.
#[derive(Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    pub client_id: String,
    pub client_secret: String,
    pub api_key: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("api_key", &"[redacted]")
            .finish()
    }
}

/// `bytes` of OS randomness, URL-safe base64 without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// A new client and its one-time credentials. The secret is hashed with argon2id (slow on
/// purpose: it is checked once per token); the API key with SHA-256 (it is 256 random bits and
/// is checked on every request, so a slow hash would only cost latency, not add safety).
pub fn new_client(
    env: Environment,
    name: &str,
    now: Timestamp,
) -> Result<(ClientRecord, Credentials), argon2::password_hash::Error> {
    let tag = match env {
        Environment::Production => "live",
        Environment::Sandbox => "test",
    };
    let creds = Credentials {
        client_id: uuid::Uuid::now_v7().to_string(),
        client_secret: format!("sk_{tag}_{}", random_token(32)),
        api_key: format!("ak_{tag}_{}", random_token(32)),
    };
    let record = ClientRecord {
        id: creds.client_id.clone(),
        name: name.to_string(),
        environment: env,
        secret_hash: hash_secret(&creds.client_secret)?,
        api_key_hash: hash_api_key(&creds.api_key),
        created_at: now,
        revoked_at: None,
    };
    Ok((record, creds))
}

pub fn hash_api_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

pub fn hash_secret(secret: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(secret.as_bytes(), &salt)?
        .to_string())
}

/// Constant-time by construction: argon2 recomputes the hash and compares it in full.
pub fn verify_secret(secret: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_clients_store_hashes_not_secrets() {
        let (rec, creds) = new_client(Environment::Sandbox, "shop", Timestamp::from_millis(0))
            .expect("hashing works");
        assert!(creds.client_secret.starts_with("sk_test_"));
        assert!(creds.api_key.starts_with("ak_test_"));
        assert!(!rec.secret_hash.contains(&creds.client_secret));
        assert!(rec.secret_hash.starts_with("$argon2id$"));
        assert_eq!(rec.api_key_hash, hash_api_key(&creds.api_key));
        assert!(verify_secret(&creds.client_secret, &rec.secret_hash));
        assert!(!verify_secret("sk_test_wrong", &rec.secret_hash));
        assert!(!verify_secret(&creds.client_secret, "not a phc string"));
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let (_, creds) = new_client(Environment::Production, "shop", Timestamp::from_millis(0))
            .expect("hashing works");
        let shown = format!("{creds:?}");
        assert!(!shown.contains(&creds.client_secret) && !shown.contains(&creds.api_key));
    }
}
