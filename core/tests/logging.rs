//! The client's log output: one `debug!` line per request, and no secret in any line.

use std::net::TcpListener;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use fake_stripe::{CodeRequest, FakeStripe};
use log::{Level, LevelFilter, Log, Metadata, Record};
use stripe_connect_oauth::{
    AuthorizationCode, Client, ClientId, ConnectBase, DeauthorizeOptions, ExchangeOptions,
    RefreshOptions, SecretKey,
};

/// Every record logged by this crate, as `LEVEL message`.
static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The logger is global, so tests that read it run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

struct CaptureLogger;

impl Log for CaptureLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("stripe_connect_oauth")
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            let line = format!("{} {}", record.level(), record.args());
            LINES.lock().unwrap().push(line);
        }
    }

    fn flush(&self) {}
}

static LOGGER: CaptureLogger = CaptureLogger;

fn capture() -> MutexGuard<'static, ()> {
    let guard = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(LevelFilter::Debug);
    LINES.lock().unwrap().clear();
    guard
}

fn lines() -> Vec<String> {
    LINES.lock().unwrap().clone()
}

#[test]
fn whole_flow_logs_no_secret() {
    let _guard = capture();
    let fake = FakeStripe::start().unwrap();
    let platform = fake.platform();
    let client = Client::builder()
        .connect_base(ConnectBase::new(&fake.base_url()).unwrap())
        .client_id(ClientId::new(platform.client_id.clone()).unwrap())
        .secret_key(SecretKey::new(platform.test_secret_key.clone()).unwrap())
        .build()
        .unwrap();
    let code = fake.obtain_code(&CodeRequest::standard()).unwrap();
    let code = AuthorizationCode::new(code.expect_code()).unwrap();

    let token = client
        .exchange_code(&code, &ExchangeOptions::new())
        .unwrap();
    let refresh_token = token.refresh_token().unwrap().clone();
    let refreshed = client
        .refresh(&refresh_token, &RefreshOptions::new())
        .unwrap();
    client
        .deauthorize(token.stripe_user_id(), &DeauthorizeOptions::new())
        .unwrap();
    let reuse_error = client
        .exchange_code(&code, &ExchangeOptions::new())
        .unwrap_err();

    let logged = lines();
    assert_eq!(logged.len(), 4, "one line per request: {logged:?}");
    assert!(
        logged
            .iter()
            .all(|line| line.starts_with(Level::Debug.as_str()))
    );
    assert!(
        logged[0].starts_with("DEBUG POST /oauth/token -> 200 in "),
        "{}",
        logged[0]
    );
    assert!(
        logged[2].starts_with("DEBUG POST /oauth/deauthorize -> 200"),
        "{}",
        logged[2]
    );
    let secrets = [
        platform.test_secret_key.as_str(),
        platform.live_secret_key.as_str(),
        code.secret(),
        token.access_token().unwrap().secret(),
        refresh_token.secret(),
        refreshed.access_token().unwrap().secret(),
    ];
    let shown = format!("{logged:?} {reuse_error}");
    for secret in secrets {
        assert!(!shown.contains(secret), "a secret appears in the log");
    }
}

#[test]
fn connect_failures_are_retried_then_reported() {
    let _guard = capture();
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

    let code = AuthorizationCode::new("ac_PLACEHOLDER").unwrap();
    let error = client
        .exchange_code(&code, &ExchangeOptions::new())
        .unwrap_err();

    assert!(!error.may_have_been_processed());
    let logged = lines();
    let retries = logged.iter().filter(|line| line.contains("retry")).count();
    assert_eq!(retries, 2, "{logged:?}");
    assert!(logged.last().unwrap().contains("failed"), "{logged:?}");
}
