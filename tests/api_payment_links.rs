//! Payment links over HTTP: create, read, list with every filter, delete, activate, racing
//! writes, and tenant isolation. Sessions made from links are in `api_payment_link_sessions`.
mod common;

use common::links::{
    activate, create_link, instant, link_body, link_id, list, list_ids, session_from,
};
use common::{TestApp, session_body};
use kassa::domain::environment::Environment;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_created_link_has_the_payment_link_shape_and_reads_back_the_same() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let link = create_link(&api, &session_body("spring-sale")).await;
    assert_eq!(link["checkoutToken"], "spring-sale");
    assert_eq!(link["status"], "ATTEMPT");
    assert_eq!(link["currency"], "CLP");
    assert_eq!(link["preTaxAmount"], "42008");
    assert_eq!(link["totalAmount"], "49990");
    assert_eq!(link["items"][0]["tax"]["amount"], "7982");
    assert_eq!(link["paymentMethodsAllowed"], json!(["CARD", "PIX"]));
    assert_eq!(
        link["destinations"][0]["account"]["accountNumber"],
        "100200300"
    );
    assert_eq!(link["duration"], 900);
    assert_eq!(link["customerRequirements"], json!([]));
    assert_eq!(link["owner"]["identityId"], "merchant-1");
    assert_eq!(link["successUrl"], "https://shop.example/ok");
    assert_eq!(link["failedUrl"], "https://shop.example/failed");
    let created = instant(&link["createdAt"]);
    assert_eq!(created, app.ctx.clock.now());
    // The link's page: a random 256-bit token (43 base64url characters), nothing else.
    let url = link["url"].as_str().expect("url");
    let public = url.strip_prefix("http://pay.test/l/").expect("a /l/ url");
    assert_eq!(public.len(), 43, "{url}");
    assert!(!url.contains("spring-sale") && !url.contains(link["id"].as_str().unwrap_or("-")));
    assert!(
        link.get("paymentConfigs").is_none(),
        "links carry no payment configs"
    );

    let id = link["id"].as_str().expect("id");
    let read = api.get(&format!("/payment-links/{id}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body, link);
}

#[tokio::test]
async fn a_link_is_validated_exactly_as_a_session_is() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = session_body("bad-1");
    body["items"][0]["totalAmount"] = json!("49991");
    let r = api.post("/payment-links", &body).await;
    r.assert_error_at(400, "11", "items[0].totalAmount");
    assert!(r.detail().contains("49990"), "{}", r.detail());

    let mut body = session_body("bad-2");
    body.as_object_mut().map(|o| o.remove("owner"));
    api.post("/payment-links", &body)
        .await
        .assert_error_at(400, "12", "owner");

    let mut body = session_body("bad 3");
    body["duration"] = json!(10);
    api.post("/payment-links", &body)
        .await
        .assert_error_at(400, "11", "checkoutToken");
    let r = api.post("/payment-links", &json!([1])).await;
    r.assert_error(400, "14", "JSON object");
}

#[tokio::test]
async fn a_link_reads_expired_once_its_duration_has_passed() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = link_id(&api, "short").await;
    app.clock.advance_seconds(899);
    let r = api.get(&format!("/payment-links/{id}")).await;
    assert_eq!(r.body["status"], "ATTEMPT");
    app.clock.advance_seconds(1);
    let r = api.get(&format!("/payment-links/{id}")).await;
    assert_eq!(r.body["status"], "EXPIRED");
    assert_eq!(list_ids(&api, "status=EXPIRED").await, vec![id.clone()]);
    assert!(list_ids(&api, "status=ATTEMPT").await.is_empty());
}

