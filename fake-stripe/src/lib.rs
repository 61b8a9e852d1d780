//! A local stand-in for connect.stripe.com's OAuth endpoints, for integration tests of a
//! Stripe Connect platform.
//!
//! stripe-mock does not serve the Connect OAuth endpoints, so this crate does. It listens
//! on 127.0.0.1 only and behaves as Stripe's Connect OAuth reference describes: both
//! authorize pages, single-use authorization codes that expire after five minutes, token
//! exchange, refresh, and deauthorize. A control API under `/__fake/` lets tests obtain codes
//! without a browser, read every request the server received, queue faults and move the
//! clock. It shares no code with the client library it tests.
//!
//! # Starting it
//!
//! In-process, from Rust: [`FakeStripe::start`] binds a free port and serves from background
//! threads until the value is dropped.
//!
//! ```
//! use fake_stripe::{CodeRequest, FakeStripe};
//!
//! let fake = FakeStripe::start()?;
//! let token_url = fake.url("/oauth/token");
//! let secret_key = fake.platform().test_secret_key;
//!
//! let obtained = fake.obtain_code(&CodeRequest {
//!     state: Some("S1".to_owned()),
//!     scope: Some("read_write".to_owned()),
//!     ..CodeRequest::standard()
//! })?;
//! assert!(obtained.location.starts_with("http://127.0.0.1:8080/callback?scope=read_write&code=ac_"));
//! assert!(obtained.location.ends_with("&state=S1"));
//! // POST token_url with grant_type=authorization_code&code=… and the secret key.
//! # let _ = (token_url, secret_key);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! As a process: `fake-stripe-connect --port 0` prints one JSON line (see
//! [`FakeStripe::announcement_json`]) and serves until SIGINT or SIGTERM, then exits with
//! status 0. [`run_until_signal`] is the same logic for other binaries.
//!
//! # Platforms and credentials
//!
//! The server has two platforms, [`FakeStripe::platform`] (the one under test) and
//! [`FakeStripe::other_platform`] (to present one platform's code with another's key). Each
//! has a client id (`ca_…`), test and live secret keys (`sk_test_…`, `sk_live_…`),
//! restricted keys (`rk_test_…`, `rk_live_…`), publishable keys (`pk_…`, always rejected
//! by the token endpoints) and registered redirect URIs. [`FakeStripeConfig`] sets them.
//!
//! # Connect endpoints
//!
//! - `GET /oauth/authorize` (Standard) and `GET /express/oauth/authorize` (Express) check
//!   `response_type` (missing: `invalid_request`; not `code`: `unsupported_response_type`),
//!   `client_id` (missing: `invalid_request`; unknown: `invalid_client`), `redirect_uri`
//!   (must equal a registered URI, else `invalid_redirect_uri`; absent means the first
//!   registered one), `scope` (Standard: `read_write` or `read_only`, default `read_only`,
//!   else `invalid_scope`; Express ignores it), `stripe_landing` (`login`/`register`),
//!   `always_prompt` (`true`/`false`) and `suggested_capabilities[]`. A parameter sent twice
//!   is `invalid_request`. Errors are a JSON body with status 400 and are never redirected.
//!   A valid request gets an HTML onboarding page prefilled from `stripe_user[...]` (every
//!   value HTML-escaped) with a live-mode checkbox (id `livemode`, unchecked: codes are
//!   test-mode) and two buttons, ids `authorize` and `deny`, that post the decision to
//!   `POST /oauth/authorize/decision`.
//! - The decision answers 302. Approval: the redirect URI plus `scope` (Standard only),
//!   `code` and `state`; denial: `error=access_denied`,
//!   `error_description=The%20user%20denied%20your%20request` and `state`. The redirect
//!   URI's own query parameters stay in front. Each approval creates a connected account
//!   whose capabilities are the suggested ones, or [`FakeStripeConfig::default_capabilities`].
//! - `POST /oauth/token` (form-encoded body) with `grant_type=authorization_code&code=…`
//!   (plus `assert_capabilities[]=…` items) or `grant_type=refresh_token&refresh_token=…`
//!   (plus an optional equal or narrower `scope`). Success is 200 with `access_token`,
//!   `livemode`, `refresh_token`, `token_type: "bearer"`, `stripe_publishable_key`,
//!   `stripe_user_id`, `scope` (`read_write`, `read_only` or `express`) and, when
//!   capabilities were asserted, `capabilities`. `livemode` is the mode of the key used; a
//!   test-mode code or refresh token never yields live tokens.
//! - `POST /oauth/deauthorize` with `client_id` and `stripe_user_id` answers
//!   `{"stripe_user_id": "acct_…"}` and revokes the account's refresh tokens.
//!
//! The key is the HTTP Basic user name (empty password), a Bearer token, or the
//! `client_secret` form field, exactly one of them. Errors are
//! `{"error": …, "error_description": …}` with `Content-Type: application/json`:
//!
//! | case | status | error |
//! |---|---|---|
//! | no key | 401 | `invalid_client` |
//! | unknown key, publishable key, malformed `Authorization` | 401 | `invalid_client` |
//! | key sent twice (header and `client_secret`, or two headers) | 400 | `invalid_request` |
//! | body not form-encoded, parameter sent twice | 400 | `invalid_request` |
//! | missing `grant_type`, `code`, `refresh_token`, `client_id`, `stripe_user_id` | 400 | `invalid_request` |
//! | other `grant_type` | 400 | `unsupported_grant_type` |
//! | unknown code: "Authorization code does not exist: ac_…" | 400 | `invalid_grant` |
//! | other platform's code: "Authorization code provided does not belong to you" | 400 | `invalid_grant` |
//! | reused code: "This authorization code has already been used. All tokens issued with this code have been revoked." | 400 | `invalid_grant` |
//! | code older than 5 minutes on the fake clock: "Authorization code expired" | 400 | `invalid_grant` |
//! | test-mode code with a live key: "Passed in livemode API key but authorization code only supports returning test keys" | 400 | `invalid_grant` |
//! | asserted capability the account lacks | 400 | `invalid_request` |
//! | unknown, other platform's, revoked, or test-mode-with-live-key refresh token | 400 | `invalid_grant` |
//! | refresh `scope` wider than granted, or unknown | 400 | `invalid_scope` |
//! | deauthorize: unknown `client_id`, another platform's, or account not connected | 401 | `invalid_client` |
//!
//! Other paths answer 404 with Stripe's API error shape
//! (`{"error": {"type": "invalid_request_error", "message": …}}`); a wrong method on a known
//! path answers 405. Connections are HTTP/1.1 with keep-alive.
//!
//! # Control API
//!
//! Requests under `/__fake/` are neither recorded nor faulted. Bodies are JSON (an empty
//! body reads as `{}`); errors use the OAuth error shape with status 400 (404 for an unknown
//! endpoint, 405 for a wrong method). Every endpoint has a Rust method on [`FakeStripe`].
//!
//! - `GET /__fake/config` returns the announcement object (see
//!   [`FakeStripe::announcement_json`]).
//! - `POST /__fake/codes` obtains a code without a browser, validating exactly like the
//!   authorize endpoints. Request: either
//!   `{"authorize_url": "http://127.0.0.1:PORT/oauth/authorize?…"}` (a full URL or a path
//!   with query; only path and query are read), or the parameters
//!   `{"express": false, "client_id": "ca_…", "redirect_uri": "…", "scope": "read_write",
//!   "state": "…", "stripe_landing": "login", "suggested_capabilities": ["transfers"],
//!   "stripe_user": {"email": "…"}}` (all optional; `client_id` defaults to the platform's).
//!   Both forms also take `"decision": "approve" | "deny"` (default approve),
//!   `"livemode": false` and `"stripe_user_id": "acct_…"` (reconnect an existing account).
//!   Response: `{"location": "<redirect URL>", "code": "ac_…" | null, "state": "…" | null,
//!   "scope": "read_write" | null, "stripe_user_id": "acct_…" | null}`.
//! - `GET /__fake/requests` (optionally `?path=/oauth/token`) returns
//!   `{"requests": [{"id": 1, "connection_id": 1, "method": "POST", "path": "/oauth/token",
//!   "query": null, "headers": [["Host", "…"], …], "body": "grant_type=…",
//!   "received_at_us": 1700000000000000, "responded_at_us": 1700000000000150 | null,
//!   "status": 200 | null, "fault": "delay" | null}]}`, oldest first (see
//!   [`RecordedRequest`]). Times are integer microseconds since the Unix epoch:
//!   `received_at_us` when the whole request had been read, `responded_at_us` when the
//!   server started writing the response (after any delay) or closed the connection, set
//!   before the client can read the response. At most 10 000 records are kept. `DELETE /__fake/requests` clears them: `{"cleared": true}`.
//! - `POST /__fake/faults` with `{"path": "/oauth/token", "fault": {"kind": …}, "times": 1}`
//!   queues a [`Fault`] for the next `times` requests to that exact path (default 1):
//!   `{"queued": 1}`. Kinds: `{"kind": "delay", "ms": 500}`,
//!   `{"kind": "response", "status": 429, "headers": [["Retry-After", "2"]], "body": "…"}`,
//!   `{"kind": "html_502"}`, `{"kind": "empty_body", "status": 500}`,
//!   `{"kind": "close", "process": true}`, `{"kind": "truncated"}`,
//!   `{"kind": "oversized", "bytes": 2097152}`,
//!   `{"kind": "redirect", "location": "http://127.0.0.1:9/oauth/token", "status": 307}`.
//!   `GET /__fake/faults` returns `{"faults": [{"path": …, "fault": {…}}]}`;
//!   `DELETE /__fake/faults` clears them: `{"cleared": true}`.
//! - `GET /__fake/clock` returns `{"offset_seconds": 0, "now": <fake Unix seconds>}`;
//!   `POST /__fake/clock/advance` with `{"seconds": 301}` moves the fake clock forward and
//!   returns the same shape.
//! - `POST /__fake/reset` clears records, faults, accounts, codes and tokens and sets the
//!   clock back: `{"reset": true}`. Redirect URIs registered at run time stay.
//! - `POST /__fake/redirect_uris` with `{"redirect_uri": "http://127.0.0.1:8080/cb"}`
//!   (optionally `"client_id"` to pick the platform) registers one more redirect URI:
//!   `{"redirect_uris": [...]}`.
//! - `GET /__fake/accounts` returns `{"accounts": [{"stripe_user_id": "acct_…",
//!   "client_id": "ca_…", "account_type": "standard" | "express", "connected": true,
//!   "capabilities": ["card_payments", "transfers"]}]}`.
//!
//! # Logging
//!
//! Server events go through the `log` facade: start and stop at `info`, faults and
//! decisions at `info`, one line per request (method, path, status, time) at `debug`. Keys,
//! tokens and codes are never logged.

