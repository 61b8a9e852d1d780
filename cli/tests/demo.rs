//! The demo site, run as a process with its in-process fake Stripe server, driven over
//! loopback HTTP the way a browser would: cookies are carried by hand, and the user's
//! decision on Stripe's page comes from the fake's control API.

mod common;

use common::{ChildGuard, get, post, post_json, spawn_and_read_line};
use fake_stripe::{Decision, FakeStripe};
use serde_json::{Value, json};

/// A running demo and the addresses it announced.
struct Demo {
    _child: ChildGuard,
    demo_url: String,
    connect_base: String,
}

impl Demo {
    fn start() -> Self {
        let (child, line) = spawn_and_read_line(&["demo", "--port", "0", "--announce-json"], &[]);
        let announcement: Value = serde_json::from_str(&line).unwrap_or_else(|error| {
            panic!(
                "the demo did not announce itself ({error}); stderr: {}",
                child.stderr_so_far()
            )
        });
        assert_eq!(announcement["fake_stripe"], true);
        let demo_url = announcement["demo_url"].as_str().unwrap_or_default();
        let redirect_uri = announcement["redirect_uri"].as_str().unwrap_or_default();
        assert_eq!(redirect_uri, format!("{demo_url}callback"));
        Self {
            demo_url: demo_url.trim_end_matches('/').to_owned(),
            connect_base: announcement["connect_base"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            _child: child,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.demo_url)
    }

    /// Returns how many requests the fake recorded for `path`.
    fn fake_requests(&self, path: &str) -> usize {
        let reply = get(
            &format!("{}/__fake/requests?path={path}", self.connect_base),
            &[],
        );
        reply.json()["requests"]
            .as_array()
            .map_or(0, |requests| requests.len())
    }

    /// Clicks "Connect with Stripe" and returns the state cookie pair and the authorize URL.
    fn connect(&self, account_type: &str) -> (String, String) {
        let reply = get(&self.url(&format!("/connect/{account_type}")), &[]);
        assert_eq!(reply.status, 302);
        let set_cookie = reply.set_cookies()[0].to_owned();
        let cookie = set_cookie.split(';').next().unwrap_or_default().to_owned();
        let location = reply.header("location").unwrap_or_default().to_owned();
        (cookie, location)
    }

    /// Makes the user's decision on the fake's authorize page and returns the callback URL.
    fn decide(&self, authorize_url: &str, decision: &str) -> String {
        let obtained = post_json(
            &format!("{}/__fake/codes", self.connect_base),
            &json!({"authorize_url": authorize_url, "decision": decision}),
        );
        obtained["location"].as_str().unwrap_or_default().to_owned()
    }

    /// Runs connect, approval and callback, and returns the callback reply.
    fn connect_and_approve(&self, account_type: &str) -> (common::Reply, String) {
        let (cookie, authorize_url) = self.connect(account_type);
        let callback_url = self.decide(&authorize_url, "approve");
        let reply = get(&callback_url, &[("Cookie", &cookie)]);
        (reply, callback_url)
    }
}

/// Returns the `name=value` pair of the `Set-Cookie` header for cookie `name`.
fn cookie_pair(reply: &common::Reply, name: &str) -> Option<String> {
    reply
        .set_cookies()
        .into_iter()
        .find(|cookie| cookie.starts_with(&format!("{name}=")))
        .and_then(|cookie| cookie.split(';').next())
        .map(str::to_owned)
}

fn account_id_in(page: &str) -> Option<&str> {
    let start = page.find("<dd id=\"account-id\">")? + "<dd id=\"account-id\">".len();
    let end = page[start..].find('<')? + start;
    Some(&page[start..end])
}

#[test]
fn home_page_offers_express_and_standard() {
    let demo = Demo::start();

    let reply = get(&demo.url("/"), &[]);

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        reply
            .body
            .contains("id=\"connect-express\" href=\"/connect/express\"")
    );
    assert!(
        reply
            .body
            .contains("id=\"connect-standard\" href=\"/connect/standard\"")
    );
    assert!(reply.body.contains(&format!(
        "fake Stripe server at {} (in-process, offline)",
        demo.connect_base
    )));
}

