//! The authorize endpoints, the onboarding page and the decision redirect, over real sockets.

mod common;

use common::{agent, get, post_raw, query_param};
use fake_stripe::{CodeRequest, Decision, FakeStripe, FakeStripeConfig};

fn authorize_url(fake: &FakeStripe, path: &str, query: &str) -> String {
    format!("{}{path}?{query}", fake.base_url())
}

fn standard_query(fake: &FakeStripe, extra: &str) -> String {
    format!(
        "response_type=code&client_id={}{extra}",
        fake.platform().client_id
    )
}

/// Decodes the hidden and visible inputs of the onboarding form into a form body.
fn form_body_from_page(page: &str, decision: &str, livemode: bool) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for input in page.split("<input").skip(1) {
        let attribute = |name: &str| {
            let marker = format!("{name}=\"");
            let start = input.find(&marker)? + marker.len();
            let end = input[start..].find('"')? + start;
            Some(unescape(&input[start..end]))
        };
        let Some(name) = attribute("name") else {
            continue;
        };
        if name == "livemode" {
            continue;
        }
        serializer.append_pair(&name, &attribute("value").unwrap_or_default());
    }
    serializer.append_pair("decision", decision);
    if livemode {
        serializer.append_pair("livemode", "true");
    }
    serializer.finish()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn bound_address_is_loopback() {
    let fake = FakeStripe::start().unwrap();

    assert_eq!(fake.local_addr().ip().to_string(), "127.0.0.1");
    assert!(fake.base_url().starts_with("http://127.0.0.1:"));
}

#[test]
fn standard_page_renders_with_buttons() {
    let fake = FakeStripe::start().unwrap();
    let url = authorize_url(
        &fake,
        "/oauth/authorize",
        &standard_query(&fake, "&scope=read_write&state=S1"),
    );

    let reply = get(&agent(), &url);

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(reply.body.contains("id=\"authorize\""));
    assert!(reply.body.contains("id=\"deny\""));
    assert!(reply.body.contains("id=\"livemode\""));
    assert!(reply.body.contains("action=\"/oauth/authorize/decision\""));
}

#[test]
fn prefill_values_are_html_escaped() {
    let fake = FakeStripe::start().unwrap();
    let script = "<script>alert(\"x\")</script>";
    let query = form_urlencoded::Serializer::new(standard_query(&fake, "&"))
        .append_pair("stripe_user[business_name]", script)
        .append_pair("stripe_user[email]", "a'b\"&<c>@example.com")
        .append_pair("state", "<script>s</script>")
        .finish();

    let reply = get(&agent(), &authorize_url(&fake, "/oauth/authorize", &query));

    assert_eq!(reply.status, 200);
    assert!(!reply.body.contains("<script"));
    assert!(
        reply
            .body
            .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    );
    assert!(
        reply
            .body
            .contains("a&#39;b&quot;&amp;&lt;c&gt;@example.com")
    );
}

#[test]
fn prefill_values_survive_round_trip() {
    let fake = FakeStripe::start().unwrap();
    let name = "Café & Bar = Ünï 東京";
    let query = form_urlencoded::Serializer::new(standard_query(&fake, "&"))
        .append_pair("stripe_user[business_name]", name)
        .finish();

    let reply = get(&agent(), &authorize_url(&fake, "/oauth/authorize", &query));

    assert!(reply.body.contains("Café &amp; Bar = Ünï 東京"));
}

#[test]
fn express_page_renders_without_scope_choice() {
    let fake = FakeStripe::start().unwrap();
    let url = authorize_url(
        &fake,
        "/express/oauth/authorize",
        &standard_query(&fake, "&suggested_capabilities[]=transfers"),
    );

    let reply = get(&agent(), &url);

    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("<strong id=\"scope\">express</strong>"));
    assert!(reply.body.contains("name=\"flow\" value=\"express\""));
}

