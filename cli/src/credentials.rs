//! The platform's credentials, read from the environment.

use std::env;

use stripe_connect_oauth::{ClientId, ConnectBase, SecretKey};

use crate::failure::Failure;

/// Environment variable with the platform's secret key.
pub const SECRET_KEY_VAR: &str = "STRIPE_SECRET_KEY";

/// Environment variable with the platform's client id.
pub const CLIENT_ID_VAR: &str = "STRIPE_CLIENT_ID";

/// Environment variable with the origin of Stripe's OAuth endpoints.
pub const CONNECT_BASE_VAR: &str = "STRIPE_CONNECT_BASE";

/// Reads the value of `name`, treating an empty value as unset.
///
/// # Errors
///
/// A usage failure when the value is not valid Unicode. The message names the variable only.
fn read_var(name: &str) -> Result<Option<String>, Failure> {
    match env::var(name) {
        Ok(value) if value.is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(env::VarError::NotPresent) => Ok(None),
        Err(env::VarError::NotUnicode(_)) => Err(Failure::usage(format!(
            "{name} is not valid UTF-8: set it to the key copied from the Stripe Dashboard"
        ))),
    }
}

/// Reads and checks `STRIPE_SECRET_KEY`.
///
/// # Errors
///
/// A usage failure when it is unset, empty or not a secret or restricted key. The message
/// never contains the value.
pub fn secret_key() -> Result<SecretKey, Failure> {
    let Some(key) = read_var(SECRET_KEY_VAR)? else {
        return Err(Failure::usage(format!(
            "{SECRET_KEY_VAR} is not set: export the platform's secret key \
             (sk_test_… or sk_live_…) from the API keys page of the Stripe Dashboard"
        )));
    };
    SecretKey::new(key)
        .map_err(|error| Failure::usage(format!("{SECRET_KEY_VAR} is invalid: {error}")))
}

/// Checks the client id given by `--client-id` or `STRIPE_CLIENT_ID`.
///
/// # Errors
///
/// A usage failure when it is missing or not a `ca_…` value. The core's message never echoes
/// a key passed here by mistake.
pub fn client_id(value: Option<&str>) -> Result<ClientId, Failure> {
    let Some(value) = value.filter(|value| !value.is_empty()) else {
        return Err(Failure::usage(format!(
            "the client_id is missing: set {CLIENT_ID_VAR} or pass --client-id with the ca_… \
             value from the Connect settings of the Stripe Dashboard"
        )));
    };
    ClientId::new(value).map_err(|error| Failure::usage(error.to_string()))
}

/// The credentials the demo found in the environment.
#[derive(Debug)]
pub enum DemoCredentials {
    /// Neither variable is set: the demo runs the fake Stripe server.
    None,
    /// Both are set and valid: the demo talks to Stripe, or to the server that
    /// `STRIPE_CONNECT_BASE` names.
    Stripe {
        /// The platform's secret key.
        secret_key: SecretKey,
        /// The platform's client id.
        client_id: ClientId,
        /// `STRIPE_CONNECT_BASE`, or `https://connect.stripe.com` when it is unset or empty.
        connect_base: ConnectBase,
    },
}

/// Reads the demo's variables: both credentials or neither, and `STRIPE_CONNECT_BASE` only
/// with both.
///
/// # Errors
///
/// A usage failure when only one credential is set, when `STRIPE_CONNECT_BASE` is set without
/// them, or when a value is invalid.
pub fn demo_credentials() -> Result<DemoCredentials, Failure> {
    let has_key = read_var(SECRET_KEY_VAR)?.is_some();
    let client_id_value = read_var(CLIENT_ID_VAR)?;
    let connect_base_value = read_var(CONNECT_BASE_VAR)?;
    match (has_key, client_id_value) {
        (false, None) if connect_base_value.is_some() => Err(Failure::usage(format!(
            "{CONNECT_BASE_VAR} is set but {SECRET_KEY_VAR} and {CLIENT_ID_VAR} are not: set \
             all three to use that server, or unset {CONNECT_BASE_VAR} to run the demo against \
             the in-process fake Stripe server"
        ))),
        (false, None) => Ok(DemoCredentials::None),
        (true, Some(value)) => Ok(DemoCredentials::Stripe {
            secret_key: secret_key()?,
            client_id: client_id(Some(&value))?,
            connect_base: match connect_base_value {
                Some(base) => ConnectBase::new(&base).map_err(|error| {
                    Failure::usage(format!("{CONNECT_BASE_VAR} is invalid: {error}"))
                })?,
                None => ConnectBase::default(),
            },
        }),
        (true, None) => Err(Failure::usage(format!(
            "{SECRET_KEY_VAR} is set but {CLIENT_ID_VAR} is not: set both to use Stripe, \
             or unset both to run the demo against the in-process fake Stripe server"
        ))),
        (false, Some(_)) => Err(Failure::usage(format!(
            "{CLIENT_ID_VAR} is set but {SECRET_KEY_VAR} is not: set both to use Stripe, \
             or unset both to run the demo against the in-process fake Stripe server"
        ))),
    }
}
