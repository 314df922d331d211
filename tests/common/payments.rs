//! Payment helpers: sandbox payment bodies and the calls that pay and read a session.
#![allow(dead_code)]

use serde_json::{Value, json};

use super::{Api, Reply, session_body};

/// A CARD payment in CLP with `number` (the sandbox decides the outcome by it).
pub fn card_payment(number: &str) -> Value {
    json!({"origins": [{"type": "CARD", "currency": "CLP", "card": {"pan": number, "holder": "Ana Pérez"}}]})
}

/// A PIX payment in BRL (stays PENDING until simulated).
pub fn pix_payment() -> Value {
    json!({"origins": [{"type": "PIX", "currency": "BRL", "pix": {"customer": {"firstName": "Ana"}}}]})
}

impl Api {
    /// Creates a session and returns its id.
    pub async fn new_session(&self, token: &str) -> String {
        let s = self.create_session(&session_body(token)).await;
        s["id"].as_str().unwrap_or_default().to_string()
    }

    pub async fn pay(&self, session_id: &str, body: &Value) -> Reply {
        self.post(&format!("/checkout-sessions/{session_id}/payments"), body)
            .await
    }

    pub async fn session_status(&self, session_id: &str) -> String {
        let r = self.get(&format!("/checkout-sessions/{session_id}")).await;
        r.body["status"].as_str().unwrap_or_default().to_string()
    }
}