#[test]
fn invalid_authorize_requests_answer_json_errors() {
    let fake = FakeStripe::start().unwrap();
    let client_id = fake.platform().client_id;
    let cases = [
        (
            "/oauth/authorize",
            format!("client_id={client_id}"),
            "invalid_request",
        ),
        (
            "/oauth/authorize",
            format!("response_type=token&client_id={client_id}"),
            "unsupported_response_type",
        ),
        (
            "/oauth/authorize",
            "response_type=code".to_owned(),
            "invalid_request",
        ),
        (
            "/oauth/authorize",
            "response_type=code&client_id=ca_unknown".to_owned(),
            "invalid_client",
        ),
        (
            "/oauth/authorize",
            format!(
                "response_type=code&client_id={client_id}&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fother"
            ),
            "invalid_redirect_uri",
        ),
        (
            "/oauth/authorize",
            format!("response_type=code&client_id={client_id}&scope=admin"),
            "invalid_scope",
        ),
        (
            "/oauth/authorize",
            format!("response_type=code&client_id={client_id}&stripe_landing=home"),
            "invalid_request",
        ),
        (
            "/oauth/authorize",
            format!("response_type=code&client_id={client_id}&always_prompt=yes"),
            "invalid_request",
        ),
        (
            "/oauth/authorize",
            format!("response_type=code&client_id={client_id}&state=a&state=b"),
            "invalid_request",
        ),
        (
            "/express/oauth/authorize",
            format!("response_type=code&client_id={client_id}&suggested_capabilities[]=Bad%20Name"),
            "invalid_request",
        ),
    ];

    for (path, query, expected_error) in cases {
        let reply = get(&agent(), &authorize_url(&fake, path, &query));

        assert_eq!(reply.status, 400, "status for {path}?{query}");
        assert_eq!(
            reply.content_type.as_deref(),
            Some("application/json"),
            "content type for {path}?{query}"
        );
        assert_eq!(reply.location, None, "no redirect for {path}?{query}");
        assert_eq!(
            reply.oauth_error().0,
            expected_error,
            "error for {path}?{query}"
        );
    }
}

#[test]
fn secret_key_as_client_id_is_not_echoed() {
    let fake = FakeStripe::start().unwrap();
    let key = fake.platform().live_secret_key;
    let url = authorize_url(
        &fake,
        "/oauth/authorize",
        &format!("response_type=code&client_id={key}"),
    );

    let reply = get(&agent(), &url);

    assert_eq!(reply.oauth_error().0, "invalid_client");
    assert!(!reply.body.contains(&key));
}

#[test]
fn express_ignores_scope() {
    let fake = FakeStripe::start().unwrap();
    let url = authorize_url(
        &fake,
        "/express/oauth/authorize",
        &standard_query(&fake, "&scope=anything"),
    );

    assert_eq!(get(&agent(), &url).status, 200);
}

#[test]
fn approve_redirects_with_scope_code_and_state() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let page = get(
        &agent,
        &authorize_url(
            &fake,
            "/oauth/authorize",
            &standard_query(&fake, "&scope=read_write&state=S%201%2B"),
        ),
    );
    let body = form_body_from_page(&page.body, "approve", false);

    let reply = post_raw(
        &agent,
        &fake.url("/oauth/authorize/decision"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &body,
    );

    assert_eq!(reply.status, 302);
    let location = reply.location.expect("a Location header");
    assert!(location.starts_with("http://127.0.0.1:8080/callback?scope=read_write&code=ac_"));
    assert!(location.ends_with("&state=S%201%2B"));
    assert_eq!(query_param(&location, "state").as_deref(), Some("S 1+"));
}

#[test]
fn deny_redirects_with_access_denied() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let page = get(
        &agent,
        &authorize_url(
            &fake,
            "/oauth/authorize",
            &standard_query(&fake, "&state=S1"),
        ),
    );
    let body = form_body_from_page(&page.body, "deny", false);

    let reply = post_raw(
        &agent,
        &fake.url("/oauth/authorize/decision"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &body,
    );

    assert_eq!(reply.status, 302);
    assert_eq!(
        reply.location.as_deref(),
        Some(
            "http://127.0.0.1:8080/callback?error=access_denied\
             &error_description=The%20user%20denied%20your%20request&state=S1"
        )
    );
    assert!(fake.accounts().is_empty());
}

#[test]
fn redirect_keeps_platform_query_parameters() {
    let fake = FakeStripe::start().unwrap();
    let redirect_uri = "http://127.0.0.1:8080/index.php?rt=account/login&provider=stripe";

    let obtained = fake
        .obtain_code(&CodeRequest {
            redirect_uri: Some(redirect_uri.to_owned()),
            state: Some("S1".to_owned()),
            ..CodeRequest::standard()
        })
        .unwrap();

    assert!(
        obtained
            .location
            .starts_with(&format!("{redirect_uri}&scope=read_only&code=ac_"))
    );
    assert_eq!(
        query_param(&obtained.location, "rt").as_deref(),
        Some("account/login")
    );
    assert_eq!(
        query_param(&obtained.location, "provider").as_deref(),
        Some("stripe")
    );
}

