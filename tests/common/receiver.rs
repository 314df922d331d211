//! A real HTTP webhook receiver on loopback: records every request and fails the first
//! `fail_first` of them with a 500, as a flaky merchant endpoint would.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }

    pub fn event(&self) -> String {
        self.json()["event"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

#[derive(Default)]
struct Inner {
    fail_first: usize,
    seen: usize,
    received: Vec<Received>,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

async fn hook(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let mut i = inner.lock().unwrap_or_else(|p| p.into_inner());
    i.seen += 1;
    if i.seen <= i.fail_first {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    i.received.push(Received {
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    StatusCode::OK
}

impl Receiver {
    /// Listens on `addr` ("127.0.0.1:0" for any free port).
    pub async fn start_on(addr: &str, fail_first: usize) -> Receiver {
        let inner = Arc::new(Mutex::new(Inner {
            fail_first,
            ..Inner::default()
        }));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .expect("receiver binds");
        let port = listener.local_addr().expect("addr").port();
        let app = Router::new()
            .route("/hook", post(hook))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://127.0.0.1:{port}/hook"),
            inner,
        }
    }

    pub async fn start(fail_first: usize) -> Receiver {
        Self::start_on("127.0.0.1:0", fail_first).await
    }

    /// Every delivery answered 2xx, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        self.inner
            .lock()
            .map(|i| i.received.clone())
            .unwrap_or_default()
    }

    /// Requests seen, failed ones included.
    pub fn seen(&self) -> usize {
        self.inner.lock().map(|i| i.seen).unwrap_or_default()
    }
}

/// Checks the three signatures of a delivery against `secret` (CONTRACT §8), computing them
/// here from the raw body rather than with kassa's code.
pub fn verify(r: &Received, secret: &str) -> bool {
    use hmac::{Hmac, Mac};
    let mac = |msg: &[u8]| {
        let mut m =
            <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("any key");
        m.update(msg);
        hex::encode(m.finalize().into_bytes())
    };
    // The body is {"event":…,"data":…,"signature":"…"}: what is signed is the same text with
    // the signature member cut off.
    let Some(cut) = r.body.rfind(",\"signature\":\"") else {
        return false;
    };
    let unsigned = format!("{}}}", &r.body[..cut]);
    let body_sig = r.json()["signature"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let raw = mac(r.body.as_bytes());
    let t = r.header("x-webhook-timestamp");
    let v2 = mac(format!("{t}.{}", r.body).as_bytes());
    let header_ok = r.header("x-webhook-signature").split(',').any(|s| s == raw);
    let v2_ok = r
        .header("x-webhook-signature-v2")
        .split(',')
        .any(|part| part == format!("v1={v2}"));
    let t_ok = r
        .header("x-webhook-signature-v2")
        .starts_with(&format!("t={t},"));
    body_sig == mac(unsigned.as_bytes()) && header_ok && v2_ok && t_ok
}

/// Whether the headers carry a signature by `secret` (during a roll, by either secret).
pub fn verify_headers(r: &Received, secret: &str) -> bool {
    use hmac::{Hmac, Mac};
    let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("any key");
    m.update(r.body.as_bytes());
    let raw = hex::encode(m.finalize().into_bytes());
    r.header("x-webhook-signature").split(',').any(|s| s == raw)
}
