//! The blocking client against the fake Stripe server over real loopback sockets.

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use fake_stripe::{CodeRequest, Decision, FakeStripe, Fault};
use stripe_connect_oauth::{
    AccountId, AuthorizationCode, AuthorizeParams, Client, ClientId, ConnectBase, CredentialScheme,
    DeauthorizeOptions, Error, ExchangeOptions, OAuthErrorCode, RefreshOptions, Scope, SecretKey,
    State, parse_callback,
};

const TOKEN: &str = "/oauth/token";
const DEAUTHORIZE: &str = "/oauth/deauthorize";

fn client_for(fake: &FakeStripe) -> Client {
    let platform = fake.platform();
    Client::builder()
        .connect_base(ConnectBase::new(&fake.base_url()).unwrap())
        .client_id(ClientId::new(platform.client_id).unwrap())
        .secret_key(SecretKey::new(platform.test_secret_key).unwrap())
        .retry_backoff(Duration::from_millis(10))
        .build()
        .unwrap()
}

/// Runs the authorize step through the fake's control API, then parses the redirect as a
/// platform's callback route would.
fn code_via_callback(
    fake: &FakeStripe,
    client: &Client,
    express: bool,
) -> (AuthorizationCode, Option<String>) {
    let state = State::generate().unwrap();
    let params = if express {
        AuthorizeParams::express().suggested_capability("transfers")
    } else {
        AuthorizeParams::standard().scope(Scope::ReadWrite)
    };
    let url = client.authorize_url(&params.state(state.clone())).unwrap();
    let obtained = fake
        .obtain_code_from_url(&url, Decision::Approve, false)
        .unwrap();
    let callback = parse_callback(&obtained.location, &state).unwrap();
    let (code, scope) = callback.into_parts();
    (code, scope)
}

fn fresh_code(fake: &FakeStripe) -> AuthorizationCode {
    let obtained = fake.obtain_code(&CodeRequest::standard()).unwrap();
    AuthorizationCode::new(obtained.expect_code()).unwrap()
}

fn exchange(
    client: &Client,
    code: &AuthorizationCode,
) -> Result<stripe_connect_oauth::TokenResponse, Error> {
    client.exchange_code(code, &ExchangeOptions::new())
}

#[test]
fn client_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
}

#[test]
fn express_flow_exchanges_and_deauthorizes() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);

    let (code, callback_scope) = code_via_callback(&fake, &client, true);
    assert_eq!(callback_scope, None);
    let options = ExchangeOptions::new().assert_capability("transfers");
    let token = client.exchange_code(&code, &options).unwrap();
    assert!(token.stripe_user_id().as_str().starts_with("acct_"));
    assert_eq!(token.scope(), Some("express"));
    assert!(!token.livemode());
    assert_eq!(token.capabilities(), ["transfers"]);

    let account = client
        .deauthorize(token.stripe_user_id(), &DeauthorizeOptions::new())
        .unwrap();
    assert_eq!(&account, token.stripe_user_id());
}

#[test]
fn standard_flow_exchanges_refreshes_and_deauthorizes() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);

    let (code, callback_scope) = code_via_callback(&fake, &client, false);
    assert_eq!(callback_scope.as_deref(), Some("read_write"));
    let token = exchange(&client, &code).unwrap();
    assert_eq!(token.scope(), Some("read_write"));
    assert_eq!(token.token_type(), Some("bearer"));
    assert!(token.access_token().is_some());
    assert!(
        token
            .stripe_publishable_key()
            .is_some_and(|k| k.starts_with("pk_test_"))
    );
    let refresh_token = token
        .refresh_token()
        .expect("a Standard grant has a refresh token");

    let refreshed = client
        .refresh(refresh_token, &RefreshOptions::new().scope(Scope::ReadOnly))
        .unwrap();
    assert_eq!(refreshed.stripe_user_id(), token.stripe_user_id());
    assert_eq!(refreshed.scope(), Some("read_only"));
    let refresh_body = &fake.requests_to(TOKEN)[1].body;
    assert!(refresh_body.starts_with("grant_type=refresh_token&refresh_token=rt_"));
    assert!(refresh_body.ends_with("&scope=read_only"));

    let account = client
        .deauthorize(token.stripe_user_id(), &DeauthorizeOptions::new())
        .unwrap();
    assert_eq!(&account, token.stripe_user_id());
    let deauthorize = &fake.requests_to(DEAUTHORIZE)[0];
    assert_eq!(
        deauthorize.body,
        format!(
            "client_id={}&stripe_user_id={account}",
            fake.platform().client_id
        )
    );
}

