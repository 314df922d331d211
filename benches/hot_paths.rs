//! Latency of the hot paths (create, read, list, auth check) through the real router and a
//! real SQLite file, without the network: `cargo bench --bench hot_paths`.
//!
//! It prints the median and 99th percentile per operation. Numbers are for comparing changes
//! on one machine, not absolute truths.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kassa::clock::{Clock, SystemClock};
use kassa::config::{Overrides, Settings};
use kassa::domain::environment::Environment;
use kassa::service::{clients, rates};
use serde_json::{Value, json};
use tower::ServiceExt;

const N: usize = 2000;

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pick = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    println!(
        "{name:<28} n={:<5} median={:>8.1?} p99={:>8.1?}",
        samples.len(),
        pick(0.5),
        pick(0.99)
    );
}

fn body(i: usize) -> Value {
    let mut v: Value =
        serde_json::from_str(include_str!("../tests/fixtures/session.json")).unwrap_or_default();
    v["checkoutToken"] = json!(format!("bench-{i}"));
    v
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let settings = Settings::load(
            None,
            Overrides {
                database_url: Some(url),
                ..Overrides::default()
            },
        )
        .expect("settings");
        let store = kassa::app::open_store(&settings).await.expect("store");
        rates::seed_demo_rates(store.as_ref(), SystemClock.now())
            .await
            .expect("rates");
        let ctx = Arc::new(
            kassa::app::context(&settings, store.clone(), Arc::new(SystemClock))
                .await
                .expect("ctx"),
        );
        let router = kassa::http::router(ctx.clone());
        let creds = clients::create_client(
            store.as_ref(),
            Environment::Sandbox,
            "bench",
            SystemClock.now(),
        )
        .await
        .expect("client");
        let token = ctx
            .signer
            .issue(&creds.client_id, Environment::Sandbox, SystemClock.now());
        let req = |method: &str, path: &str, body: Option<&Value>| {
            Request::builder()
                .method(method)
                .uri(path)
                .header("authorization", format!("Bearer {token}"))
                .header("x-api-key", &creds.api_key)
                .header("user-agent", "bench")
                .header("content-type", "application/json")
                .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
                .expect("request")
        };
        let mut ids = Vec::with_capacity(N);
        let mut create = Vec::with_capacity(N);
        for i in 0..N {
            let b = body(i);
            let start = Instant::now();
            let resp = router
                .clone()
                .oneshot(req("POST", "/sandbox/checkout-sessions", Some(&b)))
                .await
                .expect("create");
            create.push(start.elapsed());
            assert_eq!(resp.status(), StatusCode::CREATED);
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .unwrap_or_default();
            let v: Value = serde_json::from_slice(&bytes).unwrap_or_default();
            ids.push(v["id"].as_str().unwrap_or_default().to_string());
        }
        summary("POST /checkout-sessions", create);
        let mut read = Vec::with_capacity(N);
        for id in &ids {
            let start = Instant::now();
            let resp = router
                .clone()
                .oneshot(req(
                    "GET",
                    &format!("/sandbox/checkout-sessions/{id}"),
                    None,
                ))
                .await
                .expect("read");
            let _ = axum::body::to_bytes(resp.into_body(), usize::MAX).await;
            read.push(start.elapsed());
        }
        summary("GET /checkout-sessions/{id}", read);
        for (name, q) in [
            ("GET list (default, 50)", "/sandbox/checkout-sessions"),
            (
                "GET list status=ATTEMPT",
                "/sandbox/checkout-sessions?status=ATTEMPT&limit=50",
            ),
            (
                "GET list sort=totalAmount",
                "/sandbox/checkout-sessions?sort=totalAmount:asc&limit=50",
            ),
            (
                "GET list accountNumber",
                "/sandbox/checkout-sessions?accountNumber=100200300&limit=50",
            ),
        ] {
            let mut list = Vec::with_capacity(200);
            for _ in 0..200 {
                let start = Instant::now();
                let resp = router
                    .clone()
                    .oneshot(req("GET", q, None))
                    .await
                    .expect("list");
                let _ = axum::body::to_bytes(resp.into_body(), usize::MAX).await;
                list.push(start.elapsed());
            }
            summary(name, list);
        }
    });
}
