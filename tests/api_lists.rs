//! `GET /checkout-sessions` over HTTP (CONTRACT §7): every filter, every sort, the pagination
//! block at the page boundaries, and each bad parameter.
mod common;

use common::{Api, TestApp, plain_session};
use kassa::clock::Clock;
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::OffsetDateTime;

const DAY_MS: i64 = 86_400_000;

/// `dd/mm/yyyy` of the UTC day `days` after the one holding `millis`.
fn day(millis: i64, days: i64) -> String {
    let ms = millis + days * DAY_MS;
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .expect("a representable instant");
    format!("{:02}/{:02}/{:04}", t.day(), u8::from(t.month()), t.year())
}

async fn create(api: &Api, token: &str, amount: &str, duration: i64) -> String {
    api.create_id(&plain_session(
        token, "CLP", amount, duration, "owner-1", "acc-1",
    ))
    .await
}

/// `ids` sorted ascending, as the tie-breaker orders them.
fn sorted(ids: &[&String]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn v(ids: &[&String]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn rev(mut v: Vec<String>) -> Vec<String> {
    v.reverse();
    v
}

#[tokio::test]
async fn identity_id_and_account_number_filter_the_list() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let s1 = api
        .create_id(&plain_session("s1", "CLP", "100", 900, "alice", "111"))
        .await;
    app.clock.advance_seconds(1);
    let s2 = api
        .create_id(&plain_session(
            "s2",
            "CLP",
            "100",
            900,
            "merchant+1 x",
            "222",
        ))
        .await;
    app.clock.advance_seconds(1);
    let mut split = plain_session("s3", "CLP", "100", 900, "alice", "333");
    split["destinations"][0]["amount"] = json!("60");
    let mut second = split["destinations"][0].clone();
    second["amount"] = json!("40");
    second["account"]["accountNumber"] = json!("444");
    split["destinations"]
        .as_array_mut()
        .expect("destinations")
        .push(second);
    let s3 = api.create_id(&split).await;

    assert_eq!(api.list_ids("identityId=alice").await, v(&[&s3, &s1]));
    assert_eq!(api.list_ids("identityId=merchant%2B1%20x").await, v(&[&s2]));
    assert!(api.list_ids("identityId=carol").await.is_empty());
    assert_eq!(api.list_ids("accountNumber=111").await, v(&[&s1]));
    assert_eq!(api.list_ids("accountNumber=333").await, v(&[&s3]));
    assert_eq!(
        api.list_ids("accountNumber=444").await,
        v(&[&s3]),
        "any destination"
    );
    assert!(api.list_ids("accountNumber=999").await.is_empty());
    assert_eq!(
        api.list_ids("identityId=alice&accountNumber=111").await,
        v(&[&s1])
    );
    assert!(
        api.list_ids("identityId=alice&accountNumber=222")
            .await
            .is_empty()
    );
    let r = api.list("identityId=alice").await;
    assert_eq!(r.body["pagination"]["total"], 2);
}

#[tokio::test]
async fn status_filters_take_one_or_several_statuses_and_see_expiry_at_once() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let waiting = create(&api, "waiting", "100", 3000).await;
    app.clock.advance_seconds(1);
    let deleted = create(&api, "deleted", "100", 3000).await;
    let r = api.delete(&format!("/checkout-sessions/{deleted}")).await;
    assert_eq!(r.status, StatusCode::OK);
    app.clock.advance_seconds(1);
    let timed_out = create(&api, "timed-out", "100", 60).await;
    assert_eq!(
        api.list_ids("status=ATTEMPT").await,
        v(&[&timed_out, &waiting])
    );

    app.clock.advance_seconds(60);
    assert_eq!(api.list_ids("status=ATTEMPT").await, v(&[&waiting]));
    assert_eq!(
        api.list_ids("status=EXPIRED").await,
        v(&[&timed_out, &deleted])
    );
    let all = v(&[&timed_out, &deleted, &waiting]);
    assert_eq!(api.list_ids("status=ATTEMPT,EXPIRED").await, all);
    assert_eq!(api.list_ids("status=EXPIRED%2CATTEMPT").await, all);
    assert!(api.list_ids("status=FINISHED").await.is_empty());
    assert!(
        api.list_ids("status=ACTIVE,PROCESSING_PAYMENT,FAILED")
            .await
            .is_empty()
    );
    let r = api.list("status=EXPIRED").await;
    assert_eq!(r.body["pagination"]["total"], 2);
    for s in r.body["results"].as_array().expect("results") {
        assert_eq!(s["status"], "EXPIRED");
    }
}