#[test]
fn connect_stores_state_in_http_only_lax_cookie() {
    let demo = Demo::start();

    let reply = get(&demo.url("/connect/express"), &[]);

    assert_eq!(reply.status, 302);
    let cookies = reply.set_cookies();
    assert_eq!(cookies.len(), 1);
    let state = cookies[0]
        .strip_prefix("stripe_oauth_state=")
        .and_then(|rest| rest.split(';').next())
        .expect("a state cookie");
    assert_eq!(state.len(), 43);
    assert!(cookies[0].contains("; HttpOnly"));
    assert!(cookies[0].contains("; SameSite=Lax"));
    let redirect_uri = format!("{}/callback", demo.demo_url)
        .replace(':', "%3A")
        .replace('/', "%2F");
    assert_eq!(
        reply.header("location"),
        Some(
            format!(
                "{}/express/oauth/authorize?response_type=code&client_id=ca_FakeStripePlatformA\
                 &redirect_uri={redirect_uri}&state={state}",
                demo.connect_base
            )
            .as_str()
        )
    );
}

#[test]
fn approved_callback_shows_connected_account() {
    let demo = Demo::start();

    let (reply, _) = demo.connect_and_approve("express");

    assert_eq!(reply.status, 200, "body: {}", reply.body);
    let account_id = account_id_in(&reply.body).expect("an account id on the page");
    assert!(account_id.starts_with("acct_"));
    assert!(reply.body.contains("<dd id=\"mode\">test mode</dd>"));
    assert!(reply.body.contains("<dd id=\"scope\">express</dd>"));
    assert!(!reply.body.contains("id=\"disconnect\""));
    assert!(
        reply
            .set_cookies()
            .contains(&"stripe_oauth_state=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
    );
    assert_eq!(demo.fake_requests("/oauth/token"), 1);
    assert!(
        common::secret_tokens(&reply.body).is_empty(),
        "the page shows a secret"
    );
}

#[test]
fn reload_of_callback_sends_nothing() {
    let demo = Demo::start();
    let (first, callback_url) = demo.connect_and_approve("express");
    assert_eq!(first.status, 200);

    // The browser deleted the cookie, so a reload carries none.
    let reload = get(&callback_url, &[]);

    assert_eq!(reload.status, 400);
    assert!(reload.body.contains("No connection in progress"));
    assert!(reload.body.contains("id=\"nothing-sent\""));
    assert_eq!(demo.fake_requests("/oauth/token"), 1);
}

#[test]
fn tampered_state_sends_nothing() {
    let demo = Demo::start();
    let (cookie, authorize_url) = demo.connect("standard");
    let state = cookie.trim_start_matches("stripe_oauth_state=");
    let tampered_url = authorize_url.replace(state, "AttackerState123");
    let callback_url = demo.decide(&tampered_url, "approve");
    assert!(callback_url.ends_with("&state=AttackerState123"));

    let reply = get(&callback_url, &[("Cookie", &cookie)]);

    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("This callback does not match"));
    assert!(reply.body.contains("id=\"nothing-sent\""));
    assert_eq!(demo.fake_requests("/oauth/token"), 0);
}

#[test]
fn denied_callback_explains_and_offers_retry() {
    let demo = Demo::start();
    let (cookie, authorize_url) = demo.connect("express");
    let callback_url = demo.decide(&authorize_url, "deny");

    let reply = get(&callback_url, &[("Cookie", &cookie)]);

    assert_eq!(reply.status, 200);
    assert!(
        reply
            .body
            .contains("<h1 id=\"denied\">Connection declined</h1>")
    );
    assert!(
        reply
            .body
            .contains("Stripe said: “The user denied your request”.")
    );
    assert!(reply.body.contains("id=\"retry\" href=\"/\""));
    assert_eq!(demo.fake_requests("/oauth/token"), 0);
}

#[test]
fn failed_exchange_is_error_page() {
    let demo = Demo::start();
    post_json(
        &format!("{}/__fake/faults", demo.connect_base),
        &json!({"path": "/oauth/token", "fault": {"kind": "html_502"}}),
    );

    let (reply, _) = demo.connect_and_approve("express");

    assert_eq!(reply.status, 502);
    assert!(reply.body.contains("The connection could not be completed"));
    assert!(reply.body.contains("unexpected response (http 502"));
    assert!(reply.body.contains("start again"));
    assert_eq!(get(&demo.url("/"), &[]).status, 200);
}

#[test]
fn replayed_callback_with_cookie_sends_nothing() {
    let demo = Demo::start();
    let (cookie, authorize_url) = demo.connect("standard");
    let callback_url = demo.decide(&authorize_url, "approve");
    let first = get(&callback_url, &[("Cookie", &cookie)]);
    assert_eq!(first.status, 200, "body: {}", first.body);

    // A captured request replayed as is: same URL, same state cookie.
    let replay = get(&callback_url, &[("Cookie", &cookie)]);

    assert_eq!(replay.status, 400);
    assert!(replay.body.contains("No connection in progress"));
    assert!(replay.body.contains("id=\"nothing-sent\""));
    assert_eq!(demo.fake_requests("/oauth/token"), 1);
}

