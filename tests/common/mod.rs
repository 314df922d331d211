//! The test harness: a whole kassa (real router, real store, real socket on port 0) per test,
//! with a clock the test can move, and an HTTP client that speaks to it like an integrator.
#![allow(dead_code)]

pub mod binary;
pub mod db;
pub mod links;
pub mod payments;
pub mod receiver;

#[allow(unused_imports)]
pub use payments::{card_payment, pix_payment};

use std::sync::Arc;

use kassa::auth::credentials::Credentials;
use kassa::clock::{Clock, ManualClock, SystemClock};
use kassa::config::{Overrides, Settings};
use kassa::domain::environment::Environment;
use kassa::service::{Context, clients, rates};
use kassa::store::DynStore;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub clock: ManualClock,
    pub ctx: Arc<Context>,
    pub store: DynStore,
    pub db: db::TestDb,
}

/// One API client of one environment, with a fresh access token.
pub struct Api {
    pub base: String,
    pub prefix: &'static str,
    pub http: reqwest::Client,
    pub creds: Credentials,
    pub token: String,
}

/// A response: status, headers and the JSON body (Null when the body is not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The contract's error `detail`, or "" when there is none.
    pub fn detail(&self) -> &str {
        self.body["detail"].as_str().unwrap_or("")
    }

    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// Asserts the contract's error body: status, code, and `detail` containing `needle`.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str, needle: &str) {
        assert_eq!(self.status.as_u16(), status, "status; body: {}", self.body);
        assert_eq!(self.code(), code, "code; body: {}", self.body);
        assert_eq!(
            self.body["statusCode"],
            json!(status),
            "statusCode; body: {}",
            self.body
        );
        assert_eq!(
            self.body["message"], self.body["detail"],
            "message mirrors detail"
        );
        assert!(self.body["traceId"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(
            self.detail().contains(needle),
            "detail {:?} should mention {needle:?}",
            self.detail()
        );
    }
}

