//! The `kassa` command line: `serve`, `migrate`, `clients …` and `rates …`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::app;
use crate::clock::{Clock, SystemClock};
use crate::config::{Overrides, Settings};
use crate::domain::environment::{Environment, Tenant};
use crate::service::{clients, rates, webhooks};

#[derive(Parser)]
#[command(
    name = "kassa",
    version,
    about = "A self-hostable checkout-sessions server"
)]
pub struct Cli {
    /// Optional TOML file with the same settings (command line and KASSA_* win over it).
    #[arg(long, env = "KASSA_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DB
    /// [default: sqlite://kassa.db].
    #[arg(
        long,
        env = "KASSA_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the hosted checkout page.
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Manage API clients.
    #[command(subcommand)]
    Clients(ClientsCommand),
    /// Manage exchange rates.
    #[command(subcommand)]
    Rates(RatesCommand),
    /// Manage webhook endpoints.
    #[command(subcommand)]
    Webhooks(WebhooksCommand),
}

#[derive(Subcommand)]
enum WebhooksCommand {
    /// Set where a client's events are sent; prints the signing secret when one is made.
    Set {
        #[arg(long)]
        client: String,
        url: String,
        /// Make a new signing secret; the old one keeps signing beside it for 24 h.
        #[arg(long)]
        roll_secret: bool,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "KASSA_LISTEN")]
    listen: Option<String>,
    /// Base URL of the hosted page links [default: http://LISTEN].
    #[arg(long, env = "KASSA_PUBLIC_URL")]
    public_url: Option<String>,
    /// Key that signs access tokens; must be equal on every process sharing a database
    /// [default: generated once and kept in the database].
    #[arg(long, env = "KASSA_SIGNING_KEY", hide_env_values = true)]
    signing_key: Option<String>,
    /// Bearer token of the admin API (rates); the admin API is off without it.
    #[arg(long, env = "KASSA_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Database connections per process [default: 8].
    #[arg(long, env = "KASSA_POOL_SIZE")]
    pool_size: Option<u32>,
    /// PostgreSQL: cancel any statement running longer than this many ms (0: never)
    /// [default: 5000].
    #[arg(long, env = "KASSA_STATEMENT_TIMEOUT_MS")]
    statement_timeout_ms: Option<u64>,
    /// Let production webhooks reach private and loopback addresses [default: refused].
    #[arg(long, env = "KASSA_WEBHOOK_ALLOW_PRIVATE_TARGETS")]
    webhook_allow_private_targets: Option<bool>,
}

#[derive(Clone, Copy, ValueEnum)]
enum EnvArg {
    Sandbox,
    Production,
}

impl From<EnvArg> for Environment {
    fn from(e: EnvArg) -> Environment {
        match e {
            EnvArg::Sandbox => Environment::Sandbox,
            EnvArg::Production => Environment::Production,
        }
    }
}

#[derive(Subcommand)]
enum ClientsCommand {
    /// Create a client and print its credentials (shown this once only).
    Create {
        #[arg(long, value_enum)]
        environment: EnvArg,
        #[arg(long)]
        name: String,
        /// Print a JSON object {clientId, clientSecret, apiKey}.
        #[arg(long)]
        json: bool,
    },
    /// List clients (never their secrets).
    List,
    /// Revoke a client: its tokens and key stop working at once.
    Revoke { id: String },
}

