//! `POST /oauth/token` and `POST /oauth/deauthorize` over real sockets.

mod common;

use std::time::Duration;

use common::{agent, basic, exchange, post_form, post_raw, standard_code};
use fake_stripe::{CODE_LIFETIME, CodeRequest, FakeStripe};

const REUSED: &str = "This authorization code has already been used. All tokens issued with this \
                      code have been revoked.";

fn refresh(
    agent: &ureq::Agent,
    fake: &FakeStripe,
    key: &str,
    refresh_token: &str,
    scope: Option<&str>,
) -> common::Reply {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    post_form(agent, &fake.url("/oauth/token"), Some(key), &form)
}

#[test]
fn standard_code_exchange_returns_tokens() {
    let fake = FakeStripe::start().unwrap();
    let code = standard_code(&fake);

    let reply = exchange(&agent(), &fake, &fake.platform().test_secret_key, &code);

    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    let body = reply.json();
    assert!(
        body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("sk_test_")
    );
    assert!(body["refresh_token"].as_str().unwrap().starts_with("rt_"));
    assert!(
        body["stripe_publishable_key"]
            .as_str()
            .unwrap()
            .starts_with("pk_test_")
    );
    assert!(
        body["stripe_user_id"]
            .as_str()
            .unwrap()
            .starts_with("acct_")
    );
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["livemode"], false);
    assert_eq!(body["scope"], "read_write");
}

#[test]
fn standard_scope_defaults_to_read_only() {
    let fake = FakeStripe::start().unwrap();
    let code = fake.obtain_code(&CodeRequest::standard()).unwrap();

    let reply = exchange(
        &agent(),
        &fake,
        &fake.platform().test_secret_key,
        code.expect_code(),
    );

    assert_eq!(reply.json()["scope"], "read_only");
}

#[test]
fn express_exchange_has_express_scope_and_capabilities() {
    let fake = FakeStripe::start().unwrap();
    let code = fake
        .obtain_code(&CodeRequest {
            suggested_capabilities: vec!["card_payments".to_owned(), "transfers".to_owned()],
            ..CodeRequest::express()
        })
        .unwrap();

    let reply = post_form(
        &agent(),
        &fake.url("/oauth/token"),
        Some(&fake.platform().test_secret_key),
        &[
            ("grant_type", "authorization_code"),
            ("code", code.expect_code()),
            ("assert_capabilities[]", "card_payments"),
            ("assert_capabilities[]", "transfers"),
        ],
    );

    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(body["scope"], "express");
    assert_eq!(
        body["capabilities"],
        serde_json::json!(["card_payments", "transfers"])
    );
    assert_eq!(
        body["stripe_user_id"].as_str(),
        code.stripe_user_id.as_deref()
    );
}

#[test]
fn failed_capability_assertion_is_invalid_request() {
    let fake = FakeStripe::start().unwrap();
    let code = fake
        .obtain_code(&CodeRequest {
            suggested_capabilities: vec!["transfers".to_owned()],
            ..CodeRequest::express()
        })
        .unwrap();
    let key = fake.platform().test_secret_key;
    let agent = agent();

    let failed = post_form(
        &agent,
        &fake.url("/oauth/token"),
        Some(&key),
        &[
            ("grant_type", "authorization_code"),
            ("code", code.expect_code()),
            ("assert_capabilities[]", "card_payments"),
        ],
    );
    let retried = exchange(&agent, &fake, &key, code.expect_code());

    assert_eq!(failed.status, 400);
    assert_eq!(failed.oauth_error().0, "invalid_request");
    assert!(failed.oauth_error().1.contains("card_payments"));
    assert_eq!(
        retried.status, 200,
        "a failed assertion leaves the code unused"
    );
    assert!(retried.json().get("capabilities").is_none());
}

#[test]
fn reused_code_is_rejected_and_revokes_tokens() {
    let fake = FakeStripe::start().unwrap();
    let key = fake.platform().test_secret_key;
    let agent = agent();
    let code = standard_code(&fake);
    let first = exchange(&agent, &fake, &key, &code);
    let refresh_token = first.json()["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        refresh(&agent, &fake, &key, &refresh_token, None).status,
        200
    );

    let second = exchange(&agent, &fake, &key, &code);
    let refreshed = refresh(&agent, &fake, &key, &refresh_token, None);

    assert_eq!(second.status, 400);
    assert_eq!(
        second.oauth_error(),
        ("invalid_grant".to_owned(), REUSED.to_owned())
    );
    assert_eq!(refreshed.status, 400);
    assert_eq!(refreshed.oauth_error().0, "invalid_grant");
}

