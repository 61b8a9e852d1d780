//! Encoding of token and deauthorize requests, for any HTTP client.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::authorize::check_capability;
use crate::config::{ConnectConfig, CredentialScheme, Scope};
use crate::encoding::PairWriter;
use crate::error::Error;
use crate::response::{self, HttpResponse, TokenResponse};
use crate::secret::{AccountId, AuthorizationCode, RefreshToken, SecretKey};

/// Path of the token endpoint, for both the code exchange and refresh.
pub const TOKEN_PATH: &str = "/oauth/token";

/// Path of the deauthorize endpoint.
pub const DEAUTHORIZE_PATH: &str = "/oauth/deauthorize";

/// The `User-Agent` of every request: this crate's name and version.
pub const USER_AGENT: &str = concat!("stripe-connect-oauth/", env!("CARGO_PKG_VERSION"));

/// An HTTP request ready to send: method, URL, headers and form body.
///
/// The `Authorization` header carries the secret key and the body may carry an authorization
/// code or refresh token, so `Debug` shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    url: String,
    headers: Vec<(&'static str, Cow<'static, str>)>,
    body: String,
}

impl HttpRequest {
    fn post_form(url: String, credential: String, body: String) -> Self {
        let headers = vec![
            ("Authorization", Cow::Owned(credential)),
            (
                "Content-Type",
                Cow::Borrowed("application/x-www-form-urlencoded"),
            ),
            ("Accept", Cow::Borrowed("application/json")),
            ("User-Agent", Cow::Borrowed(USER_AGENT)),
        ];
        Self { url, headers, body }
    }

    /// Returns the method, which is always `POST`.
    pub fn method(&self) -> &'static str {
        "POST"
    }

    /// Returns the absolute URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Returns the headers in sending order. The `Authorization` value is secret.
    pub fn headers(&self) -> &[(&'static str, Cow<'static, str>)] {
        &self.headers
    }

    /// Returns the value of a header, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_ref())
    }

    /// Returns the `application/x-www-form-urlencoded` body. It may contain an authorization
    /// code or refresh token.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Returns the URL path, for logs.
    pub fn path(&self) -> &str {
        let after_scheme = self
            .url
            .split_once("://")
            .map_or(&*self.url, |(_, rest)| rest);
        after_scheme
            .find('/')
            .map_or("/", |start| &after_scheme[start..])
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if name.eq_ignore_ascii_case("Authorization") {
                    "***"
                } else {
                    value
                };
                (*name, shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method())
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Options of a code exchange.
#[derive(Clone, Debug, Default)]
pub struct ExchangeOptions {
    assert_capabilities: Vec<String>,
    secret_key: Option<SecretKey>,
}

impl ExchangeOptions {
    /// Creates options with no capability assertion and the configured key.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one `assert_capabilities[]` item (Express): Stripe fails the exchange unless the
    /// account requested that capability.
    pub fn assert_capability(mut self, capability: impl Into<String>) -> Self {
        self.assert_capabilities.push(capability.into());
        self
    }

    /// Sets the secret key of this call, which replaces the configured one. Default: none.
    pub fn secret_key(mut self, secret_key: SecretKey) -> Self {
        self.secret_key = Some(secret_key);
        self
    }
}

/// Options of a refresh.
#[derive(Clone, Debug, Default)]
pub struct RefreshOptions {
    scope: Option<Scope>,
    secret_key: Option<SecretKey>,
}

impl RefreshOptions {
    /// Creates options that keep the granted scope and use the configured key.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a scope narrower than the one granted. Default: none, which keeps the granted scope.
    pub fn scope(mut self, scope: Scope) -> Self {
        self.scope = Some(scope);
        self
    }

    /// Sets the secret key of this call, which replaces the configured one. Default: none.
    pub fn secret_key(mut self, secret_key: SecretKey) -> Self {
        self.secret_key = Some(secret_key);
        self
    }
}

/// Options of a deauthorize request.
#[derive(Clone, Debug, Default)]
pub struct DeauthorizeOptions {
    secret_key: Option<SecretKey>,
}

impl DeauthorizeOptions {
    /// Creates options that use the configured key.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the secret key of this call, which replaces the configured one. Default: none.
    pub fn secret_key(mut self, secret_key: SecretKey) -> Self {
        self.secret_key = Some(secret_key);
        self
    }
}

/// The grant of a token request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GrantType {
    /// `authorization_code`: the single-use code exchange.
    AuthorizationCode,
    /// `refresh_token`.
    RefreshToken,
}

impl GrantType {
    /// Returns the `grant_type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
        }
    }
}

/// A request to the token endpoint, with what its response decoding needs.
#[derive(Clone)]
pub struct TokenRequest {
    http: HttpRequest,
    grant_type: GrantType,
    key_livemode: bool,
    /// The code or refresh token sent, hidden wherever the response's text is shown.
    grant_secret: String,
}

impl fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRequest")
            .field("http", &self.http)
            .field("grant_type", &self.grant_type)
            .field("key_livemode", &self.key_livemode)
            .finish_non_exhaustive()
    }
}

impl TokenRequest {
    /// Returns the HTTP request to send.
    pub fn http(&self) -> &HttpRequest {
        &self.http
    }

    /// Returns the grant type.
    pub fn grant_type(&self) -> GrantType {
        self.grant_type
    }