#[derive(Subcommand)]
enum RatesCommand {
    /// Set a rate: one FROM unit is worth RATE units of TO.
    Set {
        from: String,
        to: String,
        rate: String,
        #[arg(long, value_enum, default_value = "production")]
        environment: EnvArg,
    },
    /// List rates.
    List {
        #[arg(long, value_enum)]
        environment: Option<EnvArg>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("kassa: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kassa: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KASSA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn run(cli: Cli) -> Result<(), String> {
    let mut overrides = Overrides {
        database_url: cli.database_url,
        ..Overrides::default()
    };
    if let Command::Serve(a) = &cli.command {
        overrides.listen = a.listen.clone();
        overrides.public_url = a.public_url.clone();
        overrides.signing_key = a.signing_key.clone();
        overrides.admin_token = a.admin_token.clone();
        overrides.pool_size = a.pool_size;
        overrides.statement_timeout_ms = a.statement_timeout_ms;
        overrides.webhook_allow_private_targets = a.webhook_allow_private_targets;
    }
    let settings = Settings::load(cli.config.as_deref(), overrides)?;
    if let Command::Serve(_) = cli.command {
        return app::serve(settings).await;
    }
    let store = app::open_store(&settings).await?;
    let now = SystemClock.now();
    match cli.command {
        Command::Serve(_) => Ok(()),
        Command::Migrate => {
            println!(
                "database {} is up to date",
                crate::store::db_url::redact(&settings.database_url)
            );
            Ok(())
        }
        Command::Clients(ClientsCommand::Create {
            environment,
            name,
            json,
        }) => {
            let creds = clients::create_client(store.as_ref(), environment.into(), &name, now)
                .await
                .map_err(|e| e.detail)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&creds).map_err(|e| e.to_string())?
                );
            } else {
                println!("clientId:     {}", creds.client_id);
                println!("clientSecret: {}", creds.client_secret);
                println!("apiKey:       {}", creds.api_key);
                println!("Keep the secret and the key now: kassa stores only their hashes.");
            }
            Ok(())
        }
        Command::Clients(ClientsCommand::List) => {
            let all = store.list_clients().await.map_err(|e| e.to_string())?;
            println!(
                "{:<38} {:<11} {:<8} {:<26} NAME",
                "ID", "ENV", "STATUS", "CREATED"
            );
            for c in all {
                let status = if c.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{:<38} {:<11} {:<8} {:<26} {}",
                    c.id,
                    c.environment.as_str(),
                    status,
                    c.created_at.to_rfc3339(),
                    c.name
                );
            }
            Ok(())
        }
        Command::Clients(ClientsCommand::Revoke { id }) => {
            if store
                .revoke_client(&id, now)
                .await
                .map_err(|e| e.to_string())?
            {
                println!("client {id} is revoked");
                Ok(())
            } else {
                Err(format!("no client with id {id}"))
            }
        }
        Command::Rates(RatesCommand::Set {
            from,
            to,
            rate,
            environment,
        }) => {
            let r = rates::set_rate(store.as_ref(), environment.into(), &from, &to, &rate, now)
                .await
                .map_err(|e| e.detail)?;
            println!("{} 1 {} = {} {}", r.environment, r.from, r.rate, r.to);
            Ok(())
        }
        Command::Webhooks(WebhooksCommand::Set {
            client,
            url,
            roll_secret,
        }) => {
            let all = store.list_clients().await.map_err(|e| e.to_string())?;
            let c = all
                .into_iter()
                .find(|c| c.id == client)
                .ok_or_else(|| format!("no client with id {client}"))?;
            let tenant = Tenant {
                client_id: c.id,
                environment: c.environment,
            };
            let (e, secret) =
                webhooks::set_endpoint(store.as_ref(), &tenant, &url, roll_secret, now)
                    .await
                    .map_err(|e| e.detail)?;
            println!(
                "{} webhooks of client {} go to {}",
                tenant.environment.as_str(),
                tenant.client_id,
                e.url
            );
            if let Some(s) = secret {
                println!("signing secret (shown once): {s}");
            }
            Ok(())
        }
        Command::Rates(RatesCommand::List { environment }) => {
            let all = store
                .list_rates(environment.map(Into::into))
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{:<11} {:<5} {:<5} {:<24} UPDATED",
                "ENV", "FROM", "TO", "RATE"
            );
            for r in all {
                println!(
                    "{:<11} {:<5} {:<5} {:<24} {}",
                    r.environment.as_str(),
                    r.from,
                    r.to,
                    r.rate,
                    r.updated_at
                );
            }
            Ok(())
        }
    }
}