#[test]
fn invalid_codes_have_distinct_descriptions() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    let live_key = fake.platform().live_secret_key;
    let other_key = fake.other_platform().test_secret_key;

    let unknown = exchange(&agent, &fake, &key, "ac_doesnotexist");
    let other_platform = exchange(&agent, &fake, &other_key, &standard_code(&fake));
    let wrong_mode = exchange(&agent, &fake, &live_key, &standard_code(&fake));
    let expiring = standard_code(&fake);
    fake.advance_clock(CODE_LIFETIME + Duration::from_secs(1));
    let expired = exchange(&agent, &fake, &key, &expiring);

    let descriptions = [
        (
            unknown,
            "Authorization code does not exist: ac_doesnotexist",
        ),
        (
            other_platform,
            "Authorization code provided does not belong to you",
        ),
        (
            wrong_mode,
            "Passed in livemode API key but authorization code only supports returning test keys",
        ),
        (expired, "Authorization code expired"),
    ];
    for (reply, description) in descriptions {
        assert_eq!(reply.status, 400, "{description}");
        assert_eq!(
            reply.oauth_error(),
            ("invalid_grant".to_owned(), description.to_owned())
        );
    }
}

#[test]
fn code_is_valid_until_five_minutes() {
    let fake = FakeStripe::start().unwrap();
    let code = standard_code(&fake);

    fake.advance_clock(CODE_LIFETIME - Duration::from_secs(2));
    let reply = exchange(&agent(), &fake, &fake.platform().test_secret_key, &code);

    assert_eq!(reply.status, 200);
}

#[test]
fn live_code_with_test_key_returns_test_tokens() {
    let fake = FakeStripe::start().unwrap();
    let code = fake
        .obtain_code(&CodeRequest {
            livemode: true,
            ..CodeRequest::standard()
        })
        .unwrap();

    let reply = exchange(
        &agent(),
        &fake,
        &fake.platform().test_secret_key,
        code.expect_code(),
    );

    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["livemode"], false);
}

#[test]
fn live_code_with_live_key_returns_live_tokens() {
    let fake = FakeStripe::start().unwrap();
    let code = fake
        .obtain_code(&CodeRequest {
            livemode: true,
            ..CodeRequest::standard()
        })
        .unwrap();

    let reply = exchange(
        &agent(),
        &fake,
        &fake.platform().live_secret_key,
        code.expect_code(),
    );

    let body = reply.json();
    assert_eq!(body["livemode"], true);
    assert!(
        body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("sk_live_")
    );
    assert!(
        body["stripe_publishable_key"]
            .as_str()
            .unwrap()
            .starts_with("pk_live_")
    );
}

#[test]
fn every_credential_form_is_accepted() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    let restricted = fake.platform().test_restricted_key;

    let basic_reply = exchange(&agent, &fake, &key, &standard_code(&fake));
    let restricted_reply = exchange(&agent, &fake, &restricted, &standard_code(&fake));
    let bearer_reply = post_raw(
        &agent,
        &fake.url("/oauth/token"),
        &[
            ("Authorization", &format!("Bearer {key}")),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        &format!(
            "grant_type=authorization_code&code={}",
            standard_code(&fake)
        ),
    );
    let form_reply = post_form(
        &agent,
        &fake.url("/oauth/token"),
        None,
        &[
            ("client_secret", &key),
            ("grant_type", "authorization_code"),
            ("code", &standard_code(&fake)),
        ],
    );

    assert_eq!(basic_reply.status, 200);
    assert_eq!(restricted_reply.status, 200);
    assert_eq!(bearer_reply.status, 200);
    assert_eq!(form_reply.status, 200);
}