#[test]
fn bearer_credential_is_accepted() {
    let fake = FakeStripe::start().unwrap();
    let client = Client::builder()
        .config(client_for(&fake).config().clone())
        .credential_scheme(CredentialScheme::Bearer)
        .build()
        .unwrap();
    let code = fresh_code(&fake);

    exchange(&client, &code).unwrap();

    let recorded = &fake.requests_to(TOKEN)[0];
    let expected = format!("Bearer {}", fake.platform().test_secret_key);
    assert!(recorded.header("authorization") == Some(expected.as_str()));
}

#[test]
fn reused_code_is_invalid_grant_without_retry() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);
    let code = fresh_code(&fake);
    exchange(&client, &code).unwrap();

    let error = exchange(&client, &code).unwrap_err();

    let Error::OAuth(oauth) = &error else {
        panic!("expected an OAuth error, got {error}");
    };
    assert_eq!(oauth.error, OAuthErrorCode::InvalidGrant);
    assert_eq!(oauth.http_status, 400);
    assert_eq!(
        oauth.error_description.as_deref(),
        Some(
            "This authorization code has already been used. \
             All tokens issued with this code have been revoked."
        )
    );
    assert_eq!(fake.requests_to(TOKEN).len(), 2);
}

#[test]
fn per_call_key_is_the_only_credential_sent() {
    let fake = FakeStripe::start().unwrap();
    let configured_key = fake.other_platform().test_secret_key;
    let per_call_key = fake.platform().test_secret_key;
    let client = Client::builder()
        .connect_base(ConnectBase::new(&fake.base_url()).unwrap())
        .secret_key(SecretKey::new(configured_key.clone()).unwrap())
        .build()
        .unwrap();
    let code = fresh_code(&fake);

    let options = ExchangeOptions::new().secret_key(SecretKey::new(per_call_key.clone()).unwrap());
    client.exchange_code(&code, &options).unwrap();

    let recorded = &fake.requests_to(TOKEN)[0];
    assert_eq!(recorded.method, "POST");
    assert!(
        recorded.body == format!("grant_type=authorization_code&code={}", code.secret()),
        "unexpected token request body"
    );
    let expected = format!("Basic {}", STANDARD.encode(format!("{per_call_key}:")));
    assert_eq!(recorded.header_values("authorization").len(), 1);
    assert!(recorded.header("authorization") == Some(expected.as_str()));
    let configured_basic = STANDARD.encode(format!("{configured_key}:"));
    let leaks_configured_key = recorded
        .headers
        .iter()
        .any(|(_, value)| value.contains(&configured_key) || value.contains(&configured_basic))
        || recorded.body.contains(&configured_key);
    assert!(!leaks_configured_key, "the configured key was sent");
}

#[test]
fn request_headers_are_exact() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);
    exchange(&client, &fresh_code(&fake)).unwrap();

    let recorded = &fake.requests_to(TOKEN)[0];
    assert_eq!(
        recorded.header_values("content-type"),
        ["application/x-www-form-urlencoded"]
    );
    assert_eq!(
        recorded.header_values("user-agent"),
        [stripe_connect_oauth::USER_AGENT]
    );
    assert_eq!(recorded.header_values("accept"), ["application/json"]);
}

#[test]
fn delay_beyond_timeout_is_timeout_after_sending() {
    let fake = FakeStripe::start().unwrap();
    let client = Client::builder()
        .config(client_for(&fake).config().clone())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    fake.queue_fault(TOKEN, Fault::Delay { ms: 2_000 }).unwrap();

    let error = exchange(&client, &fresh_code(&fake)).unwrap_err();

    assert!(
        matches!(
            error,
            Error::Timeout {
                may_have_been_processed: true
            }
        ),
        "expected a timeout after sending, got {error}"
    );
    assert_eq!(fake.requests_to(TOKEN).len(), 1);
}

#[test]
fn closed_connection_is_sent_once_and_may_be_processed() {
    let fake = FakeStripe::start().unwrap();
    let client = Client::builder()
        .config(client_for(&fake).config().clone())
        .retries(2)
        .build()
        .unwrap();
    fake.queue_fault(TOKEN, Fault::Close { process: true })
        .unwrap();

    let error = exchange(&client, &fresh_code(&fake)).unwrap_err();

    assert!(
        matches!(
            error,
            Error::Transport {
                may_have_been_processed: true,
                ..
            }
        ),
        "expected a transport error after sending, got {error}"
    );
    assert!(error.to_string().contains("may have been processed"));
    assert_eq!(fake.requests_to(TOKEN).len(), 1);
}