#[test]
fn concurrent_duplicate_callbacks_exchange_once() {
    let demo = Demo::start();
    let (cookie, authorize_url) = demo.connect("standard");
    let callback_url = demo.decide(&authorize_url, "approve");

    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let requests: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| get(&callback_url, &[("Cookie", &cookie)]).status))
            .collect();
        requests
            .into_iter()
            .map(|request| request.join().expect("the request thread should finish"))
            .collect()
    });

    assert_eq!(statuses.iter().filter(|status| **status == 200).count(), 1);
    assert_eq!(statuses.iter().filter(|status| **status == 400).count(), 3);
    assert_eq!(demo.fake_requests("/oauth/token"), 1);
}

#[test]
fn state_never_issued_sends_nothing() {
    let demo = Demo::start();
    let (cookie, authorize_url) = demo.connect("standard");
    let state = cookie.trim_start_matches("stripe_oauth_state=");
    // The attacker's own state, in both the callback and a cookie they set themselves.
    let forged_url = authorize_url.replace(state, "ForgedState123");
    let callback_url = demo.decide(&forged_url, "approve");

    let reply = get(
        &callback_url,
        &[("Cookie", "stripe_oauth_state=ForgedState123")],
    );

    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("No connection in progress"));
    assert!(reply.body.contains("id=\"nothing-sent\""));
    assert_eq!(demo.fake_requests("/oauth/token"), 0);
}

#[test]
fn state_of_other_browser_mismatches() {
    let demo = Demo::start();
    let (cookie_a, _) = demo.connect("standard");
    let (cookie_b, authorize_url_b) = demo.connect("standard");
    let callback_url_b = demo.decide(&authorize_url_b, "approve");

    let crossed = get(&callback_url_b, &[("Cookie", &cookie_a)]);
    let own = get(&callback_url_b, &[("Cookie", &cookie_b)]);

    assert_eq!(crossed.status, 400);
    assert!(crossed.body.contains("This callback does not match"));
    assert_eq!(own.status, 200, "body: {}", own.body);
    assert_eq!(demo.fake_requests("/oauth/token"), 1);
}

#[test]
fn new_connect_retires_previous_state() {
    let demo = Demo::start();
    let (first_cookie, first_authorize_url) = demo.connect("express");
    let first_callback_url = demo.decide(&first_authorize_url, "approve");

    // The same browser clicks Connect again, sending its current cookie.
    let again = get(&demo.url("/connect/express"), &[("Cookie", &first_cookie)]);
    assert_eq!(again.status, 302);
    let reply = get(&first_callback_url, &[("Cookie", &first_cookie)]);

    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("No connection in progress"));
    assert_eq!(demo.fake_requests("/oauth/token"), 0);
}

