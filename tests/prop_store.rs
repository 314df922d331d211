//! Property: an amount the rules reject never reaches the store, and one they accept is stored
//! exactly as its canonical form. Random strings go through the real service and SQLite.
mod common;

use common::{TestApp, session_body};
use kassa::domain::currency::Currency;
use kassa::domain::environment::{Environment, Tenant};
use kassa::domain::money::Money;
use kassa::domain::session_input::CreateSessionRequest;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn amount_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,6}",
        "[0-9]{1,26}",
        "[0-9]{1,4}\\.[0-9]{0,3}",
        "[-+ .,e0-9]{0,8}",
        ".{0,6}",
    ]
}

#[test]
fn a_rejected_amount_never_reaches_the_store() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let app = rt.block_on(TestApp::spawn());
    let creds = rt.block_on(app.credentials(Environment::Sandbox));
    let tenant = Tenant {
        client_id: creds.client_id,
        environment: Environment::Sandbox,
    };
    let mut runner = TestRunner::new(Config {
        cases: 200,
        ..Config::default()
    });
    let n = std::sync::atomic::AtomicU32::new(0);
    runner
        .run(&amount_strategy(), |amount| {
            let token = format!(
                "prop-{}",
                n.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            );
            let mut body = session_body(&token);
            // No tax: totalAmount equals preTaxAmount, and the destination takes it all.
            body["items"][0].as_object_mut().map(|i| i.remove("tax"));
            body["items"][0]["preTaxAmount"] = amount.clone().into();
            body["items"][0]["totalAmount"] = amount.clone().into();
            body["destinations"][0]["amount"] = amount.clone().into();
            let req: CreateSessionRequest = serde_json::from_value(body).expect("request shape");
            let created = rt.block_on(app.ctx.create_session(&tenant, req));
            let stored = rt
                .block_on(app.store.session_by_token(&tenant, &token))
                .expect("store readable");
            match (Money::parse(&amount, Currency::Clp), created) {
                (Ok(m), Ok(_)) if !m.is_zero() => {
                    let s = stored.expect("an accepted session is stored");
                    prop_assert_eq!(&s.body.total_amount, &m.to_string());
                }
                (_, Ok(s)) => {
                    prop_assert!(false, "{amount:?} was accepted as {}", s.body.total_amount)
                }
                (_, Err(e)) => {
                    prop_assert!(
                        stored.is_none(),
                        "{amount:?} was rejected ({}) yet stored",
                        e.detail
                    );
                }
            }
            Ok(())
        })
        .expect("property holds");
}
