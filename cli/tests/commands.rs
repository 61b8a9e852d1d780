//! The operation subcommands, run as a process against the fake Stripe server over loopback.

mod common;

use common::{assert_no_secrets, closed_port, run, run_with_stdin, spawn_and_read_line};
use fake_stripe::{CodeRequest, Decision, FakeStripe, Fault};
use serde_json::Value;

/// A fake Stripe server and the environment that points the binary at it.
struct Platform {
    fake: FakeStripe,
    secret_key: String,
    client_id: String,
    base_url: String,
}

impl Platform {
    fn start() -> Self {
        let fake = FakeStripe::start().expect("the fake should start");
        let platform = fake.platform();
        Self {
            secret_key: platform.test_secret_key,
            client_id: platform.client_id,
            base_url: fake.base_url(),
            fake,
        }
    }

    fn env(&self) -> Vec<(&str, &str)> {
        vec![
            ("STRIPE_SECRET_KEY", self.secret_key.as_str()),
            ("STRIPE_CLIENT_ID", self.client_id.as_str()),
        ]
    }

    /// Obtains an authorization code without a browser.
    fn code(&self, request: &CodeRequest) -> (String, String) {
        let obtained = self
            .fake
            .obtain_code(request)
            .expect("the fake should issue a code");
        (
            obtained.code.expect("an approval has a code"),
            obtained.stripe_user_id.expect("an approval has an account"),
        )
    }

    /// Runs `exchange` for `code` with `extra` arguments.
    fn exchange(&self, code: &str, extra: &[&str]) -> common::Run {
        let mut args = vec!["exchange", code, "--connect-base", &self.base_url];
        args.extend_from_slice(extra);
        run(&args, &self.env())
    }
}

fn standard_read_write() -> CodeRequest {
    CodeRequest {
        scope: Some("read_write".to_owned()),
        ..CodeRequest::standard()
    }
}

