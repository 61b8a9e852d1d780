//! The control API under `/__fake/`, used over HTTP as C and Python tests use it.

mod common;

use common::{agent, delete, exchange, get, post_json, post_raw, query_param};
use fake_stripe::FakeStripe;
use serde_json::json;

#[test]
fn config_lists_credentials_and_base_url() {
    let fake = FakeStripe::start().unwrap();

    let reply = get(&agent(), &fake.url("/__fake/config"));

    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    let body = reply.json();
    let platform = fake.platform();
    assert_eq!(body["base_url"], fake.base_url());
    assert_eq!(body["client_id"], platform.client_id);
    assert_eq!(body["test_secret_key"], platform.test_secret_key);
    assert_eq!(body["live_secret_key"], platform.live_secret_key);
    assert_eq!(body["test_restricted_key"], platform.test_restricted_key);
    assert_eq!(body["test_publishable_key"], platform.test_publishable_key);
    assert_eq!(body["live_publishable_key"], platform.live_publishable_key);
    assert_eq!(body["redirect_uris"], json!(platform.redirect_uris));
    assert_eq!(
        body["other_platform"]["client_id"],
        fake.other_platform().client_id
    );
    assert_eq!(reply.body, fake.announcement_json());
}

#[test]
fn codes_endpoint_issues_exchangeable_code() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();

    let reply = post_json(
        &agent,
        &fake.url("/__fake/codes"),
        &json!({"scope": "read_write", "state": "S1", "stripe_user": {"email": "a@b.c"}}),
    );

    assert_eq!(reply.status, 200);
    let body = reply.json();
    let location = body["location"].as_str().unwrap();
    let code = body["code"].as_str().unwrap();
    assert_eq!(query_param(location, "code").as_deref(), Some(code));
    assert_eq!(body["state"], "S1");
    assert_eq!(body["scope"], "read_write");
    let token = exchange(&agent, &fake, &fake.platform().test_secret_key, code);
    assert_eq!(token.json()["stripe_user_id"], body["stripe_user_id"]);
}

#[test]
fn codes_endpoint_with_empty_body_approves_standard() {
    let fake = FakeStripe::start().unwrap();

    let reply = post_raw(&agent(), &fake.url("/__fake/codes"), &[], "");

    assert_eq!(reply.status, 200);
    assert!(reply.json()["code"].as_str().unwrap().starts_with("ac_"));
}

#[test]
fn codes_endpoint_accepts_authorize_url_and_deny() {
    let fake = FakeStripe::start().unwrap();
    let authorize_url = format!(
        "{}/express/oauth/authorize?response_type=code&client_id={}&state=S9",
        fake.base_url(),
        fake.platform().client_id
    );

    let reply = post_json(
        &agent(),
        &fake.url("/__fake/codes"),
        &json!({"authorize_url": authorize_url, "decision": "deny"}),
    );

    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(body["code"], serde_json::Value::Null);
    assert_eq!(
        body["location"],
        "http://127.0.0.1:8080/callback?error=access_denied\
         &error_description=The%20user%20denied%20your%20request&state=S9"
    );
}

#[test]
fn codes_endpoint_reports_authorize_errors() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();

    let bad_scope = post_json(&agent, &fake.url("/__fake/codes"), &json!({"scope": "all"}));
    let unknown_field = post_json(&agent, &fake.url("/__fake/codes"), &json!({"scopes": "x"}));
    let both = post_json(
        &agent,
        &fake.url("/__fake/codes"),
        &json!({"authorize_url": "/oauth/authorize?response_type=code", "state": "S1"}),
    );

    assert_eq!(bad_scope.status, 400);
    assert_eq!(bad_scope.oauth_error().0, "invalid_scope");
    assert_eq!(unknown_field.status, 400);
    assert_eq!(both.status, 400);
}

#[test]
fn requests_are_recorded_with_headers_and_body() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    let code = common::standard_code(&fake);
    exchange(&agent, &fake, &key, &code);

    let reply = get(&agent, &fake.url("/__fake/requests?path=/oauth/token"));

    let requests = reply.json()["requests"].as_array().unwrap().clone();
    assert_eq!(requests.len(), 1);
    let recorded = &requests[0];
    assert_eq!(recorded["method"], "POST");
    assert_eq!(recorded["path"], "/oauth/token");
    assert_eq!(
        recorded["body"],
        format!("grant_type=authorization_code&code={code}")
    );
    assert_eq!(recorded["status"], 200);
    assert_eq!(recorded["fault"], serde_json::Value::Null);
    let authorization: Vec<&serde_json::Value> = recorded["headers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|pair| {
            pair[0]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case("authorization")
        })
        .collect();
    assert_eq!(authorization.len(), 1);
    assert_eq!(authorization[0][1], common::basic(&key));
    let received = recorded["received_at_us"].as_u64().unwrap();
    let responded = recorded["responded_at_us"].as_u64().unwrap();
    assert!(responded >= received);
}

#[test]
fn control_requests_are_not_recorded() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    get(&agent, &fake.url("/__fake/config"));
    get(&agent, &fake.url("/oauth/authorize"));

    let requests = fake.requests();

    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/oauth/authorize");
    assert_eq!(requests[0].status, Some(400));
}

#[test]
fn recorded_request_debug_hides_secrets() {
    let fake = FakeStripe::start().unwrap();
    let key = fake.platform().test_secret_key;
    let code = common::standard_code(&fake);
    exchange(&agent(), &fake, &key, &code);

    let debug = format!("{:?}", fake.requests());

    assert!(!debug.contains(&key));
    assert!(!debug.contains(&code));
    assert!(!debug.contains("Basic "));
}

