//! Pure types and rules: no I/O, no clock, no database. Everything here is unit-tested alone.

pub mod card;
pub mod checkout_token;
pub mod currency;
pub mod customer_field;
pub(crate) mod decimal;
pub mod demo_rates;
pub mod environment;
pub mod lifecycle;
pub mod link_query;
pub mod list_query;
pub mod money;
pub mod new_session;
pub mod payment;
pub mod payment_config;
pub mod payment_link;
pub mod payment_method;
pub mod payment_record;
pub mod payment_request;
pub mod rate;
pub mod redirect_url;
pub mod session;
pub mod session_input;
pub mod status;
pub mod tax;
pub mod time;