mod app;
mod authorize;
mod config;
mod control;
mod error;
mod fault;
mod form;
mod http;
mod ids;
mod obtain;
mod page;
mod record;
mod run;
mod state;
mod token;

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use config::{DEFAULT_PORT, FakeStripeConfig, PlatformCredentials};
pub use error::OAuthError;
pub use fault::{DEFAULT_OVERSIZED_BYTES, Fault};
pub use obtain::{CodeRequest, Decision, ObtainedCode};
pub use record::RecordedRequest;
pub use run::{USAGE, config_from_args, run_until_signal};
pub use state::{CODE_LIFETIME, ConnectedAccount};

use app::App;
use http::{Limits, Server};

/// A running fake Stripe Connect server on 127.0.0.1.
///
/// Dropping it stops the server: no new connections are accepted, open ones are closed,
/// pending delays end early, and every server thread is joined.
pub struct FakeStripe {
    // Declared first so it is dropped (and its threads joined) before the app state.
    server: Server,
    app: Arc<App>,
}

impl fmt::Debug for FakeStripe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeStripe")
            .field("base_url", &self.app.base_url())
            .finish_non_exhaustive()
    }
}

impl FakeStripe {
    /// Starts a server with the default configuration on a free port.
    ///
    /// # Errors
    ///
    /// When the port cannot be bound or a thread cannot be spawned.
    pub fn start() -> io::Result<Self> {
        Self::start_with(FakeStripeConfig::default())
    }