#[test]
fn credential_errors_have_matching_status() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    let code = standard_code(&fake);
    let grant = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
    ];
    let token_url = fake.url("/oauth/token");

    let missing = post_form(&agent, &token_url, None, &grant);
    let unknown = post_form(&agent, &token_url, Some("sk_test_unknown"), &grant);
    let publishable = post_form(
        &agent,
        &token_url,
        Some(&fake.platform().test_publishable_key),
        &grant,
    );
    let empty_user = post_form(&agent, &token_url, Some(""), &grant);
    let twice = post_form(
        &agent,
        &token_url,
        Some(&key),
        &[grant[0], grant[1], ("client_secret", key.as_str())],
    );
    let bad_scheme = post_raw(
        &agent,
        &token_url,
        &[
            ("Authorization", "Digest abc"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        &format!("grant_type=authorization_code&code={code}"),
    );

    for (name, reply, status, error) in [
        ("missing", &missing, 401, "invalid_client"),
        ("unknown", &unknown, 401, "invalid_client"),
        ("publishable", &publishable, 401, "invalid_client"),
        ("empty user name", &empty_user, 401, "invalid_client"),
        ("key twice", &twice, 400, "invalid_request"),
        ("unsupported scheme", &bad_scheme, 401, "invalid_client"),
    ] {
        assert_eq!(reply.status, status, "{name}");
        assert_eq!(reply.oauth_error().0, error, "{name}");
        assert!(!reply.body.contains(&key), "{name} echoes no key");
    }
    assert_eq!(
        exchange(&agent, &fake, &key, &code).status,
        200,
        "code still unused"
    );
}

#[test]
fn request_errors_have_matching_codes() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    let token_url = fake.url("/oauth/token");

    let cases = [
        ("no grant_type", vec![("code", "ac_x")], "invalid_request"),
        (
            "empty grant_type",
            vec![("grant_type", "")],
            "invalid_request",
        ),
        (
            "client_credentials",
            vec![("grant_type", "client_credentials")],
            "unsupported_grant_type",
        ),
        (
            "no code",
            vec![("grant_type", "authorization_code")],
            "invalid_request",
        ),
        (
            "no refresh_token",
            vec![("grant_type", "refresh_token")],
            "invalid_request",
        ),
        (
            "code twice",
            vec![
                ("grant_type", "authorization_code"),
                ("code", "ac_a"),
                ("code", "ac_b"),
            ],
            "invalid_request",
        ),
    ];
    for (name, form, error) in cases {
        let reply = post_form(&agent, &token_url, Some(&key), &form);

        assert_eq!(reply.status, 400, "{name}");
        assert_eq!(reply.oauth_error().0, error, "{name}");
    }
}

#[test]
fn missing_code_description_names_the_parameter() {
    let fake = FakeStripe::start().unwrap();

    let reply = post_form(
        &agent(),
        &fake.url("/oauth/token"),
        Some(&fake.platform().test_secret_key),
        &[("grant_type", "authorization_code")],
    );

    assert_eq!(reply.oauth_error().1, "Missing required param: code.");
}

#[test]
fn json_body_is_rejected() {
    let fake = FakeStripe::start().unwrap();
    let code = standard_code(&fake);

    let reply = post_raw(
        &agent(),
        &fake.url("/oauth/token"),
        &[
            ("Authorization", &basic(&fake.platform().test_secret_key)),
            ("Content-Type", "application/json"),
        ],
        &format!(r#"{{"grant_type":"authorization_code","code":"{code}"}}"#),
    );

    assert_eq!(reply.status, 400);
    assert_eq!(reply.oauth_error().0, "invalid_request");
}

#[test]
fn refresh_returns_new_access_token() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    let first = exchange(&agent, &fake, &key, &standard_code(&fake)).json();
    let refresh_token = first["refresh_token"].as_str().unwrap();

    let reply = refresh(&agent, &fake, &key, refresh_token, None);

    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(body["scope"], "read_write");
    assert_eq!(body["stripe_user_id"], first["stripe_user_id"]);
    assert_ne!(body["access_token"], first["access_token"]);
    assert!(
        body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("sk_test_")
    );
}

#[test]
fn refresh_scope_may_narrow_but_not_widen() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    let read_write = exchange(&agent, &fake, &key, &standard_code(&fake)).json();
    let read_only_code = fake.obtain_code(&CodeRequest::standard()).unwrap();
    let read_only = exchange(&agent, &fake, &key, read_only_code.expect_code()).json();

    let narrowed = refresh(
        &agent,
        &fake,
        &key,
        read_write["refresh_token"].as_str().unwrap(),
        Some("read_only"),
    );
    let widened = refresh(
        &agent,
        &fake,
        &key,
        read_only["refresh_token"].as_str().unwrap(),
        Some("read_write"),
    );

    assert_eq!(narrowed.status, 200);
    assert_eq!(narrowed.json()["scope"], "read_only");
    assert_eq!(widened.status, 400);
    assert_eq!(widened.oauth_error().0, "invalid_scope");
}

#[test]
fn refresh_errors_are_invalid_grant() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    let body = exchange(&agent, &fake, &key, &standard_code(&fake)).json();
    let refresh_token = body["refresh_token"].as_str().unwrap();

    let unknown = refresh(&agent, &fake, &key, "rt_unknown", None);
    let other_platform = refresh(
        &agent,
        &fake,
        &fake.other_platform().test_secret_key,
        refresh_token,
        None,
    );
    let live_key = refresh(
        &agent,
        &fake,
        &fake.platform().live_secret_key,
        refresh_token,
        None,
    );

    let mut descriptions = Vec::new();
    for reply in [unknown, other_platform, live_key] {
        assert_eq!(reply.status, 400);
        let (error, description) = reply.oauth_error();
        assert_eq!(error, "invalid_grant");
        assert!(!description.contains(refresh_token));
        descriptions.push(description);
    }
    descriptions.dedup();
    assert_eq!(
        descriptions.len(),
        3,
        "each failure has its own description"
    );
}