#[test]
fn absent_redirect_uri_uses_first_registered() {
    let fake = FakeStripe::start().unwrap();

    let obtained = fake.obtain_code(&CodeRequest::express()).unwrap();

    let first = &fake.platform().redirect_uris[0];
    assert!(obtained.location.starts_with(&format!("{first}?code=ac_")));
    assert_eq!(obtained.scope, None);
}

#[test]
fn page_decision_is_test_mode_unless_checked() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let live_key = fake.platform().live_secret_key;

    for livemode in [false, true] {
        let page = get(
            &agent,
            &authorize_url(&fake, "/oauth/authorize", &standard_query(&fake, "")),
        );
        let body = form_body_from_page(&page.body, "approve", livemode);
        let reply = post_raw(
            &agent,
            &fake.url("/oauth/authorize/decision"),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &body,
        );
        let code = query_param(&reply.location.unwrap(), "code").unwrap();

        let token = common::exchange(&agent, &fake, &live_key, &code);
        let expected_status = if livemode { 200 } else { 400 };
        assert_eq!(
            token.status, expected_status,
            "live key, livemode={livemode}"
        );
    }
}

#[test]
fn tampered_decision_is_revalidated() {
    let fake = FakeStripe::start().unwrap();
    let body = format!(
        "flow=standard&client_id={}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Fevil&decision=approve",
        fake.platform().client_id
    );

    let reply = post_raw(
        &agent(),
        &fake.url("/oauth/authorize/decision"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &body,
    );

    assert_eq!(reply.status, 400);
    assert_eq!(reply.location, None);
    assert_eq!(reply.oauth_error().0, "invalid_redirect_uri");
}

#[test]
fn configured_redirect_uri_is_accepted() {
    let config = FakeStripeConfig::default().with_redirect_uri("http://127.0.0.1:8080/cb2");
    let fake = FakeStripe::start_with(config).unwrap();

    let obtained = fake
        .obtain_code(&CodeRequest {
            redirect_uri: Some("http://127.0.0.1:8080/cb2".to_owned()),
            ..CodeRequest::standard()
        })
        .unwrap();

    assert!(obtained.location.starts_with("http://127.0.0.1:8080/cb2?"));
}

#[test]
fn redirect_uri_added_at_run_time_is_accepted() {
    let fake = FakeStripe::start().unwrap();
    let request = CodeRequest {
        redirect_uri: Some("http://127.0.0.1:5555/callback".to_owned()),
        ..CodeRequest::standard()
    };
    assert_eq!(
        fake.obtain_code(&request).unwrap_err().error,
        "invalid_redirect_uri"
    );

    fake.add_redirect_uri("http://127.0.0.1:5555/callback")
        .unwrap();

    assert!(fake.obtain_code(&request).is_ok());
}

#[test]
fn invalid_configuration_is_rejected() {
    let mut config = FakeStripeConfig::default();
    config.platform.test_secret_key = "pk_test_wrong".to_owned();
    assert!(FakeStripe::start_with(config).is_err());

    let config = FakeStripeConfig::default().with_redirect_uri("http://127.0.0.1/cb#fragment");
    assert!(FakeStripe::start_with(config).is_err());
}

#[test]
fn obtain_code_from_url_validates_like_the_page() {
    let fake = FakeStripe::start().unwrap();
    let good = format!(
        "/express/oauth/authorize?{}",
        standard_query(&fake, "&state=S2")
    );
    let bad = format!("/oauth/authorize?{}", standard_query(&fake, "&scope=nope"));

    let obtained = fake
        .obtain_code_from_url(&good, Decision::Approve, false)
        .unwrap();
    let error = fake
        .obtain_code_from_url(&bad, Decision::Approve, false)
        .unwrap_err();

    assert_eq!(obtained.state.as_deref(), Some("S2"));
    assert!(obtained.code.is_some());
    assert_eq!(error.error, "invalid_scope");
}

#[test]
fn wrong_method_on_authorize_is_405() {
    let fake = FakeStripe::start().unwrap();

    let reply = post_raw(&agent(), &fake.url("/oauth/authorize"), &[], "");

    assert_eq!(reply.status, 405);
}

#[test]
fn unknown_path_answers_stripe_api_error() {
    let fake = FakeStripe::start().unwrap();

    let reply = get(&agent(), &fake.url("/express/oauth/token"));

    assert_eq!(reply.status, 404);
    assert_eq!(reply.json()["error"]["type"], "invalid_request_error");
}