#[test]
fn standard_account_can_disconnect() {
    let demo = Demo::start();
    let (reply, _) = demo.connect_and_approve("standard");
    assert_eq!(reply.status, 200, "body: {}", reply.body);
    assert!(reply.body.contains("<dd id=\"scope\">read_write</dd>"));
    assert!(reply.body.contains("id=\"disconnect\""));
    let account_id = account_id_in(&reply.body).unwrap_or_default().to_owned();
    let session = cookie_pair(&reply, "demo_session").expect("a session cookie");
    assert!(
        reply
            .set_cookies()
            .contains(&format!("{session}; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax").as_str())
    );
    assert!(
        !session.contains(&account_id),
        "the cookie names the account"
    );

    let disconnected = post(
        &demo.url("/disconnect"),
        &[("Cookie", &session), ("Origin", &demo.demo_url)],
        "",
    );

    assert_eq!(disconnected.status, 200, "body: {}", disconnected.body);
    assert!(disconnected.body.contains("Account disconnected"));
    assert!(disconnected.body.contains(&account_id));
    assert!(
        disconnected
            .set_cookies()
            .contains(&"demo_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
    );
    assert_eq!(demo.fake_requests("/oauth/deauthorize"), 1);
}

#[test]
fn second_disconnect_of_session_sends_nothing() {
    let demo = Demo::start();
    let (reply, _) = demo.connect_and_approve("standard");
    let session = cookie_pair(&reply, "demo_session").expect("a session cookie");
    let headers = [
        ("Cookie", session.as_str()),
        ("Origin", demo.demo_url.as_str()),
    ];
    assert_eq!(post(&demo.url("/disconnect"), &headers, "").status, 200);

    let again = post(&demo.url("/disconnect"), &headers, "");

    assert_eq!(again.status, 400);
    assert!(again.body.contains("No connected account"));
    assert_eq!(demo.fake_requests("/oauth/deauthorize"), 1);
}

#[test]
fn express_account_gets_no_session() {
    let demo = Demo::start();

    let (reply, _) = demo.connect_and_approve("express");

    assert_eq!(reply.status, 200, "body: {}", reply.body);
    assert_eq!(cookie_pair(&reply, "demo_session"), None);
}

#[test]
fn forged_account_cookie_disconnects_nothing() {
    let demo = Demo::start();
    // A victim connects a Standard account in their own browser.
    let (reply, _) = demo.connect_and_approve("standard");
    let account_id = account_id_in(&reply.body).unwrap_or_default().to_owned();
    assert!(account_id.starts_with("acct_"));

    let forged = post(
        &demo.url("/disconnect"),
        &[
            ("Cookie", &format!("connected_account={account_id}")),
            ("Origin", &demo.demo_url),
        ],
        "",
    );

    assert_eq!(forged.status, 400);
    assert!(forged.body.contains("No connected account"));
    assert!(!forged.body.contains(&account_id));
    assert_eq!(demo.fake_requests("/oauth/deauthorize"), 0);
}

#[test]
fn unknown_session_disconnects_nothing() {
    let demo = Demo::start();
    let (reply, _) = demo.connect_and_approve("standard");
    assert_eq!(reply.status, 200, "body: {}", reply.body);

    let forged = post(
        &demo.url("/disconnect"),
        &[
            (
                "Cookie",
                "demo_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            ),
            ("Origin", &demo.demo_url),
        ],
        "",
    );

    assert_eq!(forged.status, 400);
    assert!(forged.body.contains("No connected account"));
    assert_eq!(demo.fake_requests("/oauth/deauthorize"), 0);
}

#[test]
fn disconnect_from_other_origin_is_rejected() {
    let demo = Demo::start();
    let (reply, _) = demo.connect_and_approve("standard");
    let session = cookie_pair(&reply, "demo_session").expect("a session cookie");

    let rejected = post(
        &demo.url("/disconnect"),
        &[("Cookie", &session), ("Origin", "http://attacker.example")],
        "",
    );

    assert_eq!(rejected.status, 400);
    assert!(rejected.body.contains("Disconnect rejected"));
    assert_eq!(demo.fake_requests("/oauth/deauthorize"), 0);
    // The rejected post left the session in place for the site's own form.
    let own = post(
        &demo.url("/disconnect"),
        &[("Cookie", &session), ("Origin", &demo.demo_url)],
        "",
    );
    assert_eq!(own.status, 200, "body: {}", own.body);
}

#[test]
fn disconnect_without_account_is_error_page() {
    let demo = Demo::start();

    let reply = post(&demo.url("/disconnect"), &[], "");

    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("No connected account"));
    assert_eq!(demo.fake_requests("/oauth/deauthorize"), 0);
}

#[test]
fn other_host_name_redirects_to_loopback_address() {
    let demo = Demo::start();
    let port = demo.demo_url.rsplit(':').next().unwrap_or_default();

    let reply = get(
        &demo.url("/connect/express"),
        &[("Host", &format!("localhost:{port}"))],
    );

    assert_eq!(reply.status, 302);
    assert_eq!(
        reply.header("location"),
        Some(demo.url("/connect/express").as_str())
    );
    assert!(reply.set_cookies().is_empty());
}

#[test]
fn unknown_page_and_method_are_error_pages() {
    let demo = Demo::start();

    let missing = get(&demo.url("/nowhere"), &[]);
    let wrong_method = post(&demo.url("/callback"), &[], "");

    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    assert_eq!(wrong_method.status, 405);
    assert!(wrong_method.body.contains("Method not allowed"));
}

#[test]
fn head_of_callback_sends_nothing() {
    let demo = Demo::start();
    let (cookie, authorize_url) = demo.connect("express");
    let callback_url = demo.decide(&authorize_url, "approve");

    let response = common::agent()
        .head(&callback_url)
        .header("Cookie", &cookie)
        .call()
        .expect("the HEAD should get a response");

    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(demo.fake_requests("/oauth/token"), 0);
}

#[test]
fn pages_send_security_headers() {
    let demo = Demo::start();

    let reply = get(&demo.url("/"), &[]);

    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.header("referrer-policy"), Some("same-origin"));
    assert!(
        reply
            .header("content-security-policy")
            .is_some_and(|policy| policy.contains("form-action 'self'"))
    );
}