#[test]
fn authorize_url_prints_url_and_generated_state() {
    let result = run(&["authorize-url", "--client-id", "ca_Demo123"], &[]);

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    let url = result
        .field("authorize_url")
        .expect("an authorize_url line");
    let state = result.field("state").expect("a state line");
    assert_eq!(state.len(), 43);
    assert!(
        state
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(
        url,
        format!(
            "https://connect.stripe.com/express/oauth/authorize?response_type=code\
             &client_id=ca_Demo123&state={state}"
        )
    );
    assert_eq!(result.field("account_type"), Some("express"));
}

#[test]
fn authorize_url_encodes_every_option() {
    let result = run(
        &[
            "authorize-url",
            "--account-type",
            "standard",
            "--redirect-uri",
            "https://platform.example/cb?x=1",
            "--state",
            "S1",
            "--scope",
            "read_write",
            "--stripe-landing",
            "register",
            "--always-prompt",
            "--prefill",
            "email=jenny+rosen@example.com",
            "--prefill",
            "business_name=Café & Co",
            "--extra",
            "stripe_user[future_field]=x y",
        ],
        &[("STRIPE_CLIENT_ID", "ca_Demo123")],
    );

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    assert_eq!(
        result.field("authorize_url"),
        Some(
            "https://connect.stripe.com/oauth/authorize?response_type=code&client_id=ca_Demo123\
             &redirect_uri=https%3A%2F%2Fplatform.example%2Fcb%3Fx%3D1&scope=read_write&state=S1\
             &stripe_landing=register&always_prompt=true\
             &stripe_user[email]=jenny%2Brosen%40example.com\
             &stripe_user[business_name]=Caf%C3%A9%20%26%20Co\
             &stripe_user[future_field]=x%20y"
        )
    );
    assert_eq!(result.field("state"), Some("S1"));
}

#[test]
fn authorize_url_json_has_url_state_and_type() {
    let result = run(
        &[
            "authorize-url",
            "--client-id",
            "ca_Demo123",
            "--suggested-capability",
            "transfers",
            "--json",
        ],
        &[],
    );

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    let output = result.json();
    let object = output.as_object().expect("a JSON object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["account_type", "authorize_url", "state"]);
    assert_eq!(output["account_type"], "express");
    let state = output["state"].as_str().expect("a string state");
    let url = output["authorize_url"].as_str().expect("a string URL");
    assert!(url.ends_with(&format!(
        "&state={state}&suggested_capabilities[]=transfers"
    )));
}

#[test]
fn authorize_url_is_accepted_by_fake() {
    let platform = Platform::start();
    let result = run(
        &[
            "authorize-url",
            "--connect-base",
            &platform.base_url,
            "--redirect-uri",
            "http://127.0.0.1:8080/callback",
        ],
        &platform.env(),
    );
    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    let url = result
        .field("authorize_url")
        .expect("an authorize_url line");
    let state = result.field("state").expect("a state line");

    let obtained = platform
        .fake
        .obtain_code_from_url(url, Decision::Approve, false)
        .expect("the fake should accept the URL");

    assert_eq!(obtained.state.as_deref(), Some(state));
    assert!(
        obtained
            .location
            .starts_with("http://127.0.0.1:8080/callback?code=ac_")
    );
}

#[test]
fn authorize_url_rejects_unknown_prefill_field() {
    let result = run(
        &[
            "authorize-url",
            "--client-id",
            "ca_Demo123",
            "--prefill",
            "favourite_colour=blue",
        ],
        &[],
    );

    assert_eq!(result.code, Some(2));
    assert!(
        result
            .stderr
            .contains("unknown stripe_user field `favourite_colour`"),
        "stderr: {}",
        result.stderr
    );
    assert_eq!(
        result.stderr.lines().count(),
        1,
        "stderr: {}",
        result.stderr
    );
}

#[test]
fn authorize_url_without_client_id_is_usage_error() {
    let result = run(&["authorize-url"], &[]);

    assert_eq!(result.code, Some(2));
    assert!(result.stderr.starts_with("error: the client_id is missing"));
    assert!(result.stderr.contains("STRIPE_CLIENT_ID"));
    assert!(result.stdout.is_empty());
}

#[test]
fn client_id_given_a_secret_key_is_not_echoed() {
    let result = run(&["authorize-url", "--client-id", "sk_test_Canary123"], &[]);

    assert_eq!(result.code, Some(2));
    assert!(
        result.stderr.contains("is a secret key"),
        "{}",
        result.stderr
    );
    assert_no_secrets(&result, &["Canary123"]);
}

#[test]
fn exchange_prints_account_and_hides_tokens() {
    let platform = Platform::start();
    let (code, account_id) = platform.code(&standard_read_write());

    let result = platform.exchange(&code, &[]);

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    assert_eq!(result.field("stripe_user_id"), Some(account_id.as_str()));
    assert_eq!(result.field("livemode"), Some("false"));
    assert_eq!(result.field("scope"), Some("read_write"));
    assert_eq!(result.field("token_type"), Some("bearer"));
    assert_eq!(
        result.field("access_token"),
        Some("(hidden; pass --show-secrets to print it)")
    );
    assert_eq!(
        result.field("refresh_token"),
        Some("(hidden; pass --show-secrets to print it)")
    );
    assert_no_secrets(&result, &[&code, &platform.secret_key]);
    assert_eq!(platform.fake.requests_to("/oauth/token").len(), 1);
}

#[test]
fn exchange_json_has_documented_shape() {
    let platform = Platform::start();
    let (code, account_id) = platform.code(&CodeRequest {
        suggested_capabilities: vec!["transfers".to_owned()],
        ..CodeRequest::express()
    });

    let result = platform.exchange(&code, &["--json", "--assert-capability", "transfers"]);

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    let output = result.json();
    let mut keys: Vec<&str> = output
        .as_object()
        .expect("a JSON object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "capabilities",
            "has_access_token",
            "has_refresh_token",
            "livemode",
            "scope",
            "stripe_publishable_key",
            "stripe_user_id",
            "token_type",
        ]
    );
    assert_eq!(output["stripe_user_id"], account_id.as_str());
    assert_eq!(output["livemode"], false);
    assert_eq!(output["scope"], "express");
    assert_eq!(output["capabilities"], serde_json::json!(["transfers"]));
    assert_eq!(output["has_access_token"], true);
    assert_eq!(output["has_refresh_token"], true);
    assert_no_secrets(&result, &[&code, &platform.secret_key]);

    let body = &platform.fake.requests_to("/oauth/token")[0].body;
    assert!(body.ends_with("&assert_capabilities[]=transfers"));
}

#[test]
fn exchange_show_secrets_prints_tokens() {
    let platform = Platform::start();
    let (code, _) = platform.code(&standard_read_write());

    let result = platform.exchange(&code, &["--json", "--show-secrets"]);

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    let output = result.json();
    let access_token = output["access_token"].as_str().unwrap_or_default();
    let refresh_token = output["refresh_token"].as_str().unwrap_or_default();
    assert!(access_token.starts_with("sk_test_"));
    assert!(refresh_token.starts_with("rt_"));
    assert!(!result.stderr.contains(refresh_token));
}

#[test]
fn exchange_reads_code_from_stdin() {
    let platform = Platform::start();
    let (code, account_id) = platform.code(&standard_read_write());

    let result = run_with_stdin(
        &["exchange", "-", "--connect-base", &platform.base_url],
        &platform.env(),
        &format!("{code}\n"),
    );

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    assert_eq!(result.field("stripe_user_id"), Some(account_id.as_str()));
    let body = &platform.fake.requests_to("/oauth/token")[0].body;
    assert_eq!(body, &format!("grant_type=authorization_code&code={code}"));
}

#[test]
fn exchange_of_reused_code_exits_3() {
    let platform = Platform::start();
    let (code, _) = platform.code(&standard_read_write());
    assert_eq!(platform.exchange(&code, &[]).code, Some(0));

    let result = platform.exchange(&code, &[]);

    assert_eq!(result.code, Some(3), "stderr: {}", result.stderr);
    assert!(result.stdout.is_empty());
    assert_eq!(
        result.stderr.lines().count(),
        1,
        "stderr: {}",
        result.stderr
    );
    assert!(
        result.stderr.starts_with(
            "error: the authorization code exchange failed: oauth error `invalid_grant` (http 400)"
        ),
        "stderr: {}",
        result.stderr
    );
    assert!(result.stderr.contains("start the authorization again"));
    assert_no_secrets(&result, &[&code, &platform.secret_key]);
}

#[test]
fn exchange_of_unknown_code_masks_it() {
    let platform = Platform::start();

    let result = platform.exchange("ac_NeverIssued42", &[]);

    assert_eq!(result.code, Some(3), "stderr: {}", result.stderr);
    assert!(
        result
            .stderr
            .contains("Authorization code does not exist: ***"),
        "stderr: {}",
        result.stderr
    );
    assert_no_secrets(&result, &["NeverIssued42"]);
}

#[test]
fn exchange_with_nothing_listening_exits_4() {
    let port = closed_port();
    let base = format!("http://127.0.0.1:{port}");

    let result = run(
        &["exchange", "ac_Unused1", "--connect-base", &base],
        &[("STRIPE_SECRET_KEY", "sk_test_Canary123")],
    );

    assert_eq!(result.code, Some(4), "stderr: {}", result.stderr);
    assert_eq!(
        result.stderr.lines().count(),
        1,
        "stderr: {}",
        result.stderr
    );
    assert!(
        result.stderr.contains("(the request was not sent)"),
        "stderr: {}",
        result.stderr
    );
    assert!(
        result
            .stderr
            .contains("check the network and --connect-base")
    );
    assert_no_secrets(&result, &["Canary123", "Unused1"]);
}

#[test]
fn exchange_timeout_exits_4_and_says_code_is_spent() {
    let platform = Platform::start();
    let (code, _) = platform.code(&standard_read_write());
    platform
        .fake
        .queue_fault("/oauth/token", Fault::Delay { ms: 3000 })
        .expect("the fault should queue");

    let result = platform.exchange(&code, &["--timeout", "1"]);

    assert_eq!(result.code, Some(4), "stderr: {}", result.stderr);
    assert!(
        result
            .stderr
            .contains("timed out (the request may have been processed)"),
        "stderr: {}",
        result.stderr
    );
    assert!(result.stderr.contains("do not resend it"));
    assert_eq!(platform.fake.requests_to("/oauth/token").len(), 1);
}

#[test]
fn exchange_without_secret_key_is_usage_error() {
    let platform = Platform::start();

    let result = run(
        &[
            "exchange",
            "ac_Unused1",
            "--connect-base",
            &platform.base_url,
        ],
        &[],
    );

    assert_eq!(result.code, Some(2));
    assert!(
        result
            .stderr
            .starts_with("error: STRIPE_SECRET_KEY is not set"),
        "stderr: {}",
        result.stderr
    );
    assert!(platform.fake.requests_to("/oauth/token").is_empty());
}

#[test]
fn exchange_rejects_publishable_key_without_echo() {
    let result = run(
        &["exchange", "ac_Unused1"],
        &[("STRIPE_SECRET_KEY", "pk_test_Canary123")],
    );

    assert_eq!(result.code, Some(2));
    assert!(
        result
            .stderr
            .starts_with("error: STRIPE_SECRET_KEY is invalid")
    );
    assert!(!result.stderr.contains("Canary123"));
}

#[test]
fn unknown_option_is_one_line_usage_error() {
    let result = run(&["exchange", "ac_1", "--bogus"], &[]);

    assert_eq!(result.code, Some(2));
    assert_eq!(
        result.stderr,
        "error: unknown option '--bogus'; run with --help for usage\n"
    );
}

#[test]
fn extra_code_argument_is_not_echoed() {
    let result = run(&["exchange", "ac_SecretCode1", "ac_OtherSecret2"], &[]);

    assert_eq!(result.code, Some(2));
    assert_eq!(
        result.stderr,
        "error: unexpected extra argument; run with --help for usage\n"
    );
    assert_no_secrets(&result, &["SecretCode1", "OtherSecret2"]);
}

#[test]
fn code_given_as_timeout_is_not_echoed() {
    let result = run(&["exchange", "--timeout", "ac_SecretCode1", "ac_2"], &[]);

    assert_eq!(result.code, Some(2));
    assert_eq!(
        result.stderr,
        "error: invalid value for --timeout: expected whole seconds from 1 to 600; \
         run with --help for usage\n"
    );
    assert_no_secrets(&result, &["SecretCode1"]);
}

#[test]
fn misplaced_values_are_not_echoed() {
    let cases: [&[&str]; 5] = [
        &["sk_test_Misplaced1"],
        &["exchange", "ac_1", "--bogus=sk_test_Misplaced1"],
        &["exchange", "ac_1", "--sk_test_Misplaced1"],
        &["authorize-url", "--account-type", "sk_test_Misplaced1"],
        &["authorize-url", "--prefill", "sk_test_Misplaced1"],
    ];
    for args in cases {
        let result = run(args, &[]);

        assert_eq!(result.code, Some(2), "args #{}", args.len());
        assert_eq!(result.stderr.lines().count(), 1, "args: {:?}", args[0]);
        assert!(result.stderr.starts_with("error: "), "args: {:?}", args[0]);
        assert_no_secrets(&result, &["Misplaced1"]);
    }
}

#[test]
fn help_and_version_print_as_before() {
    let help = run(&["--help"], &[]);
    let version = run(&["--version"], &[]);
    let no_subcommand = run(&[], &[]);

    assert_eq!(help.code, Some(0));
    assert!(
        help.stdout
            .starts_with("Stripe Connect OAuth for platforms")
    );
    assert!(
        help.stdout
            .contains("Usage: stripe-connect-oauth <COMMAND>")
    );
    assert_eq!(version.code, Some(0));
    assert!(version.stdout.starts_with("stripe-connect-oauth 0."));
    assert_eq!(no_subcommand.code, Some(2));
    assert!(
        no_subcommand
            .stderr
            .contains("Usage: stripe-connect-oauth <COMMAND>")
    );
}

#[test]
fn missing_argument_is_usage_error() {
    let result = run(&["refresh"], &[]);

    assert_eq!(result.code, Some(2));
    assert!(
        result.stderr.contains("<REFRESH_TOKEN>"),
        "stderr: {}",
        result.stderr
    );
}

#[test]
fn help_documents_exit_statuses_and_environment() {
    let result = run(&["exchange", "--help"], &[]);

    assert_eq!(result.code, Some(0));
    for text in [
        "STRIPE_SECRET_KEY",
        "STRIPE_CLIENT_ID",
        "--show-secrets",
        "2  bad usage or invalid input",
        "3  Stripe answered with an error",
        "4  transport failure or timeout",
        "ureq, ureq_proto and rustls log at info at most",
    ] {
        assert!(result.stdout.contains(text), "help lacks {text:?}");
    }
}

#[test]
fn refresh_returns_new_tokens_for_same_account() {
    let platform = Platform::start();
    let (code, account_id) = platform.code(&standard_read_write());
    let exchanged = platform.exchange(&code, &["--json", "--show-secrets"]);
    let refresh_token = exchanged.json()["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let result = run_with_stdin(
        &[
            "refresh",
            "-",
            "--scope",
            "read_only",
            "--connect-base",
            &platform.base_url,
            "--json",
        ],
        &platform.env(),
        &refresh_token,
    );

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    let output = result.json();
    assert_eq!(output["stripe_user_id"], account_id.as_str());
    assert_eq!(output["scope"], "read_only");
    assert_eq!(output["has_access_token"], true);
    assert_eq!(output.get("access_token"), None);
    assert_no_secrets(&result, &[&refresh_token, &platform.secret_key]);
    let body = &platform.fake.requests_to("/oauth/token")[1].body;
    assert_eq!(
        body,
        &format!("grant_type=refresh_token&refresh_token={refresh_token}&scope=read_only")
    );
}

#[test]
fn refresh_with_unknown_token_exits_3() {
    let platform = Platform::start();

    let result = run_with_stdin(
        &["refresh", "-", "--connect-base", &platform.base_url],
        &platform.env(),
        "rt_NeverIssued42\n",
    );

    assert_eq!(result.code, Some(3), "stderr: {}", result.stderr);
    assert!(result.stderr.contains("oauth error `invalid_grant`"));
    assert!(result.stderr.contains("connect the account again"));
    assert_no_secrets(&result, &["NeverIssued42"]);
}

#[test]
fn deauthorize_disconnects_account() {
    let platform = Platform::start();
    let (code, account_id) = platform.code(&standard_read_write());
    assert_eq!(platform.exchange(&code, &[]).code, Some(0));

    let result = run(
        &[
            "deauthorize",
            &account_id,
            "--connect-base",
            &platform.base_url,
        ],
        &platform.env(),
    );

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    assert_eq!(result.field("stripe_user_id"), Some(account_id.as_str()));
    assert_eq!(result.field("deauthorized"), Some("true"));
    let account = platform
        .fake
        .accounts()
        .into_iter()
        .find(|account| account.stripe_user_id == account_id)
        .expect("the account should exist");
    assert!(!account.connected);
    let body = &platform.fake.requests_to("/oauth/deauthorize")[0].body;
    assert_eq!(
        body,
        &format!(
            "client_id={}&stripe_user_id={account_id}",
            platform.client_id
        )
    );
}

#[test]
fn deauthorize_json_and_second_call_exits_3() {
    let platform = Platform::start();
    let (code, account_id) = platform.code(&standard_read_write());
    assert_eq!(platform.exchange(&code, &[]).code, Some(0));
    let args = [
        "deauthorize",
        account_id.as_str(),
        "--connect-base",
        &platform.base_url,
        "--json",
    ];

    let first = run(&args, &platform.env());
    let second = run(&args, &platform.env());

    assert_eq!(first.code, Some(0), "stderr: {}", first.stderr);
    assert_eq!(
        first.json(),
        serde_json::json!({"stripe_user_id": account_id, "deauthorized": true})
    );
    assert_eq!(second.code, Some(3), "stderr: {}", second.stderr);
    assert!(
        second
            .stderr
            .contains("oauth error `invalid_client` (http 401)")
    );
    assert!(second.stdout.is_empty());
}

#[test]
fn deauthorize_rejects_non_account_id() {
    let platform = Platform::start();

    let result = run(
        &[
            "deauthorize",
            "ca_123",
            "--connect-base",
            &platform.base_url,
        ],
        &platform.env(),
    );

    assert_eq!(result.code, Some(2));
    assert!(result.stderr.contains("stripe_user_id is invalid"));
    assert!(platform.fake.requests_to("/oauth/deauthorize").is_empty());
}

#[test]
fn trace_log_shows_no_secrets() {
    let platform = Platform::start();
    for rust_log in [
        "trace",
        "ureq=trace,ureq_proto::util=trace,rustls=trace,trace",
    ] {
        let (code, _) = platform.code(&standard_read_write());
        let mut env = platform.env();
        env.push(("RUST_LOG", rust_log));

        let result = run_with_stdin(
            &[
                "exchange",
                "-",
                "--connect-base",
                &platform.base_url,
                "--json",
                "--show-secrets",
            ],
            &env,
            &code,
        );

        assert_eq!(result.code, Some(0), "RUST_LOG={rust_log}");
        // The core's own debug line proves that RUST_LOG took effect.
        assert!(
            result.stderr.contains("POST /oauth/token -> 200"),
            "RUST_LOG={rust_log}: no request line in the log"
        );
        let capped_lines = result
            .stderr
            .lines()
            .filter(|line| {
                [" DEBUG ", " TRACE "].iter().any(|level| {
                    ["ureq", "rustls"]
                        .iter()
                        .any(|target| line.contains(&format!("{level}{target}")))
                })
            })
            .count();
        assert_eq!(
            capped_lines, 0,
            "RUST_LOG={rust_log}: HTTP or TLS debug lines"
        );
        assert!(
            !result.stderr.to_ascii_lowercase().contains("authorization"),
            "RUST_LOG={rust_log}: the log shows an Authorization header"
        );
        let output = result.json();
        let access_token = output["access_token"].as_str().unwrap_or_default();
        let refresh_token = output["refresh_token"].as_str().unwrap_or_default();
        assert!(!access_token.is_empty(), "no access token in the output");
        assert!(!refresh_token.is_empty(), "no refresh token in the output");
        let stderr_only = common::Run {
            code: result.code,
            stdout: String::new(),
            stderr: result.stderr,
        };
        assert_no_secrets(
            &stderr_only,
            &[&code, &platform.secret_key, access_token, refresh_token],
        );
    }
}

#[test]
fn server_control_characters_are_escaped_in_text() {
    let platform = Platform::start();
    let body = serde_json::json!({
        "stripe_user_id": "acct_1ControlChars",
        "livemode": false,
        "scope": "read_write\u{1b}]0;owned\u{7}\u{1b}[2J",
        "token_type": "bearer\u{202e}",
        "capabilities": ["card_payments\u{9b}31m"],
    });
    platform
        .fake
        .queue_fault(
            "/oauth/token",
            Fault::Response {
                status: 200,
                headers: Vec::new(),
                body: body.to_string(),
            },
        )
        .expect("the fault should queue");

    let result = platform.exchange("ac_Unused1", &[]);

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    assert_eq!(
        result.field("scope"),
        Some("read_write\\u{1b}]0;owned\\u{7}\\u{1b}[2J")
    );
    assert_eq!(result.field("token_type"), Some("bearer\\u{202e}"));
    assert_eq!(
        result.field("capabilities"),
        Some("card_payments\\u{9b}31m")
    );
    for control in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!result.stdout.contains(control), "stdout has {control:?}");
    }
}