#[tokio::test]
async fn the_list_is_newest_first_and_filters_by_every_parameter() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut ids = Vec::new();
    let specs = [
        ("l-0", "owner-a", "acc-1", Some("Ana@Shop.cl")),
        ("l-1", "owner-b", "acc-2", Some("bo@shop.cl")),
        ("l-2", "owner-a", "acc-2", None),
        ("l-3", "owner-c", "acc-3", Some("ana@shop.cl")),
    ];
    for (token, owner, account, email) in specs {
        let link = create_link(&api, &link_body(token, owner, account, email)).await;
        ids.push(link["id"].as_str().expect("id").to_string());
        app.clock.advance_seconds(1);
    }
    let [l0, l1, l2, l3] = [0, 1, 2, 3].map(|i| ids[i].as_str());
    assert_eq!(activate(&api, l1).await.status, StatusCode::OK);

    assert_eq!(list_ids(&api, "").await, [l3, l2, l1, l0]);
    assert_eq!(list_ids(&api, &format!("id={l0}")).await, [l0]);
    assert_eq!(
        list_ids(&api, &format!("id={l0},{l2},nope")).await,
        [l2, l0]
    );
    assert_eq!(list_ids(&api, "status=ACTIVE").await, [l1]);
    assert_eq!(list_ids(&api, "status=ATTEMPT").await, [l3, l2, l0]);
    assert_eq!(list_ids(&api, "status=ACTIVE,EXPIRED").await, [l1]);
    assert!(
        list_ids(&api, "status=FINISHED,PROCESSING_PAYMENT")
            .await
            .is_empty()
    );
    // A status that never expires binds no `now`; were one bound anyway, every later `?`
    // (LIMIT, OFFSET) would take the wrong value and this page would come back short.
    assert_eq!(
        list_ids(&api, "status=FINISHED,ATTEMPT").await,
        [l3, l2, l0]
    );
    assert_eq!(
        list_ids(&api, "destination.accountNumber=acc-2").await,
        [l2, l1]
    );
    assert_eq!(
        list_ids(&api, "destination.accountNumber=acc-1,acc-3").await,
        [l3, l0]
    );
    // Emails match without regard to case.
    assert_eq!(
        list_ids(&api, "customer.email=ana%40shop.cl").await,
        [l3, l0]
    );
    assert_eq!(list_ids(&api, "customer.email=BO%40SHOP.CL").await, [l1]);
    assert_eq!(list_ids(&api, "owner.identityId=owner-a").await, [l2, l0]);
    assert_eq!(
        list_ids(&api, "owner.identityId=owner-b,owner-c").await,
        [l3, l1]
    );
    // Filters combine with AND.
    let q = "owner.identityId=owner-a&destination.accountNumber=acc-2&status=ATTEMPT";
    assert_eq!(list_ids(&api, q).await, [l2]);
    assert!(
        list_ids(&api, "owner.identityId=owner-b&status=ATTEMPT")
            .await
            .is_empty()
    );

    let r = list(&api, "").await;
    let first = &r.body["results"][0];
    assert_eq!(first["checkoutToken"], "l-3");
    assert!(first["url"].as_str().is_some_and(|u| u.contains("/l/")));
}

#[tokio::test]
async fn the_limit_runs_from_zero_to_fifty_and_pagination_follows_the_contract() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(link_id(&api, &format!("page-{i}")).await);
        app.clock.advance_seconds(1);
    }
    let r = list(&api, "limit=0").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["results"], json!([]));
    assert_eq!(
        r.body["pagination"],
        json!({"count": 0, "next": 0, "previous": 0, "total": 3})
    );

    let r = list(&api, "").await;
    assert_eq!(
        r.body["pagination"],
        json!({"count": 3, "next": 3, "previous": 0, "total": 3})
    );
    let r = list(&api, "limit=50").await;
    assert_eq!(r.ids().len(), 3);

    let r = list(&api, "limit=2&offset=1").await;
    assert_eq!(r.ids(), [ids[1].as_str(), ids[0].as_str()]);
    assert_eq!(
        r.body["pagination"],
        json!({"count": 3, "next": 3, "previous": 0, "total": 3})
    );
    let r = list(&api, "limit=1&offset=5").await;
    assert_eq!(r.ids(), Vec::<String>::new());
    assert_eq!(
        r.body["pagination"],
        json!({"count": 5, "next": 3, "previous": 4, "total": 3})
    );

    list(&api, "limit=51")
        .await
        .assert_error_at(400, "11", "limit");
    list(&api, "limit=-1")
        .await
        .assert_error_at(400, "11", "limit");
    list(&api, "offset=-1")
        .await
        .assert_error_at(400, "11", "offset");
    list(&api, "status=DONE")
        .await
        .assert_error_at(400, "11", "status");
    list(&api, "status=ACTIVE,")
        .await
        .assert_error_at(400, "11", "status");
    list(&api, "id=").await.assert_error_at(400, "11", "id");
    let r = list(&api, "destination.accountNumber=").await;
    r.assert_error_at(400, "11", "destination.accountNumber");
    list(&api, "customer.email=")
        .await
        .assert_error_at(400, "11", "customer.email");
    list(&api, "owner.identityId=")
        .await
        .assert_error_at(400, "11", "owner.identityId");
}

