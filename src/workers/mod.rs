//! Background jobs that run inside `kassa serve`. Each exposes a `run_once` that tests drive
//! step by step with an injected clock, and a loop that `serve` spawns.

pub mod expiry;
pub mod webhooks;