#[tokio::test]
async fn start_and_end_dates_are_inclusive_whole_utc_days() {
    let app = TestApp::spawn().await;
    // Move to between 1 and 2 seconds before a UTC midnight, then create one session on each
    // side of it. Authenticate afterwards so the token is fresh.
    let now = app.clock.now().millis();
    let mut to_midnight = DAY_MS - now.rem_euclid(DAY_MS);
    if to_midnight < 2000 {
        to_midnight += DAY_MS;
    }
    app.clock.advance_seconds(to_midnight / 1000 - 1);
    let api = app.sandbox().await;
    let late = create(&api, "late", "100", 900).await;
    let late_ms = app.clock.now().millis();
    app.clock.advance_seconds(2);
    let early = create(&api, "early", "100", 900).await;
    assert_eq!(
        day(app.clock.now().millis(), 0),
        day(late_ms, 1),
        "straddles midnight"
    );

    let (yesterday, today, tomorrow, after) = (
        day(late_ms, -1),
        day(late_ms, 0),
        day(late_ms, 1),
        day(late_ms, 2),
    );
    let q = |start: &str, end: &str| {
        let mut parts = Vec::new();
        if !start.is_empty() {
            parts.push(format!("startDate={start}"));
        }
        if !end.is_empty() {
            parts.push(format!("endDate={end}"));
        }
        parts.join("&")
    };
    let none: Vec<String> = Vec::new();
    assert_eq!(api.list_ids(&q(&today, &today)).await, v(&[&late]));
    assert_eq!(api.list_ids(&q(&tomorrow, &tomorrow)).await, v(&[&early]));
    assert_eq!(
        api.list_ids(&q(&today, &tomorrow)).await,
        v(&[&early, &late])
    );
    assert_eq!(
        api.list_ids(&q(&yesterday, &after)).await,
        v(&[&early, &late])
    );
    assert_eq!(api.list_ids(&q(&yesterday, &yesterday)).await, none);
    assert_eq!(api.list_ids(&q(&after, "")).await, none);
    assert_eq!(api.list_ids(&q(&today, "")).await, v(&[&early, &late]));
    assert_eq!(api.list_ids(&q(&tomorrow, "")).await, v(&[&early]));
    assert_eq!(api.list_ids(&q("", &today)).await, v(&[&late]));
    assert_eq!(api.list_ids(&q("", &yesterday)).await, none);
}

#[tokio::test]
async fn every_sort_orders_by_its_field_in_both_directions() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    // created 1 s apart; expires at +3000, +61, +1202, +603; amounts 100, 9, 49990, 10.
    let s1 = create(&api, "s1", "100", 3000).await;
    app.clock.advance_seconds(1);
    let s2 = create(&api, "s2", "9", 60).await;
    app.clock.advance_seconds(1);
    let s3 = create(&api, "s3", "49990", 1200).await;
    app.clock.advance_seconds(1);
    let s4 = create(&api, "s4", "10", 600).await;
    let by_created = v(&[&s1, &s2, &s3, &s4]);
    let by_expires = v(&[&s2, &s4, &s3, &s1]);
    let by_amount = v(&[&s2, &s4, &s1, &s3]);
    for (field, asc) in [
        ("createdAt", &by_created),
        ("expiresAt", &by_expires),
        ("totalAmount", &by_amount),
    ] {
        let got = api.list_ids(&format!("sort={field}:asc")).await;
        assert_eq!(&got, asc, "{field}:asc");
        let got = api.list_ids(&format!("sort={field}:desc")).await;
        assert_eq!(got, rev(asc.clone()), "{field}:desc");
    }
    assert_eq!(
        api.list_ids("").await,
        rev(by_created),
        "default createdAt:desc"
    );

    // s3 deleted, s2 past its expiry: EXPIRED; s1 and s4 still ATTEMPT.
    let r = api.delete(&format!("/checkout-sessions/{s3}")).await;
    assert_eq!(r.status, StatusCode::OK);
    app.clock.advance_seconds(100);
    let attempt = sorted(&[&s1, &s4]);
    let expired = sorted(&[&s2, &s3]);
    let asc: Vec<String> = attempt.iter().chain(&expired).cloned().collect();
    assert_eq!(api.list_ids("sort=status:asc").await, asc);
    assert_eq!(api.list_ids("sort=status:desc").await, rev(asc));
}