#[test]
fn closed_pooled_connection_is_not_resent() {
    let fake = FakeStripe::start().unwrap();
    let client = Client::builder()
        .config(client_for(&fake).config().clone())
        .retries(2)
        .build()
        .unwrap();
    exchange(&client, &fresh_code(&fake)).unwrap();
    fake.queue_fault(TOKEN, Fault::Close { process: true })
        .unwrap();

    let error = exchange(&client, &fresh_code(&fake)).unwrap_err();

    assert!(error.may_have_been_processed(), "{error}");
    let records = fake.requests_to(TOKEN);
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[0].connection_id, records[1].connection_id,
        "the second exchange did not reuse the pooled connection"
    );
}

#[test]
fn html_502_is_unexpected_response() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);
    fake.queue_fault(TOKEN, Fault::Html502).unwrap();

    let error = exchange(&client, &fresh_code(&fake)).unwrap_err();

    let Error::UnexpectedResponse(response) = &error else {
        panic!("expected an unexpected response, got {error}");
    };
    assert_eq!(response.http_status, 502);
    assert!(
        response
            .content_type
            .as_deref()
            .is_some_and(|t| t.starts_with("text/html"))
    );
    assert!(response.body_excerpt.contains("502 Bad Gateway"));
    assert_eq!(fake.requests_to(TOKEN).len(), 1);
}

#[test]
fn empty_body_is_unexpected_response() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);
    fake.queue_fault(TOKEN, Fault::EmptyBody { status: 500 })
        .unwrap();

    let error = exchange(&client, &fresh_code(&fake)).unwrap_err();

    let Error::UnexpectedResponse(response) = &error else {
        panic!("expected an unexpected response, got {error}");
    };
    assert_eq!(response.http_status, 500);
    assert_eq!(response.body_excerpt, "");
}

#[test]
fn truncated_body_is_transport_error() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);
    fake.queue_fault(TOKEN, Fault::Truncated).unwrap();

    let error = exchange(&client, &fresh_code(&fake)).unwrap_err();

    assert!(
        matches!(
            error,
            Error::Transport {
                may_have_been_processed: true,
                ..
            }
        ),
        "expected a transport error after sending, got {error}"
    );
    assert_eq!(fake.requests_to(TOKEN).len(), 1);
}

#[test]
fn oversized_body_is_rejected() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);
    fake.queue_fault(
        TOKEN,
        Fault::Oversized {
            bytes: 2 * 1024 * 1024,
        },
    )
    .unwrap();

    let error = exchange(&client, &fresh_code(&fake)).unwrap_err();

    let Error::UnexpectedResponse(response) = &error else {
        panic!("expected an unexpected response, got {error}");
    };
    assert_eq!(response.http_status, 200);
    assert!(
        response.reason.contains("larger than 65536 bytes"),
        "{}",
        response.reason
    );
}

#[test]
fn redirect_is_not_followed() {
    let fake = FakeStripe::start().unwrap();
    let other = FakeStripe::start().unwrap();
    let client = client_for(&fake);
    let location = format!("{}{TOKEN}", other.base_url());
    fake.queue_fault(
        TOKEN,
        Fault::Redirect {
            location,
            status: 307,
        },
    )
    .unwrap();

    let error = exchange(&client, &fresh_code(&fake)).unwrap_err();

    assert_eq!(error.http_status(), Some(307), "{error}");
    assert!(matches!(error, Error::UnexpectedResponse(_)));
    assert!(
        other.requests().is_empty(),
        "the redirect target received a request"
    );
}