#[test]
fn delete_requests_clears_records() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    get(&agent, &fake.url("/oauth/authorize"));

    let reply = delete(&agent, &fake.url("/__fake/requests"));

    assert_eq!(reply.status, 200);
    assert!(fake.requests().is_empty());
}

#[test]
fn faults_endpoint_queues_lists_and_clears() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();

    let queued = post_json(
        &agent,
        &fake.url("/__fake/faults"),
        &json!({"path": "/oauth/token", "fault": {"kind": "empty_body", "status": 503}, "times": 2}),
    );
    let listed = get(&agent, &fake.url("/__fake/faults"));
    let cleared = delete(&agent, &fake.url("/__fake/faults"));

    assert_eq!(queued.status, 200);
    assert_eq!(queued.json(), json!({"queued": 2}));
    assert_eq!(
        listed.json()["faults"],
        json!([
            {"path": "/oauth/token", "fault": {"kind": "empty_body", "status": 503}},
            {"path": "/oauth/token", "fault": {"kind": "empty_body", "status": 503}},
        ])
    );
    assert_eq!(cleared.status, 200);
    assert!(fake.pending_faults().is_empty());
}

#[test]
fn invalid_faults_are_rejected() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let url = fake.url("/__fake/faults");

    let cases = [
        json!({"path": "/oauth/token", "fault": {"kind": "explode"}}),
        json!({"path": "/oauth/token", "fault": {"kind": "response", "status": 99}}),
        json!({"path": "/oauth/token", "fault": {"kind": "redirect", "location": "not a url"}}),
        json!({"path": "/oauth/token", "fault": {"kind": "response", "status": 200,
               "headers": [["X-A", "a\r\nX-B: b"]]}}),
        json!({"path": "oauth/token", "fault": {"kind": "html_502"}}),
        json!({"path": "/__fake/reset", "fault": {"kind": "html_502"}}),
        json!({"path": "/oauth/token", "fault": {"kind": "html_502"}, "times": 0}),
    ];
    for case in cases {
        let reply = post_json(&agent, &url, &case);

        assert_eq!(reply.status, 400, "{case}");
        assert_eq!(reply.oauth_error().0, "invalid_request", "{case}");
    }
    assert!(fake.pending_faults().is_empty());
}

#[test]
fn clock_advance_expires_codes() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let code = common::standard_code(&fake);

    let before = get(&agent, &fake.url("/__fake/clock")).json();
    let advanced = post_json(
        &agent,
        &fake.url("/__fake/clock/advance"),
        &json!({"seconds": 301}),
    )
    .json();
    let token = exchange(&agent, &fake, &fake.platform().test_secret_key, &code);

    assert_eq!(before["offset_seconds"], 0);
    assert_eq!(advanced["offset_seconds"], 301);
    assert!(advanced["now"].as_u64().unwrap() >= before["now"].as_u64().unwrap() + 301);
    assert_eq!(token.oauth_error().1, "Authorization code expired");
}

#[test]
fn reset_clears_state() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let code = common::standard_code(&fake);
    get(&agent, &fake.url("/oauth/authorize"));
    fake.queue_fault("/oauth/token", fake_stripe::Fault::Html502)
        .unwrap();
    fake.advance_clock(std::time::Duration::from_secs(10));

    let reply = post_raw(&agent, &fake.url("/__fake/reset"), &[], "");
    let token = exchange(&agent, &fake, &fake.platform().test_secret_key, &code);

    assert_eq!(reply.json(), json!({"reset": true}));
    assert_eq!(fake.clock_offset(), std::time::Duration::ZERO);
    assert_eq!(
        token.oauth_error().1,
        format!("Authorization code does not exist: {code}")
    );
    assert_eq!(
        fake.requests().len(),
        1,
        "only the exchange after the reset"
    );
    assert!(fake.accounts().is_empty());
}

#[test]
fn redirect_uris_endpoint_registers_uri() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();

    let reply = post_json(
        &agent,
        &fake.url("/__fake/redirect_uris"),
        &json!({"redirect_uri": "http://127.0.0.1:9090/callback"}),
    );
    let invalid = post_json(
        &agent,
        &fake.url("/__fake/redirect_uris"),
        &json!({"redirect_uri": "ftp://127.0.0.1/callback"}),
    );

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json()["redirect_uris"]
            .as_array()
            .unwrap()
            .last()
            .unwrap(),
        "http://127.0.0.1:9090/callback"
    );
    assert_eq!(invalid.status, 400);
    assert!(
        fake.platform()
            .redirect_uris
            .contains(&"http://127.0.0.1:9090/callback".to_owned())
    );
}

#[test]
fn accounts_endpoint_lists_connected_accounts() {
    let fake = FakeStripe::start().unwrap();
    let obtained = fake
        .obtain_code(&fake_stripe::CodeRequest {
            suggested_capabilities: vec!["transfers".to_owned()],
            ..fake_stripe::CodeRequest::express()
        })
        .unwrap();

    let reply = get(&agent(), &fake.url("/__fake/accounts"));

    assert_eq!(
        reply.json(),
        json!({"accounts": [{
            "stripe_user_id": obtained.stripe_user_id,
            "client_id": fake.platform().client_id,
            "account_type": "express",
            "connected": true,
            "capabilities": ["transfers"],
        }]})
    );
}

#[test]
fn unknown_control_endpoint_and_method() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();

    let unknown = get(&agent, &fake.url("/__fake/nothing"));
    let wrong_method = get(&agent, &fake.url("/__fake/reset"));
    let bad_json = post_raw(&agent, &fake.url("/__fake/faults"), &[], "{not json");

    assert_eq!(unknown.status, 404);
    assert_eq!(wrong_method.status, 405);
    assert_eq!(bad_json.status, 400);
}
