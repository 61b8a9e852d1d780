//! The blocking client: sends the requests that the sans-I/O layer builds, over one ureq agent.

use std::thread;
use std::time::{Duration, Instant};

use log::{Level, debug, log_enabled};
use ureq::Agent;
use ureq::tls::{TlsConfig, TlsProvider};
use ureq::unversioned::transport::DefaultConnector;

use crate::authorize::AuthorizeParams;
use crate::config::{ConnectBase, ConnectConfig, CredentialScheme};
use crate::error::Error;
use crate::request::{DeauthorizeOptions, ExchangeOptions, HttpRequest, RefreshOptions};
use crate::response::{MAX_RESPONSE_BODY, TokenResponse, unexpected};
use crate::secret::{AccountId, AuthorizationCode, ClientId, RefreshToken, SecretKey};
use crate::transport::{LiteralFirstResolver, ReceivedResponse, classify_ureq_error};

/// Default time allowed to open a connection, TLS handshake included.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default time allowed for a whole request, from connecting to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default number of retries after a failure that provably happened before sending.
pub const DEFAULT_RETRIES: u32 = 2;

/// Default wait before the first retry; it doubles for each later one.
pub const DEFAULT_RETRY_BACKOFF: Duration = Duration::from_millis(100);

/// A builder of [`Client`], with setters named after the settings.
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    config: ConnectConfig,
    connect_timeout: Duration,
    timeout: Duration,
    retries: u32,
    retry_backoff: Duration,
}

impl ClientBuilder {
    /// Sets every Connect setting at once, replacing earlier calls to the setters below.
    pub fn config(mut self, config: ConnectConfig) -> Self {
        self.config = config;
        self
    }

    /// Sets the platform's secret key, used unless a call passes its own. Default: none.
    pub fn secret_key(mut self, secret_key: SecretKey) -> Self {
        self.config = self.config.secret_key(secret_key);
        self
    }

    /// Sets the platform's client id, needed for authorize URLs and deauthorize. Default: none.
    pub fn client_id(mut self, client_id: ClientId) -> Self {
        self.config = self.config.client_id(client_id);
        self
    }

    /// Sets the origin of Stripe's OAuth endpoints. Default: `https://connect.stripe.com`.
    pub fn connect_base(mut self, connect_base: ConnectBase) -> Self {
        self.config = self.config.connect_base(connect_base);
        self
    }

    /// Sets how the secret key is sent. Default: [`CredentialScheme::Basic`].
    pub fn credential_scheme(mut self, credential_scheme: CredentialScheme) -> Self {
        self.config = self.config.credential_scheme(credential_scheme);
        self
    }

    /// Sets the time allowed to open a connection, TLS handshake included. Default: 10 s.
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// Sets the time allowed for a whole request, from connecting to the end of the response
    /// body. Default: 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets how many times a request is retried after a failure that provably happened before
    /// any byte was sent (name resolution, TCP connect). Default: 2.
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// Sets the wait before the first retry, doubled for each later one. Default: 100 ms.
    pub fn retry_backoff(mut self, retry_backoff: Duration) -> Self {
        self.retry_backoff = retry_backoff;
        self
    }

    /// Builds the client and its connection pool.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the connect timeout or the request timeout is zero, which
    /// would fail every request.
    pub fn build(self) -> Result<Client, Error> {
        for (parameter, timeout) in [
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.timeout),
        ] {
            if timeout.is_zero() {
                return Err(Error::invalid_input(
                    parameter,
                    format!(
                        "the {parameter} is zero, which would fail every request: set a positive duration"
                    ),
                ));
            }
        }
        Ok(self.build_checked())
    }

    fn build_checked(self) -> Client {
        let tls = TlsConfig::builder().provider(tls_provider()).build();
        let config = Agent::config_builder()
            // The error body must be read, so statuses are not turned into errors.
            .http_status_as_error(false)
            // Following a redirect could carry the secret key to another host.
            .max_redirects(0)
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
            .tls_config(tls)
            .build();
        let agent = Agent::with_parts(
            config,
            DefaultConnector::new(),
            LiteralFirstResolver::for_base(self.config.connect_base.as_str()),
        );
        Client {
            config: self.config,
            agent,
            retries: self.retries,
            retry_backoff: self.retry_backoff,
        }
    }
}

#[cfg(feature = "rustls")]
fn tls_provider() -> TlsProvider {
    TlsProvider::Rustls
}

#[cfg(not(feature = "rustls"))]
fn tls_provider() -> TlsProvider {
    TlsProvider::NativeTls
}

/// A blocking client for Stripe's token and deauthorize endpoints.
///
/// It owns one ureq agent whose pool keeps connections alive between requests. It is
/// `Send + Sync`, so one client serves every thread of a server.
///
/// # Single-use codes
///
/// The client never sends a request twice once any byte of it may have been written. It
/// retries only failures that provably happened before sending, and ureq 3 itself does not
/// resend a request when a pooled connection turns out to be closed. A failure after sending is
/// an [`Error::Transport`] or [`Error::Timeout`] whose `may_have_been_processed` is `true`:
/// treat the code as spent and restart the authorization.
#[derive(Debug)]
pub struct Client {
    config: ConnectConfig,
    agent: Agent,
    retries: u32,
    retry_backoff: Duration,
}