#[test]
fn rate_limit_reaches_server_once() {
    let fake = FakeStripe::start().unwrap();
    let client = Client::builder()
        .config(client_for(&fake).config().clone())
        .retries(2)
        .build()
        .unwrap();
    let fault = Fault::Response {
        status: 429,
        headers: vec![("Retry-After".to_owned(), "2".to_owned())],
        body: r#"{"error":"rate_limited"}"#.to_owned(),
    };
    fake.queue_fault(TOKEN, fault).unwrap();

    let error = exchange(&client, &fresh_code(&fake)).unwrap_err();

    assert!(matches!(error, Error::RateLimited { .. }), "{error}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(2)));
    assert_eq!(fake.requests_to(TOKEN).len(), 1);
}

#[test]
fn unavailable_with_retry_after_is_unexpected_response() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);
    let fault = Fault::Response {
        status: 503,
        headers: vec![
            ("Retry-After".to_owned(), "30".to_owned()),
            ("Content-Type".to_owned(), "text/html".to_owned()),
        ],
        body: "<html>maintenance</html>".to_owned(),
    };
    fake.queue_fault(TOKEN, fault).unwrap();

    let error = exchange(&client, &fresh_code(&fake)).unwrap_err();

    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
}

#[test]
fn nothing_listening_is_not_processed() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .connect_base(ConnectBase::new(&format!("http://127.0.0.1:{port}")).unwrap())
        .secret_key(SecretKey::new("sk_test_PLACEHOLDER").unwrap())
        .retries(2)
        .retry_backoff(Duration::from_millis(5))
        .build()
        .unwrap();

    let error = exchange(&client, &AuthorizationCode::new("ac_PLACEHOLDER").unwrap()).unwrap_err();

    assert!(
        matches!(
            error,
            Error::Transport {
                may_have_been_processed: false,
                ..
            }
        ),
        "expected a transport error before sending, got {error}"
    );
    assert!(error.to_string().contains("the request was not sent"));
}

#[test]
fn invalid_input_sends_nothing() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);

    let code = parse_callback("code=ca_PLACEHOLDER&state=S1", &State::new("S1").unwrap())
        .unwrap()
        .into_parts()
        .0;
    let error = exchange(&client, &code).unwrap_err();

    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    assert!(fake.requests().is_empty());
}

#[test]
fn deauthorize_unknown_account_is_oauth_error() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);

    let error = client
        .deauthorize(
            &AccountId::new("acct_Unknown1").unwrap(),
            &DeauthorizeOptions::new(),
        )
        .unwrap_err();

    assert!(matches!(error, Error::OAuth(_)), "{error}");
}

#[test]
fn shared_client_runs_1000_exchanges_on_8_threads() {
    const THREADS: usize = 8;
    const EXCHANGES: usize = 1_000;
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);
    let codes: Vec<AuthorizationCode> = (0..EXCHANGES).map(|_| fresh_code(&fake)).collect();
    let next = AtomicUsize::new(0);

    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(code) = codes.get(index) else {
                        break;
                    };
                    if let Err(error) = exchange(&client, code) {
                        panic!("exchange {index} failed: {error}");
                    }
                }
            });
        }
    });

    let records = fake.requests_to(TOKEN);
    assert_eq!(records.len(), EXCHANGES);
    let mut sent: Vec<&str> = records.iter().map(|record| record.body.as_str()).collect();
    sent.sort_unstable();
    sent.dedup();
    assert_eq!(sent.len(), EXCHANGES, "a code was sent more than once");
    assert!(records.iter().all(|record| record.status == Some(200)));
}

#[test]
fn denied_authorization_never_reaches_token_endpoint() {
    let fake = FakeStripe::start().unwrap();
    let client = client_for(&fake);
    let state = State::generate().unwrap();
    let url = client
        .authorize_url(&AuthorizeParams::standard().state(state.clone()))
        .unwrap();

    let obtained = fake
        .obtain_code_from_url(&url, Decision::Deny, false)
        .unwrap();
    let error = parse_callback(&obtained.location, &state).unwrap_err();

    assert!(
        matches!(
            error,
            Error::AccessDenied {
                description: Some(_)
            }
        ),
        "{error}"
    );
    assert!(fake.requests_to(TOKEN).is_empty());
}

#[test]
fn localhost_name_is_resolved() {
    let fake = FakeStripe::start().unwrap();
    let base = fake.base_url().replace("127.0.0.1", "localhost");
    let client = Client::builder()
        .config(client_for(&fake).config().clone())
        .connect_base(ConnectBase::new(&base).unwrap())
        .build()
        .unwrap();

    exchange(&client, &fresh_code(&fake)).unwrap();

    assert_eq!(fake.requests_to(TOKEN).len(), 1);
}

#[test]
fn zero_timeouts_are_rejected() {
    for builder in [
        Client::builder().timeout(Duration::ZERO),
        Client::builder().connect_timeout(Duration::ZERO),
    ] {
        let error = builder.build().unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    }
}