    /// Starts a server with the default configuration on `port` (0 picks a free one).
    ///
    /// # Errors
    ///
    /// When the port cannot be bound (for example because it is in use).
    pub fn start_on(port: u16) -> io::Result<Self> {
        Self::start_with(FakeStripeConfig::default().with_port(port))
    }

    /// Starts a server with `config`.
    ///
    /// # Errors
    ///
    /// `InvalidInput` when the configuration is invalid (see
    /// [`FakeStripeConfig::validate`]); otherwise when the port cannot be bound or a thread
    /// cannot be spawned.
    pub fn start_with(config: FakeStripeConfig) -> io::Result<Self> {
        config.validate()?;

        let listener = http::bind_loopback(config.port)?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let app = Arc::new(App::new(base_url, &config));
        let limits = Limits {
            idle_timeout: config.idle_timeout,
            max_connections: config.max_connections,
        };
        let server = Server::start(listener, limits, Arc::clone(&app) as Arc<dyn http::Service>)?;
        Ok(FakeStripe { server, app })
    }

    /// Returns the base URL, such as `http://127.0.0.1:41234`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.app.base_url().to_owned()
    }

    /// Returns the base URL followed by `path`, such as `http://127.0.0.1:41234/oauth/token`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.base_url())
    }

    /// Returns the bound address; its IP is always 127.0.0.1.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// Returns the credentials of the platform under test, with the redirect URIs
    /// registered so far.
    pub fn platform(&self) -> PlatformCredentials {
        self.app.state().platform(0).clone()
    }

    /// Returns the credentials of the other platform.
    pub fn other_platform(&self) -> PlatformCredentials {
        self.app.state().platform(1).clone()
    }

    /// Returns the announcement as one line of JSON: `base_url`, then the platform's
    /// `client_id`, `test_secret_key`, `live_secret_key`, `test_restricted_key`,
    /// `live_restricted_key`, `test_publishable_key`, `live_publishable_key`,
    /// `redirect_uris`, then `other_platform` with the same fields (without `base_url`).
    pub fn announcement_json(&self) -> String {
        self.app.announcement_json()
    }

    /// Registers one more redirect URI for the platform under test.
    ///
    /// # Errors
    ///
    /// `InvalidInput` when `uri` is not an absolute http(s) URL without fragment.
    pub fn add_redirect_uri(&self, uri: &str) -> io::Result<()> {
        self.app
            .state()
            .add_redirect_uri(0, uri)
            .map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))
    }

    /// Runs an authorize request and the user's decision without a browser.
    ///
    /// # Errors
    ///
    /// The OAuth error the authorize page would show (invalid client id, redirect URI,
    /// scope, …), or `invalid_request` for an unknown `stripe_user_id`.
    pub fn obtain_code(&self, request: &CodeRequest) -> Result<ObtainedCode, OAuthError> {
        self.app.obtain_code(request)
    }

    /// Runs an authorize request given as a URL, as a browser would open it, and the user's
    /// decision. The URL may be full or a path with query. Only its path and query are read.
    ///
    /// # Errors
    ///
    /// As for `obtain_code`, and `invalid_request` when the path is not one of the two
    /// authorize paths.
    pub fn obtain_code_from_url(
        &self,
        authorize_url: &str,
        decision: Decision,
        livemode: bool,
    ) -> Result<ObtainedCode, OAuthError> {
        self.app
            .obtain_code_from_url(authorize_url, decision, livemode, None)
    }

    /// Returns every recorded request, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.app.requests(None)
    }

    /// Returns the recorded requests to `path`, oldest first.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        self.app.requests(Some(path))
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.app.clear_requests();
    }

    /// Queues `fault` for the next request to `path` (exact path, no query).
    ///
    /// # Errors
    ///
    /// `InvalidInput` when the fault is invalid (see [`Fault::validate`]), the path does not
    /// start with `/` or is under `/__fake/`, or 10 000 faults are already queued.
    pub fn queue_fault(&self, path: &str, fault: Fault) -> io::Result<()> {
        self.queue_fault_times(path, fault, 1)
    }

    /// Queues `fault` for the next `times` requests to `path`.
    ///
    /// # Errors
    ///
    /// As for [`queue_fault`](Self::queue_fault), and when `times` is 0.
    pub fn queue_fault_times(&self, path: &str, fault: Fault, times: usize) -> io::Result<()> {
        self.app
            .queue_fault(path, fault, times)
            .map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))
    }

    /// Returns the faults not yet applied, with their paths.
    pub fn pending_faults(&self) -> Vec<(String, Fault)> {
        self.app.pending_faults()
    }

    /// Removes every queued fault.
    pub fn clear_faults(&self) {
        self.app.clear_faults();
    }

    /// Moves the fake clock forward, which ages authorization codes.
    pub fn advance_clock(&self, by: Duration) {
        self.app.advance_clock(by);
    }

    /// Returns how far the fake clock is ahead of the system clock.
    pub fn clock_offset(&self) -> Duration {
        self.app.state().clock_offset()
    }

    /// Clears records, faults, accounts, codes and tokens, and sets the clock back.
    /// Registered redirect URIs stay.
    pub fn reset(&self) {
        self.app.reset();
    }

    /// Returns every connected account, sorted by id.
    pub fn accounts(&self) -> Vec<ConnectedAccount> {
        self.app.state().accounts()
    }
}