#[tokio::test]
async fn ties_are_broken_by_id_in_the_sort_direction() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let a = create(&api, "tie-a", "500", 900).await;
    let b = create(&api, "tie-b", "500", 900).await;
    let c = create(&api, "tie-c", "500", 900).await;
    let asc = sorted(&[&a, &b, &c]);
    for field in ["createdAt", "expiresAt", "totalAmount", "status"] {
        assert_eq!(
            api.list_ids(&format!("sort={field}:asc")).await,
            asc,
            "{field}"
        );
        let desc = api.list_ids(&format!("sort={field}:desc")).await;
        assert_eq!(desc, rev(asc.clone()), "{field}:desc");
    }
    assert_eq!(api.list_ids("").await, rev(asc));
}

fn pagination(count: u64, next: u64, previous: u64, total: u64) -> Value {
    json!({"count": count, "next": next, "previous": previous, "total": total})
}

#[tokio::test]
async fn pagination_is_exact_on_the_first_middle_last_and_past_the_end_pages() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(create(&api, &format!("p{i}"), "100", 900).await);
        app.clock.advance_seconds(1);
    }
    ids.reverse(); // newest first, as listed by default
    let cases: [(&str, &[String], Value); 6] = [
        ("limit=2", &ids[0..2], pagination(2, 2, 0, 5)),
        ("limit=2&offset=2", &ids[2..4], pagination(4, 4, 0, 5)),
        ("limit=2&offset=4", &ids[4..5], pagination(5, 5, 2, 5)),
        ("limit=2&offset=10", &[], pagination(10, 5, 8, 5)),
        ("limit=1&offset=3", &ids[3..4], pagination(4, 4, 2, 5)),
        ("limit=100", &ids[..], pagination(5, 5, 0, 5)),
    ];
    for (query, want, block) in cases {
        let r = api.list(query).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
        assert_eq!(r.ids(), want, "{query}");
        assert_eq!(r.body["pagination"], block, "{query}");
    }
}

#[tokio::test]
async fn the_default_page_holds_fifty_and_limit_one_hundred_holds_more() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    for i in 0..51 {
        create(&api, &format!("many-{i}"), "100", 900).await;
    }
    let first = api.list("").await;
    assert_eq!(first.ids().len(), 50);
    assert_eq!(first.body["pagination"], pagination(50, 50, 0, 51));
    let rest = api.list("offset=50").await;
    assert_eq!(rest.ids().len(), 1);
    assert_eq!(rest.body["pagination"], pagination(51, 51, 0, 51));
    let all = api.list("limit=100").await;
    assert_eq!(all.ids().len(), 51);
    assert_eq!(all.body["pagination"], pagination(51, 51, 0, 51));
    let mut pages = first.ids();
    pages.extend(rest.ids());
    assert_eq!(pages, all.ids(), "pages concatenate to the full list");
    let one = api.list("limit=1").await;
    assert_eq!(one.ids().len(), 1);
    assert_eq!(one.body["pagination"], pagination(1, 1, 0, 51));
}

#[tokio::test]
async fn each_bad_parameter_is_400_code_11_naming_it() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    create(&api, "one", "100", 900).await;
    let cases = [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("sort=foo:asc", "sort"),
        ("sort=createdAt:up", "sort"),
        ("sort=createdAt", "sort"),
        ("status=NOPE", "status"),
        ("status=ATTEMPT,NOPE", "status"),
        ("startDate=2025-01-01", "startDate"),
        ("endDate=32/01/2025", "endDate"),
        ("startDate=02/04/2025&endDate=01/04/2025", "endDate"),
    ];
    for (query, param) in cases {
        let r = api.list(query).await;
        assert_eq!(r.status.as_u16(), 400, "{query}: {}", r.body);
        r.assert_error_at(400, "11", param);
    }
}
