//! Issuing access tokens and checking the credentials of every protected request.

use serde::{Deserialize, Serialize};

use crate::auth::credentials::{hash_api_key, verify_secret};
use crate::auth::jwt::{TOKEN_TTL_SECS, TokenError};
use crate::domain::environment::{Environment, Tenant};
use crate::domain::session_input::{FieldError, text};
use crate::service::Context;
use crate::service::error::{Error, Result};
use crate::store::ClientRecord;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthRequest {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
}

fn other_environment(env: Environment) -> Error {
    let (theirs, ours) = match env {
        Environment::Production => ("sandbox", "/sandbox"),
        Environment::Sandbox => ("production", ""),
    };
    Error::unauthorized(format!(
        "these credentials belong to the {theirs} environment; use the {ours}/… paths with them"
    ))
}

impl Context {
    async fn client_for_key(&self, env: Environment, api_key: &str) -> Result<ClientRecord> {
        let client = self
            .store
            .client_by_api_key_hash(&hash_api_key(api_key))
            .await?
            .ok_or_else(|| Error::unauthorized("the x-api-key is not valid"))?;
        if client.revoked_at.is_some() {
            return Err(Error::unauthorized("this API client has been revoked"));
        }
        if client.environment != env {
            return Err(other_environment(env));
        }
        Ok(client)
    }

    /// `POST /auth`: the API key picks the client, the secret proves it.
    pub async fn issue_token(
        &self,
        env: Environment,
        api_key: Option<&str>,
        req: AuthRequest,
    ) -> Result<AuthResponse> {
        let api_key =
            api_key.ok_or_else(|| Error::unauthorized("the x-api-key header is required"))?;
        let client_id = text("clientId", req.client_id).map_err(Error::from)?;
        let secret = req
            .client_secret
            .ok_or_else(|| Error::from(FieldError::missing("clientSecret")))?;
        let client = self.client_for_key(env, api_key).await?;
        // Verify the secret even when the id is wrong, so timing does not tell which was.
        let secret_ok = verify_secret(&secret, &client.secret_hash);
        if client.id != client_id || !secret_ok {
            return Err(Error::unauthorized(
                "clientId and clientSecret do not match the x-api-key's client",
            ));
        }
        Ok(AuthResponse {
            access_token: self.signer.issue(&client.id, env, self.clock.now()),
            token_type: "Bearer",
            expires_in: TOKEN_TTL_SECS,
        })
    }

    /// Every protected route: a valid token of this environment, and an API key of the same,
    /// still active client. The client row is read on every request so revocation is immediate.
    pub async fn authenticate(
        &self,
        env: Environment,
        api_key: &str,
        token: &str,
    ) -> Result<Tenant> {
        let claims = self
            .signer
            .verify(token, self.clock.now())
            .map_err(|e: TokenError| Error::unauthorized(e.to_string()))?;
        if claims.env != env.as_str() {
            return Err(other_environment(env));
        }
        let client = self.client_for_key(env, api_key).await?;
        if client.id != claims.sub {
            return Err(Error::unauthorized(
                "the access token and the x-api-key belong to different clients",
            ));
        }
        Ok(Tenant {
            client_id: client.id,
            environment: env,
        })
    }
}
