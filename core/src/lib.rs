//! Stripe Connect OAuth for platforms that onboard Express and Standard accounts.
//!
//! The crate builds the authorize URL ("Connect with Stripe") with a CSRF `state`, parses the
//! callback and checks `state` before anything else, and encodes and decodes the requests that
//! exchange the single-use authorization code, refresh, and deauthorize.
//!
//! It has two layers:
//!
//! - A sans-I/O layer, always compiled: [`ConnectConfig`] builds authorize URLs and
//!   [`HttpRequest`]s, and [`TokenRequest::decode_response`] turns a response into a typed
//!   result. A program with its own HTTP stack needs only this layer.
//! - A blocking client behind the default `http` feature, which sends those requests.
//!
//! # Example
//!
//! ```
//! use stripe_connect_oauth::{
//!     AuthorizeParams, ClientId, ConnectConfig, State, parse_callback,
//! };
//!
//! let config = ConnectConfig::new().client_id(ClientId::new("ca_123abc")?);
//!
//! // Keep the state in the user's session, then send the user to the URL.
//! let state = State::generate()?;
//! let url = config.authorize_url(
//!     &AuthorizeParams::express()
//!         .redirect_uri("https://platform.example/stripe/callback")
//!         .state(state.clone()),
//! )?;
//! assert!(url.starts_with("https://connect.stripe.com/express/oauth/authorize?response_type=code"));
//!
//! // Stripe redirects back; remove the stored state from the session and check the callback.
//! let callback_url = format!(
//!     "https://platform.example/stripe/callback?code=ac_123&state={}",
//!     state.as_str()
//! );
//! let callback = parse_callback(&callback_url, &state)?;
//! assert_eq!(callback.code().secret(), "ac_123");
//! # Ok::<(), stripe_connect_oauth::Error>(())
//! ```
//!
//! # The whole flow with the blocking client
//!
//! A platform's two routes, with the session store left to the web framework:
//!
//! ```no_run
//! use stripe_connect_oauth::{
//!     AuthorizeParams, Client, ClientId, Error, ExchangeOptions, SecretKey, State,
//!     parse_callback,
//! };
//!
//! # fn session_store(_: &str) {}
//! # fn session_take() -> Option<String> { None }
//! # fn main() -> Result<(), Error> {
//! // Build one client at start-up and share it: it pools connections and is Send + Sync.
//! let client = Client::builder()
//!     .secret_key(SecretKey::new(std::env::var("STRIPE_SECRET_KEY").unwrap_or_default())?)
//!     .client_id(ClientId::new(std::env::var("STRIPE_CLIENT_ID").unwrap_or_default())?)
//!     .build()?;
//!
//! // Route 1: "Connect with Stripe" redirects here.
//! let state = State::generate()?;
//! session_store(state.as_str());
//! let url = client.authorize_url(
//!     &AuthorizeParams::standard()
//!         .redirect_uri("https://platform.example/stripe/callback")
//!         .state(state),
//! )?;
//! // Redirect the browser to `url`.
//!
//! // Route 2: Stripe redirects back to the callback URL.
//! let callback_url = "https://platform.example/stripe/callback?code=ac_123&state=…";
//! // Take the state out of the session first, so a replayed callback finds none.
//! let Some(stored) = session_take() else {
//!     return Err(Error::StateMissing);
//! };
//! let callback = parse_callback(callback_url, &State::new(stored)?)?;
//! let token = client.exchange_code(callback.code(), &ExchangeOptions::new())?;
//! println!("connected {}", token.stripe_user_id());
//! # Ok(())
//! # }
//! ```
//!
//! # Secrets
//!
//! Secret keys, authorization codes, access tokens and refresh tokens are newtypes whose `Debug`
//! prints `***`. Their text is read through `secret()`. No `Display` of this crate prints one.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod authorize;
mod callback;
#[cfg(feature = "http")]
mod client;
mod config;
mod encoding;
mod error;
mod redact;
mod request;
mod response;
mod secret;
mod state;
mod stripe_user;
#[cfg(feature = "http")]
mod transport;

pub use authorize::{AccountType, AuthorizeParams, StripeLanding};
pub use callback::{Callback, parse_callback};
#[cfg(feature = "http")]
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_RETRY_BACKOFF,
    DEFAULT_TIMEOUT,
};
pub use config::{ConnectBase, ConnectConfig, CredentialScheme, DEFAULT_CONNECT_BASE, Scope};
pub use error::{ApiError, Error, ErrorKind, OAuthError, OAuthErrorCode, UnexpectedResponse};
pub use redact::mask_secrets;
pub use request::{
    DEAUTHORIZE_PATH, DeauthorizeOptions, DeauthorizeRequest, ExchangeOptions, GrantType,
    HttpRequest, RefreshOptions, TOKEN_PATH, TokenRequest, USER_AGENT,
};
pub use response::{
    HttpResponse, MAX_BODY_EXCERPT, MAX_RESPONSE_BODY, TokenResponse, parse_retry_after,
};
pub use secret::{AccessToken, AccountId, AuthorizationCode, ClientId, RefreshToken, SecretKey};
pub use state::{MAX_STATE_LEN, State};
pub use stripe_user::{StripeUser, StripeUserField};