    /// Decodes the response to this request.
    ///
    /// The body decides, not the `Content-Type`: a JSON object with a string `error` is an
    /// OAuth error even on HTTP 200.
    ///
    /// # Errors
    ///
    /// [`Error::OAuth`], [`Error::Api`], [`Error::RateLimited`], [`Error::UnexpectedResponse`],
    /// [`Error::Decode`], and [`Error::ModeMismatch`] when `livemode` differs from the mode of
    /// the key that sent the request.
    pub fn decode_response(&self, response: &HttpResponse<'_>) -> Result<TokenResponse, Error> {
        let fields = response::decode_success_object(response, Some(&self.grant_secret))?;
        let token = TokenResponse::from_fields(fields)
            .map_err(|error| error.with_status(response.status))?;
        if token.livemode() != self.key_livemode {
            return Err(Error::ModeMismatch {
                key_livemode: self.key_livemode,
                response: Box::new(token),
            });
        }
        Ok(token)
    }
}

/// A request to the deauthorize endpoint, with the account it disconnects.
#[derive(Clone, Debug)]
pub struct DeauthorizeRequest {
    http: HttpRequest,
    account_id: AccountId,
}

impl DeauthorizeRequest {
    /// Returns the HTTP request to send.
    pub fn http(&self) -> &HttpRequest {
        &self.http
    }

    /// Decodes the response and returns the disconnected account.
    ///
    /// # Errors
    ///
    /// The errors of [`TokenRequest::decode_response`] but mode mismatch, and
    /// [`Error::UnexpectedResponse`] when Stripe confirms another account than the one sent.
    pub fn decode_response(&self, response: &HttpResponse<'_>) -> Result<AccountId, Error> {
        let mut fields = response::decode_success_object(response, None)?;
        let account_id = response::required_account_id(&mut fields)
            .map_err(|error| error.with_status(response.status))?;
        if account_id != self.account_id {
            return Err(response::unexpected(
                response,
                "the response names another connected account than the request",
                None,
            ));
        }
        Ok(account_id)
    }
}

fn credential(scheme: CredentialScheme, key: &SecretKey) -> String {
    match scheme {
        CredentialScheme::Basic => {
            let mut user_and_empty_password = Vec::with_capacity(key.secret().len() + 1);
            user_and_empty_password.extend_from_slice(key.secret().as_bytes());
            user_and_empty_password.push(b':');
            let mut value = String::with_capacity(6 + user_and_empty_password.len() * 4 / 3 + 4);
            value.push_str("Basic ");
            STANDARD.encode_string(user_and_empty_password, &mut value);
            value
        }
        CredentialScheme::Bearer => ["Bearer ", key.secret()].concat(),
    }
}

impl ConnectConfig {
    fn token_request(
        &self,
        grant_type: GrantType,
        grant_secret: &str,
        per_call_key: Option<&SecretKey>,
        body: String,
    ) -> Result<TokenRequest, Error> {
        let key = self.pick_secret_key(per_call_key)?;
        let http = HttpRequest::post_form(
            self.connect_base.join(TOKEN_PATH),
            credential(self.credential_scheme, key),
            body,
        );
        Ok(TokenRequest {
            http,
            grant_type,
            key_livemode: key.livemode(),
            grant_secret: grant_secret.to_owned(),
        })
    }

    /// Builds the exchange of an authorization code: `grant_type=authorization_code&code=…`
    /// plus one `assert_capabilities[]` per item.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when no secret key is configured or passed, the code is empty,
    /// has whitespace or control characters, or is plainly another Stripe id, or a capability
    /// name is invalid.
    pub fn exchange_code_request(
        &self,
        code: &AuthorizationCode,
        options: &ExchangeOptions,
    ) -> Result<TokenRequest, Error> {
        // A code from a callback is wrapped unchecked, so the format is checked here.
        code.check()?;
        for capability in &options.assert_capabilities {
            check_capability("assert_capabilities", capability)?;
        }

        let mut body = PairWriter::with_capacity(64 + code.secret().len());
        body.pair("grant_type", GrantType::AuthorizationCode.as_str());
        body.pair("code", code.secret());
        for capability in &options.assert_capabilities {
            body.pair("assert_capabilities[]", capability);
        }
        self.token_request(
            GrantType::AuthorizationCode,
            code.secret(),
            options.secret_key.as_ref(),
            body.finish(),
        )
    }

    /// Builds a refresh: `grant_type=refresh_token&refresh_token=…`, plus `scope` when a
    /// narrower one is requested.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when no secret key is configured or passed.
    pub fn refresh_request(
        &self,
        refresh_token: &RefreshToken,
        options: &RefreshOptions,
    ) -> Result<TokenRequest, Error> {
        let mut body = PairWriter::with_capacity(64 + refresh_token.secret().len());
        body.pair("grant_type", GrantType::RefreshToken.as_str());
        body.pair("refresh_token", refresh_token.secret());
        if let Some(scope) = options.scope {
            body.pair("scope", scope.as_str());
        }
        self.token_request(
            GrantType::RefreshToken,
            refresh_token.secret(),
            options.secret_key.as_ref(),
            body.finish(),
        )
    }

    /// Builds a deauthorize request: `client_id=…&stripe_user_id=…`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when no client id or secret key is configured.
    pub fn deauthorize_request(
        &self,
        account_id: &AccountId,
        options: &DeauthorizeOptions,
    ) -> Result<DeauthorizeRequest, Error> {
        let client_id = self.require_client_id()?;
        let key = self.pick_secret_key(options.secret_key.as_ref())?;

        let mut body = PairWriter::with_capacity(64);
        body.pair("client_id", client_id.as_str());
        body.pair("stripe_user_id", account_id.as_str());
        let http = HttpRequest::post_form(
            self.connect_base.join(DEAUTHORIZE_PATH),
            credential(self.credential_scheme, key),
            body.finish(),
        );
        Ok(DeauthorizeRequest {
            http,
            account_id: account_id.clone(),
        })
    }
}
