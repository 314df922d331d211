//! kassa: a self-hostable server for Conomy's Checkout Sessions API.
//!
//! The tree mirrors the architecture: `domain` holds the pure rules, `store` the persistence
//! behind one trait, `service` the use cases that tie them together, `http` the thin edge, and
//! `cli`/`config`/`app` the process around it.
#![forbid(unsafe_code)]

pub mod app;
pub mod auth;
pub mod checkout_page;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod http;
pub mod processor;
pub mod service;
pub mod store;
pub mod workers;