impl Client {
    /// Starts a builder with the defaults: `https://connect.stripe.com`, no key, no client id,
    /// 10 s to connect, 30 s per request, 2 retries before sending.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            config: ConnectConfig::new(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retries: DEFAULT_RETRIES,
            retry_backoff: DEFAULT_RETRY_BACKOFF,
        }
    }

    /// Creates a client with these Connect settings and the default transport settings.
    pub fn new(config: ConnectConfig) -> Self {
        // The default timeouts are positive, so the check in `build` cannot fail here.
        Self::builder().config(config).build_checked()
    }

    /// Returns the Connect settings.
    pub fn config(&self) -> &ConnectConfig {
        &self.config
    }

    /// Builds the authorize URL with this client's base and client id; see
    /// [`ConnectConfig::authorize_url`].
    ///
    /// # Errors
    ///
    /// The errors of [`ConnectConfig::authorize_url`].
    pub fn authorize_url(&self, params: &AuthorizeParams) -> Result<String, Error> {
        self.config.authorize_url(params)
    }

    /// Exchanges a single-use authorization code for the connected account.
    ///
    /// The code is sent at most once. On a transport error or timeout with
    /// `may_have_been_processed`, treat the code as spent.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidInput`] before any I/O: no key, a bad code or capability name.
    /// - [`Error::OAuth`] from Stripe, such as `invalid_grant` for a used or expired code.
    /// - [`Error::Api`], [`Error::RateLimited`], [`Error::UnexpectedResponse`] (proxy pages,
    ///   redirects, bodies over 64 KiB) and [`Error::Decode`].
    /// - [`Error::ModeMismatch`] when the account's mode differs from the key's.
    /// - [`Error::Transport`] and [`Error::Timeout`], which say whether the request may have
    ///   been processed.
    pub fn exchange_code(
        &self,
        code: &AuthorizationCode,
        options: &ExchangeOptions,
    ) -> Result<TokenResponse, Error> {
        let request = self.config.exchange_code_request(code, options)?;
        let response = self.send(request.http())?;
        request.decode_response(&response.as_http_response())
    }

    /// Obtains a new access token with a refresh token, optionally for a narrower scope.
    ///
    /// # Errors
    ///
    /// The errors of [`Client::exchange_code`].
    pub fn refresh(
        &self,
        refresh_token: &RefreshToken,
        options: &RefreshOptions,
    ) -> Result<TokenResponse, Error> {
        let request = self.config.refresh_request(refresh_token, options)?;
        let response = self.send(request.http())?;
        request.decode_response(&response.as_http_response())
    }

    /// Disconnects a connected account from the platform and returns its id.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when no client id or key is configured, the response errors of
    /// [`Client::exchange_code`] but mode mismatch, and [`Error::UnexpectedResponse`] when
    /// Stripe confirms another account.
    pub fn deauthorize(
        &self,
        account_id: &AccountId,
        options: &DeauthorizeOptions,
    ) -> Result<AccountId, Error> {
        let request = self.config.deauthorize_request(account_id, options)?;
        let response = self.send(request.http())?;
        request.decode_response(&response.as_http_response())
    }

    /// Sends a request, retrying only failures that happened before any byte was sent.
    fn send(&self, request: &HttpRequest) -> Result<ReceivedResponse, Error> {
        let mut attempt = 0;
        loop {
            // The clock is read only when the debug line that reports it is enabled.
            let started = log_enabled!(Level::Debug).then(Instant::now);
            let outcome = self.send_once(request);
            let elapsed_ms = started.map_or(0, |started| started.elapsed().as_millis());

            let error = match outcome {
                Ok(response) => {
                    debug!(
                        "{} {} -> {} in {elapsed_ms} ms",
                        request.method(),
                        request.path(),
                        response.status
                    );
                    return Ok(response);
                }
                Err(error) => error,
            };
            if error.may_have_been_processed() || attempt >= self.retries {
                debug!(
                    "{} {} failed in {elapsed_ms} ms: {error}",
                    request.method(),
                    request.path()
                );
                return Err(error);
            }

            let backoff = self.retry_backoff.saturating_mul(1 << attempt.min(16));
            attempt += 1;
            debug!(
                "{} {} not sent ({error}); retry {attempt} of {} in {} ms",
                request.method(),
                request.path(),
                self.retries,
                backoff.as_millis()
            );
            thread::sleep(backoff);
        }
    }

    fn send_once(&self, request: &HttpRequest) -> Result<ReceivedResponse, Error> {
        let mut builder = self.agent.post(request.url());
        for (name, value) in request.headers() {
            builder = builder.header(*name, value.as_ref());
        }
        let mut response = builder
            .send(request.body())
            .map_err(|error| classify_ureq_error(&error))?;

        // A limit one byte above the maximum separates an oversized body from one exactly at it.
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BODY as u64 + 1)
            .read_to_vec();
        let (parts, _) = response.into_parts();
        let received = ReceivedResponse {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body: Vec::new(),
        };

        match body {
            Ok(body) => Ok(ReceivedResponse { body, ..received }),
            Err(ureq::Error::BodyExceedsLimit(_)) => Err(unexpected(
                &received.as_http_response(),
                format!("the body is larger than {MAX_RESPONSE_BODY} bytes"),
                None,
            )),
            Err(error) => Err(classify_ureq_error(&error)),
        }
    }
}
