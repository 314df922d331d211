//! Credentials and access tokens: how a client proves who it is (CONTRACT §1).

pub mod credentials;
pub mod jwt;