#[tokio::test]
async fn deleting_a_link_answers_204_and_frees_its_checkout_token() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = link_id(&api, "to-delete").await;
    let r = api.delete(&format!("/payment-links/{id}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.body, Value::Null, "204 has no body");
    api.get(&format!("/payment-links/{id}"))
        .await
        .assert_error(404, "31", &id);
    api.delete(&format!("/payment-links/{id}"))
        .await
        .assert_error(404, "31", &id);
    assert!(list_ids(&api, "").await.is_empty());
    // The token is free again, for a session as for a link.
    api.create_session(&session_body("to-delete")).await;
    let r = api.post("/payment-links", &session_body("to-delete")).await;
    r.assert_error(409, "13", "checkoutToken");
}

#[tokio::test]
async fn an_active_link_cannot_be_deleted_until_it_has_expired() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = link_id(&api, "busy").await;
    assert_eq!(activate(&api, &id).await.status, StatusCode::OK);
    let r = api.delete(&format!("/payment-links/{id}")).await;
    r.assert_error(422, "21", "ACTIVE");
    assert_eq!(
        api.get(&format!("/payment-links/{id}")).await.body["status"],
        "ACTIVE"
    );
    app.clock.advance_seconds(900);
    let r = api.delete(&format!("/payment-links/{id}")).await;
    assert_eq!(
        r.status,
        StatusCode::NO_CONTENT,
        "an expired link goes: {}",
        r.body
    );
}

#[tokio::test]
async fn activate_moves_an_attempt_link_to_active_once() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = link_id(&api, "act").await;
    let r = activate(&api, &id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "ACTIVE");
    assert_eq!(r.body["id"], json!(id));
    assert_eq!(api.get(&format!("/payment-links/{id}")).await.body, r.body);
    activate(&api, &id).await.assert_error(422, "21", "ACTIVE");
    // An empty body is fine: upstream declares none.
    let id2 = link_id(&api, "act-2").await;
    let req = api.request(
        reqwest::Method::POST,
        &format!("/payment-links/{id2}/activate"),
    );
    assert_eq!(api.send(req).await.status, StatusCode::OK);

    let late = link_id(&api, "act-late").await;
    app.clock.advance_seconds(900);
    activate(&api, &late)
        .await
        .assert_error(422, "21", "EXPIRED");
    activate(&api, "no-such-link")
        .await
        .assert_error(404, "31", "no-such-link");
}

#[tokio::test]
async fn another_clients_links_are_not_found_anywhere() {
    let app = TestApp::spawn().await;
    let owner = app.sandbox().await;
    let id = link_id(&owner, "mine").await;
    let stranger = app.sandbox().await;

    stranger
        .get(&format!("/payment-links/{id}"))
        .await
        .assert_error(404, "31", &id);
    stranger
        .delete(&format!("/payment-links/{id}"))
        .await
        .assert_error(404, "31", &id);
    activate(&stranger, &id).await.assert_error(404, "31", &id);
    assert!(list_ids(&stranger, "").await.is_empty());
    assert!(list_ids(&stranger, &format!("id={id}")).await.is_empty());
    activate(&owner, &id).await;
    session_from(&stranger, "mine")
        .await
        .assert_error(404, "31", "mine");

    // A production client sees nothing of the sandbox.
    let live = app.api(Environment::Production).await;
    assert!(list_ids(&live, "").await.is_empty());
    live.get(&format!("/payment-links/{id}"))
        .await
        .assert_error(404, "31", &id);

    // The owner still has it, untouched.
    let r = owner.get(&format!("/payment-links/{id}")).await;
    assert_eq!(r.body["status"], "ACTIVE");
    assert_eq!(
        session_from(&owner, "mine").await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn racing_activations_and_deletes_have_exactly_one_winner() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let id = link_id(&api, "race").await;
    let (a, b, c, d) = tokio::join!(
        activate(&api, &id),
        activate(&api, &id),
        activate(&api, &id),
        activate(&api, &id)
    );
    let codes: Vec<u16> = [a, b, c, d].iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(codes.iter().filter(|&&s| s == 200).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|&s| s == 200 || s == 422), "{codes:?}");

    // Activate against delete: either the link is gone or it is ACTIVE and still there.
    let id = link_id(&api, "race-2").await;
    let path = format!("/payment-links/{id}");
    let (act, del) = tokio::join!(activate(&api, &id), api.delete(&path));
    let read = api.get(&path).await;
    match (act.status.as_u16(), del.status.as_u16()) {
        (200, 422) => assert_eq!(read.body["status"], "ACTIVE"),
        (404, 204) => assert_eq!(read.status, StatusCode::NOT_FOUND),
        other => panic!("unexpected outcome {other:?}: {} / {}", act.body, del.body),
    }
}