pub async fn reply(resp: reqwest::Response) -> Reply {
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.unwrap_or_default();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Spawns with settings adjusted by `tweak` (limits, public URL…).
    pub async fn spawn_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let db = db::TestDb::fresh().await;
        // One line per test, so a log shows which backend each test ran on.
        eprintln!("backend: {}", db.backend);
        let mut settings = Settings::load(
            None,
            Overrides {
                database_url: Some(db.url.clone()),
                public_url: Some("http://pay.test".into()),
                ..Overrides::default()
            },
        )
        .expect("settings");
        tweak(&mut settings);
        let store = kassa::app::open_store(&settings)
            .await
            .expect("store opens");
        let clock = ManualClock::new(SystemClock.now());
        rates::seed_demo_rates(store.as_ref(), clock.now())
            .await
            .expect("demo rates");
        let ctx = Arc::new(
            kassa::app::context(&settings, store.clone(), Arc::new(clock.clone()))
                .await
                .expect("context"),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let router = kassa::http::router(ctx.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        TestApp {
            base: format!("http://{addr}"),
            http: reqwest::Client::new(),
            clock,
            ctx,
            store,
            db,
        }
    }

    pub async fn credentials(&self, env: Environment) -> Credentials {
        clients::create_client(self.store.as_ref(), env, "test client", self.clock.now())
            .await
            .expect("client created")
    }

    /// A new client of `env` that has already exchanged its credentials for a token.
    pub async fn api(&self, env: Environment) -> Api {
        let creds = self.credentials(env).await;
        let prefix = env.path_prefix();
        let r = self
            .auth(
                prefix,
                &creds.api_key,
                &creds.client_id,
                &creds.client_secret,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "auth failed: {}", r.body);
        Api {
            base: self.base.clone(),
            prefix,
            http: self.http.clone(),
            token: r.body["accessToken"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            creds,
        }
    }

    pub async fn sandbox(&self) -> Api {
        self.api(Environment::Sandbox).await
    }

    pub async fn auth(&self, prefix: &str, key: &str, id: &str, secret: &str) -> Reply {
        let resp = self
            .http
            .post(format!("{}{prefix}/auth", self.base))
            .header("x-api-key", key)
            .json(&json!({"clientId": id, "clientSecret": secret}))
            .send()
            .await
            .expect("request sent");
        reply(resp).await
    }
}

impl Api {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}{}", self.base, self.prefix, path)
    }

    /// A request with every credential the contract asks for.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(&self.token)
            .header("x-api-key", &self.creds.api_key)
            .header("user-agent", "kassa-tests")
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        reply(req.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(self.request(reqwest::Method::DELETE, path)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(self.request(reqwest::Method::POST, path).json(body))
            .await
    }

    /// Creates a session and asserts the 201.
    pub async fn create_session(&self, body: &Value) -> Value {
        let r = self.post("/checkout-sessions", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "create failed: {}", r.body);
        r.body
    }
}

/// A valid CLP session: one item with 19% VAT (42008 + 7982 = 49990), CARD and PIX.
pub fn session_body(token: &str) -> Value {
    json!({
        "checkoutToken": token,
        "currency": "CLP",
        "items": [{
            "description": "Café de grano 1kg",
            "preTaxAmount": "42008",
            "tax": {"name": "IVA", "type": "PERCENTAGE", "value": "19", "amount": "7982"},
            "totalAmount": "49990"
        }],
        "paymentMethodsAllowed": ["CARD", "PIX"],
        "destinations": [{
            "type": "ACCOUNT",
            "amount": "49990",
            "account": {"type": "CHECKING", "currency": "CLP", "accountNumber": "100200300",
                        "accountHolder": "Tostaduría Sur SpA"}
        }],
        "duration": 900,
        "owner": {"identityId": "merchant-1"},
        "successUrl": "https://shop.example/ok",
        "failedUrl": "https://shop.example/failed"
    })
}

impl Reply {
    /// Asserts the contract's error body and that `detail` starts with the JSON path or
    /// parameter `path` followed by a space, so a message about a neighbour cannot pass.
    #[track_caller]
    pub fn assert_error_at(&self, status: u16, code: &str, path: &str) {
        self.assert_error(status, code, path);
        assert!(
            self.detail().starts_with(&format!("{path} ")),
            "detail {:?} should start with {path:?}",
            self.detail()
        );
    }

    /// The ids of a list reply's `results`, in order.
    pub fn ids(&self) -> Vec<String> {
        self.body["results"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    .filter_map(|r| r["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    /// Gives `api` a fresh access token (for tests that move the clock past its hour).
    pub async fn reauth(&self, api: &mut Api) {
        let c = &api.creds;
        let r = self
            .auth(api.prefix, &c.api_key, &c.client_id, &c.client_secret)
            .await;
        assert_eq!(r.status, StatusCode::OK, "auth failed: {}", r.body);
        api.token = r.body["accessToken"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
}

impl Api {
    /// `GET /checkout-sessions?{query}`, asserting nothing.
    pub async fn list(&self, query: &str) -> Reply {
        self.get(&format!("/checkout-sessions?{query}")).await
    }

    /// The ids `GET /checkout-sessions?{query}` answers, asserting the 200.
    pub async fn list_ids(&self, query: &str) -> Vec<String> {
        let r = self.list(query).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "list {query:?} failed: {}",
            r.body
        );
        r.ids()
    }

    /// Creates a session and returns its id.
    pub async fn create_id(&self, body: &Value) -> String {
        let created = self.create_session(body).await;
        created["id"].as_str().expect("id").to_string()
    }
}

/// A valid session with one untaxed item of `amount` in `currency`, paid into one account
/// (`account`) and owned by `owner`; CARD only unless the caller changes it.
pub fn plain_session(
    token: &str,
    currency: &str,
    amount: &str,
    duration: i64,
    owner: &str,
    account: &str,
) -> Value {
    json!({
        "checkoutToken": token,
        "currency": currency,
        "items": [{"description": "Item", "preTaxAmount": amount, "totalAmount": amount}],
        "paymentMethodsAllowed": ["CARD"],
        "destinations": [{
            "type": "ACCOUNT",
            "amount": amount,
            "account": {"type": "CHECKING", "currency": currency, "accountNumber": account,
                        "accountHolder": "Holder"}
        }],
        "duration": duration,
        "owner": {"identityId": owner}
    })
}

impl TestApp {
    pub fn clock_now_ms(&self) -> i64 {
        self.clock.now().millis()
    }
}

impl Api {
    /// `POST /checkout-sessions` with a raw body, declared as JSON.
    pub async fn post_raw(&self, body: impl Into<reqwest::Body>) -> Reply {
        let req = self
            .request(reqwest::Method::POST, "/checkout-sessions")
            .header("content-type", "application/json")
            .body(body);
        self.send(req).await
    }

    /// Asserts that this client has no session: nothing of a refused request was written.
    pub async fn assert_no_sessions(&self) {
        let r = self.list("").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            r.body["pagination"]["total"], 0,
            "a refused create left a session behind"
        );
        assert_eq!(r.body["results"], json!([]));
    }
}

/// `session_body("order-v")` with the value at JSON pointer `at` replaced, or removed when
/// `value` is `None`.
pub fn session_body_with(at: &str, value: Option<Value>) -> Value {
    let mut body = session_body("order-v");
    let (parent, key) = at.rsplit_once('/').expect("a pointer");
    let target = body.pointer_mut(parent).expect("parent exists");
    match (target, value) {
        (Value::Object(map), Some(v)) => {
            map.insert(key.to_string(), v);
        }
        (Value::Object(map), None) => {
            map.remove(key);
        }
        (Value::Array(items), Some(v)) => {
            items[key.parse::<usize>().expect("index")] = v;
        }
        (other, _) => panic!("cannot edit {at} in {other}"),
    }
    body
}
