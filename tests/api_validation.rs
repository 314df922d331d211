//! What `POST /checkout-sessions` refuses (CONTRACT §2–5): bodies that are not JSON or not the
//! right types (14), missing fields (12) and wrong values (11); and that a refused request
//! writes nothing.
mod common;

use common::{TestApp, session_body, session_body_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn bodies_that_are_not_a_json_object_are_400_code_14() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    for raw in [
        r#"{"checkoutToken": "x","#,
        "not json",
        "",
        "[]",
        r#"[{"checkoutToken": "x"}]"#,
        r#""string""#,
        "null",
    ] {
        let r = api.post_raw(raw).await;
        assert_eq!(r.code(), "14", "{raw:?}: {}", r.body);
        r.assert_error(400, "14", "");
    }
    api.assert_no_sessions().await;
}

#[tokio::test]
async fn a_valid_body_followed_by_trailing_garbage_is_400_code_14() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    for tail in [" trailing", " {}", "]"] {
        let raw = format!("{}{tail}", session_body("order-tail"));
        let r = api.post_raw(raw).await;
        assert_eq!(r.status.as_u16(), 400, "tail {tail:?}: {}", r.body);
        r.assert_error(400, "14", "JSON");
    }
    api.assert_no_sessions().await;
}

#[tokio::test]
async fn wrong_json_types_are_400_code_14_naming_the_path() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let cases = [
        (
            "/items/0/preTaxAmount",
            json!(42008),
            "items[0].preTaxAmount",
        ),
        ("/items/0/tax/amount", json!(7982), "items[0].tax.amount"),
        (
            "/destinations/0/amount",
            json!(49990.0),
            "destinations[0].amount",
        ),
        ("/duration", json!("900"), "duration"),
        ("/items", json!({}), "items"),
        (
            "/paymentMethodsAllowed",
            json!("CARD"),
            "paymentMethodsAllowed",
        ),
        ("/owner", json!("merchant-1"), "owner"),
        ("/owner/identityId", json!(7), "owner.identityId"),
    ];
    for (at, value, path) in cases {
        let r = api
            .post("/checkout-sessions", &session_body_with(at, Some(value)))
            .await;
        assert_eq!(r.code(), "14", "{at}: {}", r.body);
        r.assert_error(400, "14", path);
    }
    api.assert_no_sessions().await;
}

#[tokio::test]
async fn each_required_field_missing_is_400_code_12_naming_it() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let cases = [
        ("/checkoutToken", "checkoutToken"),
        ("/items", "items"),
        ("/currency", "currency"),
        ("/paymentMethodsAllowed", "paymentMethodsAllowed"),
        ("/destinations", "destinations"),
        ("/duration", "duration"),
        ("/owner", "owner"),
        ("/owner/identityId", "owner.identityId"),
        ("/items/0/description", "items[0].description"),
        ("/items/0/preTaxAmount", "items[0].preTaxAmount"),
        ("/items/0/totalAmount", "items[0].totalAmount"),
        ("/items/0/tax/amount", "items[0].tax.amount"),
        ("/destinations/0/amount", "destinations[0].amount"),
        ("/destinations/0/account", "destinations[0].account"),
        (
            "/destinations/0/account/accountNumber",
            "destinations[0].account.accountNumber",
        ),
        (
            "/destinations/0/account/currency",
            "destinations[0].account.currency",
        ),
    ];
    for (at, path) in cases {
        let r = api
            .post("/checkout-sessions", &session_body_with(at, None))
            .await;
        assert_eq!(r.code(), "12", "without {at}: {}", r.body);
        r.assert_error_at(400, "12", path);
        // null is as absent as a missing key.
        let r = api
            .post(
                "/checkout-sessions",
                &session_body_with(at, Some(Value::Null)),
            )
            .await;
        r.assert_error_at(400, "12", path);
    }
    api.assert_no_sessions().await;
}

#[tokio::test]
async fn out_of_range_values_are_400_code_11_naming_them() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let cases = [
        ("/duration", json!(29), "duration"),
        ("/duration", json!(2_592_001), "duration"),
        ("/duration", json!(30.5), "duration"),
        ("/duration", json!(-900), "duration"),
        ("/items", json!([]), "items"),
        ("/destinations", json!([]), "destinations"),
        ("/paymentMethodsAllowed", json!([]), "paymentMethodsAllowed"),
        (
            "/paymentMethodsAllowed",
            json!(["WIRE"]),
            "paymentMethodsAllowed[0]",
        ),
        (
            "/paymentMethodsAllowed",
            json!(["CARD", "SEPA"]),
            "paymentMethodsAllowed[1]",
        ),
        (
            "/paymentMethodsAllowed",
            json!(["CARD", "card"]),
            "paymentMethodsAllowed[1]",
        ),
        ("/currency", json!("XYZ"), "currency"),
        ("/currency", json!("clp"), "currency"),
        (
            "/items",
            json!([
                {"description": "A", "preTaxAmount": "9".repeat(24), "totalAmount": "9".repeat(24)},
                {"description": "B", "preTaxAmount": "9".repeat(24), "totalAmount": "9".repeat(24)}
            ]),
            "items",
        ),
        ("/successUrl", json!("not a url"), "successUrl"),
        ("/successUrl", json!("/relative/ok"), "successUrl"),
        ("/failedUrl", json!("ftp://x"), "failedUrl"),
        ("/failedUrl", json!("javascript:alert(1)"), "failedUrl"),
        ("/checkoutToken", json!("has space"), "checkoutToken"),
        ("/checkoutToken", json!("a".repeat(129)), "checkoutToken"),
        ("/checkoutToken", json!(""), "checkoutToken"),
        ("/owner/role", json!("admin"), "owner.role"),
        ("/owner/identityId", json!("   "), "owner.identityId"),
        (
            "/items/0/description",
            json!("x".repeat(1001)),
            "items[0].description",
        ),
        (
            "/destinations/0/type",
            json!("CARD"),
            "destinations[0].type",
        ),
        (
            "/destinations/0/account/type",
            json!("WALLET"),
            "destinations[0].account.type",
        ),
        (
            "/customerRequirements",
            json!(["firstName", "shoeSize"]),
            "customerRequirements[1]",
        ),
    ];
    for (at, value, path) in cases {
        let r = api
            .post(
                "/checkout-sessions",
                &session_body_with(at, Some(value.clone())),
            )
            .await;
        assert_eq!(r.code(), "11", "{at} = {value}: {}", r.body);
        r.assert_error_at(400, "11", path);
    }
    api.assert_no_sessions().await;
}

#[tokio::test]
async fn values_on_the_boundaries_are_accepted() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let cases = [
        ("/duration", json!(30)),
        ("/duration", json!(2_592_000)),
        ("/checkoutToken", json!("A".repeat(128))),
        ("/checkoutToken", json!("a.b_c-D9")),
        ("/successUrl", json!("http://localhost:3000/ok?x=1")),
        ("/items/0/description", json!("x".repeat(1000))),
    ];
    for (i, (at, value)) in cases.into_iter().enumerate() {
        let mut body = session_body_with(at, Some(value.clone()));
        if at != "/checkoutToken" {
            body["checkoutToken"] = json!(format!("edge-{i}"));
        }
        let r = api.post("/checkout-sessions", &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{at} = {value}: {}", r.body);
    }
}