#[test]
fn deauthorize_disconnects_and_revokes() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    let client_id = fake.platform().client_id;
    let body = exchange(&agent, &fake, &key, &standard_code(&fake)).json();
    let account = body["stripe_user_id"].as_str().unwrap();
    let refresh_token = body["refresh_token"].as_str().unwrap();

    let reply = post_form(
        &agent,
        &fake.url("/oauth/deauthorize"),
        Some(&key),
        &[("client_id", &client_id), ("stripe_user_id", account)],
    );
    let again = post_form(
        &agent,
        &fake.url("/oauth/deauthorize"),
        Some(&key),
        &[("client_id", &client_id), ("stripe_user_id", account)],
    );
    let refreshed = refresh(&agent, &fake, &key, refresh_token, None);

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        serde_json::json!({ "stripe_user_id": account })
    );
    assert_eq!(again.status, 401);
    assert_eq!(again.oauth_error().0, "invalid_client");
    assert_eq!(refreshed.oauth_error().0, "invalid_grant");
    assert!(!fake.accounts()[0].connected);
}

#[test]
fn deauthorize_errors() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    let client_id = fake.platform().client_id;
    let client_id = client_id.as_str();
    let other_client_id = fake.other_platform().client_id;
    let other_client_id = other_client_id.as_str();
    let account = exchange(&agent, &fake, &key, &standard_code(&fake)).json()["stripe_user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let account = account.as_str();
    let url = fake.url("/oauth/deauthorize");

    let cases = [
        (
            "unknown account",
            Some(key.as_str()),
            vec![("client_id", client_id), ("stripe_user_id", "acct_none")],
            401,
            "invalid_client",
        ),
        (
            "unknown client",
            Some(key.as_str()),
            vec![("client_id", "ca_none"), ("stripe_user_id", account)],
            401,
            "invalid_client",
        ),
        (
            "other platform's client id",
            Some(key.as_str()),
            vec![("client_id", other_client_id), ("stripe_user_id", account)],
            401,
            "invalid_client",
        ),
        (
            "missing client id",
            Some(key.as_str()),
            vec![("stripe_user_id", account)],
            400,
            "invalid_request",
        ),
        (
            "missing account",
            Some(key.as_str()),
            vec![("client_id", client_id)],
            400,
            "invalid_request",
        ),
        (
            "missing key",
            None,
            vec![("client_id", client_id), ("stripe_user_id", account)],
            401,
            "invalid_client",
        ),
    ];
    for (name, key, form, status, error) in cases {
        let reply = post_form(&agent, &url, key, &form);

        assert_eq!(reply.status, status, "{name}");
        assert_eq!(reply.oauth_error().0, error, "{name}");
    }
    assert!(
        fake.accounts()[0].connected,
        "no failed call disconnected it"
    );
}

#[test]
fn reconnecting_an_account_reuses_its_id() {
    let fake = FakeStripe::start().unwrap();
    let first = fake.obtain_code(&CodeRequest::standard()).unwrap();

    let second = fake
        .obtain_code(&CodeRequest {
            stripe_user_id: first.stripe_user_id.clone(),
            ..CodeRequest::standard()
        })
        .unwrap();
    let unknown = fake
        .obtain_code(&CodeRequest {
            stripe_user_id: Some("acct_unknown".to_owned()),
            ..CodeRequest::standard()
        })
        .unwrap_err();

    assert_eq!(second.stripe_user_id, first.stripe_user_id);
    assert_eq!(fake.accounts().len(), 1);
    assert_eq!(unknown.error, "invalid_request");
}

#[test]
fn token_responses_forbid_caching() {
    let fake = FakeStripe::start().unwrap();
    let code = standard_code(&fake);
    let request = common::raw_token_request(&fake, &fake.platform().test_secret_key, &code);

    let (raw, closed) = common::raw_exchange(fake.local_addr(), &request);
    let (head, _) = common::split_response(&raw);

    assert!(closed, "Connection: close is honoured");
    assert!(head.starts_with("HTTP/1.1 200 OK"));
    assert!(head.contains("Cache-Control: no-store"));
    assert!(head.contains("Pragma: no-cache"));
}
