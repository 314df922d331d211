//! Starting kassa: open the store, settle the shared signing key, bootstrap a fresh database,
//! and serve until told to stop.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::auth::credentials::{Credentials, random_token};
use crate::auth::jwt::TokenSigner;
use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::domain::environment::Environment;
use crate::http;
use crate::processor::sandbox::SandboxProcessor;
use crate::service::{Context, Processors, clients, rates};
use crate::store::{self, DynStore};
use crate::workers;

pub type AppResult<T> = Result<T, String>;

pub async fn open_store(settings: &Settings) -> AppResult<DynStore> {
    store::open_with(&settings.database_url, &settings.store_options())
        .await
        .map_err(|e| {
            let url = store::db_url::redact(&settings.database_url);
            format!("cannot open database {url}: {e}")
        })
}

/// Once per database: the sandbox's fictional demo rates; and, when the database has no API
/// client at all, one sandbox client whose credentials are returned to be printed once.
/// Settings rows make each happen once even when several processes start together.
pub async fn bootstrap(store: &DynStore, clock: &dyn Clock) -> AppResult<Option<Credentials>> {
    let err = |e: crate::store::StoreError| e.to_string();
    let now = clock.now();
    let marker = random_token(16);
    if store
        .setting_or_init("demo_rates_seeded", &marker)
        .await
        .map_err(err)?
        == marker
    {
        rates::seed_demo_rates(store.as_ref(), now)
            .await
            .map_err(|e| e.detail)?;
    }
    let marker = random_token(16);
    let won = store
        .setting_or_init("bootstrapped", &marker)
        .await
        .map_err(err)?
        == marker;
    if !won || store.count_clients().await.map_err(err)? > 0 {
        return Ok(None);
    }
    let creds = clients::create_client(
        store.as_ref(),
        Environment::Sandbox,
        "default sandbox client",
        now,
    )
    .await
    .map_err(|e| e.detail)?;
    Ok(Some(creds))
}

pub async fn context(
    settings: &Settings,
    store: DynStore,
    clock: Arc<dyn Clock>,
) -> AppResult<Context> {
    // Without a configured key, the first process generates one and stores it, so that every
    // process on this database signs and accepts the same tokens.
    let key = match &settings.signing_key {
        Some(k) => k.clone(),
        None => store
            .setting_or_init("token_signing_key", &random_token(32))
            .await
            .map_err(|e| format!("cannot read the token signing key: {e}"))?,
    };
    Ok(Context {
        store,
        signer: TokenSigner::new(key.as_bytes()),
        clock,
        public_url: settings.public_url.clone(),
        limits: settings.limits.clone(),
        processors: Processors {
            sandbox: Arc::new(SandboxProcessor),
            production: None,
        },
        admin_token: settings.admin_token.clone(),
    })
}

/// `kassa serve`.
pub async fn serve(settings: Settings) -> AppResult<()> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let store = open_store(&settings).await?;
    if let Some(creds) = bootstrap(&store, clock.as_ref()).await? {
        print_first_client(&creds);
    }
    let ctx = Arc::new(context(&settings, store.clone(), clock).await?);
    workers::expiry::spawn(ctx.clone(), Duration::from_secs(1));
    let sender = workers::webhooks::Sender::new(!settings.webhook_allow_private_targets)
        .map_err(|e| format!("cannot build the webhook HTTP client: {e}"))?;
    workers::webhooks::spawn(ctx.clone(), Arc::new(sender), Duration::from_millis(500));
    let listener = TcpListener::bind(&settings.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", settings.listen))?;
    let addr: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, backend = store.backend(), public_url = %settings.public_url, "kassa is serving");
    println!(
        "kassa listening on http://{addr} ({} store)",
        store.backend()
    );
    axum::serve(listener, http::router(ctx))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

fn print_first_client(creds: &Credentials) {
    println!("A fresh database: created a sandbox API client. These credentials are shown once:");
    println!("  clientId:     {}", creds.client_id);
    println!("  clientSecret: {}", creds.client_secret);
    println!("  apiKey:       {}", creds.api_key);
    println!("Create more with `kassa clients create`.");
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