#[test]
fn server_control_characters_are_escaped_in_json() {
    let platform = Platform::start();
    let scope = "read_write\u{7f}\u{9b}31m\u{202e}";
    let body = serde_json::json!({
        "stripe_user_id": "acct_1ControlChars",
        "livemode": false,
        "scope": scope,
    });
    platform
        .fake
        .queue_fault(
            "/oauth/token",
            Fault::Response {
                status: 200,
                headers: Vec::new(),
                body: body.to_string(),
            },
        )
        .expect("the fault should queue");

    let result = platform.exchange("ac_Unused1", &["--json"]);

    assert_eq!(result.code, Some(0), "stderr: {}", result.stderr);
    for control in ['\u{7f}', '\u{9b}', '\u{202e}'] {
        assert!(!result.stdout.contains(control), "stdout has {control:?}");
    }
    assert_eq!(result.json()["scope"], scope);
}

#[test]
fn server_control_characters_are_escaped_in_errors() {
    let platform = Platform::start();
    let body = serde_json::json!({
        "error": "invalid_grant",
        "error_description": "Bad code\u{1b}[31m red\u{7}\u{1b}]0;title\u{9c}",
    });
    platform
        .fake
        .queue_fault(
            "/oauth/token",
            Fault::Response {
                status: 400,
                headers: Vec::new(),
                body: body.to_string(),
            },
        )
        .expect("the fault should queue");

    let result = platform.exchange("ac_Unused1", &[]);

    assert_eq!(result.code, Some(3), "stderr: {}", result.stderr);
    assert_eq!(
        result.stderr.lines().count(),
        1,
        "stderr: {}",
        result.stderr
    );
    assert!(
        result.stderr.contains("Bad code"),
        "stderr: {}",
        result.stderr
    );
    for control in ['\u{1b}', '\u{7}', '\u{9c}'] {
        assert!(!result.stderr.contains(control), "stderr has {control:?}");
    }
}

#[test]
fn fake_stripe_subcommand_serves_and_announces() {
    let (_child, line) = spawn_and_read_line(
        &[
            "fake-stripe",
            "--port",
            "0",
            "--redirect-uri",
            "http://127.0.0.1:9999/cb",
        ],
        &[],
    );

    let announcement: Value = serde_json::from_str(&line).expect("a JSON announcement line");
    let base_url = announcement["base_url"].as_str().expect("a base_url");
    assert!(base_url.starts_with("http://127.0.0.1:"));
    let config = common::get(&format!("{base_url}/__fake/config"), &[]);
    assert_eq!(config.status, 200);
    assert_eq!(
        config.json()["redirect_uris"][2],
        "http://127.0.0.1:9999/cb"
    );
}

#[test]
fn secret_scan_finds_tokens_and_skips_masks() {
    assert_eq!(
        common::secret_tokens("a sk_test_ABC1 b rt_x2, ac_*** and xac_1"),
        ["sk_test_ABC1", "rt_x2"]
    );
}