#[test]
fn text_banner_names_url_and_fake() {
    let (_child, first_line) = spawn_and_read_line(&["demo", "--port", "0"], &[]);

    assert!(
        first_line.starts_with("Demo platform site: http://127.0.0.1:"),
        "first line: {first_line}"
    );
    assert!(first_line.trim_end().ends_with("/ (open it in a browser)"));
}

#[test]
fn fake_is_announced_on_stderr_log() {
    let (child, _) = spawn_and_read_line(&["demo", "--port", "0", "--announce-json"], &[]);

    let mut log = String::new();
    for _ in 0..50 {
        log.push_str(&child.stderr_so_far());
        if log.contains("demo site listening on") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    assert!(
        log.contains("started the fake Stripe server in-process at http://127.0.0.1:"),
        "log: {log}"
    );
}

#[test]
fn log_escapes_control_characters_from_stripe() {
    // Without colours, any ESC in the log came from the message.
    let (child, line) = spawn_and_read_line(
        &["demo", "--port", "0", "--announce-json"],
        &[("RUST_LOG_STYLE", "never")],
    );
    let announcement: Value = serde_json::from_str(&line).expect("a JSON announcement line");
    let connect_base = announcement["connect_base"].as_str().unwrap_or_default();
    let demo_url = announcement["demo_url"].as_str().unwrap_or_default();
    let body = json!({
        "stripe_user_id": "acct_1ControlChars",
        "livemode": false,
        "scope": "read_write\u{1b}]0;owned\u{7}\u{1b}[2J",
    });
    post_json(
        &format!("{connect_base}/__fake/faults"),
        &json!({
            "path": "/oauth/token",
            "fault": {"kind": "response", "status": 200, "body": body.to_string()},
        }),
    );
    let connected = get(&format!("{demo_url}connect/standard"), &[]);
    let cookie = connected.set_cookies()[0]
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    let authorize_url = connected.header("location").unwrap_or_default();
    let obtained = post_json(
        &format!("{connect_base}/__fake/codes"),
        &json!({"authorize_url": authorize_url, "decision": "approve"}),
    );
    let callback_url = obtained["location"].as_str().unwrap_or_default();

    let reply = get(callback_url, &[("Cookie", &cookie)]);

    assert_eq!(reply.status, 200, "body: {}", reply.body);
    let mut log = String::new();
    for _ in 0..50 {
        log.push_str(&child.stderr_so_far());
        if log.contains("callback: connected account acct_1ControlChars") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(
        log.contains("scope read_write\\u{1b}]0;owned\\u{7}\\u{1b}[2J)"),
        "log: {log}"
    );
    assert!(!log.contains('\u{1b}'), "the log has an ESC");
    assert!(!log.contains('\u{7}'), "the log has a BEL");
}

#[test]
fn demo_with_one_credential_is_usage_error() {
    let result = common::run(
        &["demo", "--port", "0"],
        &[("STRIPE_CLIENT_ID", "ca_Demo123")],
    );

    assert_eq!(result.code, Some(2));
    assert!(
        result
            .stderr
            .contains("STRIPE_CLIENT_ID is set but STRIPE_SECRET_KEY is not"),
        "stderr: {}",
        result.stderr
    );
}

/// Polls the demo's stderr for up to 5 s until it contains `needle`, and returns what it read.
fn wait_for_log(child: &ChildGuard, needle: &str) -> String {
    let mut log = String::new();
    for _ in 0..50 {
        log.push_str(&child.stderr_so_far());
        if log.contains(needle) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    log
}

#[test]
fn demo_uses_connect_base_from_environment() {
    let fake = FakeStripe::start().expect("the fake Stripe server should start");
    let platform = fake.platform();
    let base_url = fake.base_url();
    let (child, line) = spawn_and_read_line(
        &["demo", "--port", "0", "--announce-json"],
        &[
            ("STRIPE_SECRET_KEY", platform.test_secret_key.as_str()),
            ("STRIPE_CLIENT_ID", platform.client_id.as_str()),
            ("STRIPE_CONNECT_BASE", base_url.as_str()),
        ],
    );
    let announcement: Value = serde_json::from_str(&line).unwrap_or_else(|error| {
        panic!(
            "the demo did not announce itself ({error}); stderr: {}",
            child.stderr_so_far()
        )
    });
    assert_eq!(announcement["fake_stripe"], false);
    assert_eq!(announcement["connect_base"], base_url.as_str());
    let demo_url = announcement["demo_url"].as_str().unwrap_or_default();
    let redirect_uri = announcement["redirect_uri"].as_str().unwrap_or_default();
    fake.add_redirect_uri(redirect_uri)
        .expect("the demo's redirect URI should register");

    let connected = get(&format!("{demo_url}connect/express"), &[]);

    assert_eq!(connected.status, 302);
    let authorize_url = connected.header("location").unwrap_or_default();
    assert!(
        authorize_url.starts_with(&format!("{base_url}/express/oauth/authorize?")),
        "authorize URL: {authorize_url}"
    );

    let cookie = connected.set_cookies()[0]
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    let obtained = fake
        .obtain_code_from_url(authorize_url, Decision::Approve, false)
        .expect("the fake should approve the authorization");
    let reply = get(&obtained.location, &[("Cookie", &cookie)]);

    assert_eq!(reply.status, 200, "body: {}", reply.body);
    assert_eq!(
        account_id_in(&reply.body),
        obtained.stripe_user_id.as_deref()
    );
    assert_eq!(fake.requests_to("/oauth/token").len(), 1);
    let log = wait_for_log(&child, "demo site listening on");
    assert!(
        log.contains(&format!("using {base_url} (from STRIPE_CONNECT_BASE)")),
        "log: {log}"
    );
    assert!(
        !log.contains(&platform.test_secret_key),
        "the log holds the secret key"
    );
}

#[test]
fn demo_text_banner_names_connect_base() {
    let fake = FakeStripe::start().expect("the fake Stripe server should start");
    let platform = fake.platform();
    let base_url = fake.base_url();
    let mut command = common::command(&["demo", "--port", "0"]);
    command
        .envs([
            ("STRIPE_SECRET_KEY", platform.test_secret_key.as_str()),
            ("STRIPE_CLIENT_ID", platform.client_id.as_str()),
            ("STRIPE_CONNECT_BASE", base_url.as_str()),
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = command.spawn().expect("the binary should start");
    let stdout = child.stdout.take().expect("stdout is piped");
    // Kills the demo when the test ends, even on a failed assert. Its stderr is not read.
    let _guard = ChildGuard {
        child,
        stderr_lines: std::sync::mpsc::channel().1,
    };
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));

    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let second = lines.next().and_then(Result::ok).unwrap_or_default();

    assert!(
        first.starts_with("Demo platform site: http://127.0.0.1:"),
        "first line: {first}"
    );
    assert!(
        second.starts_with(&format!(
            "Stripe: {base_url} (test mode), from STRIPE_CONNECT_BASE"
        )),
        "second line: {second}"
    );
}

#[test]
fn demo_with_connect_base_only_is_usage_error() {
    let result = common::run(
        &["demo", "--port", "0"],
        &[("STRIPE_CONNECT_BASE", "http://127.0.0.1:12121")],
    );

    assert_eq!(result.code, Some(2));
    assert!(
        result.stderr.contains(
            "STRIPE_CONNECT_BASE is set but STRIPE_SECRET_KEY and STRIPE_CLIENT_ID are not"
        ),
        "stderr: {}",
        result.stderr
    );
}

#[test]
fn demo_with_invalid_connect_base_is_usage_error() {
    let result = common::run(
        &["demo", "--port", "0"],
        &[
            ("STRIPE_SECRET_KEY", "sk_test_FakeStripePlatformA"),
            ("STRIPE_CLIENT_ID", "ca_FakeStripePlatformA"),
            ("STRIPE_CONNECT_BASE", "ftp://127.0.0.1:12121"),
        ],
    );

    assert_eq!(result.code, Some(2));
    assert!(
        result.stderr.contains("STRIPE_CONNECT_BASE is invalid"),
        "stderr: {}",
        result.stderr
    );
    common::assert_no_secrets(&result, &[]);
}

#[test]
fn demo_on_busy_port_fails_with_advice() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener
        .local_addr()
        .expect("an address")
        .port()
        .to_string();

    let result = common::run(&["demo", "--port", &port], &[]);

    assert_eq!(result.code, Some(1));
    assert!(
        result
            .stderr
            .contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "stderr: {}",
        result.stderr
    );
    assert!(result.stderr.contains("pick another port with --port"));
}
