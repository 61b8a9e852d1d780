//! Secret values and Stripe identifiers as newtypes.
//!
//! Secrets (secret keys, authorization codes, access and refresh tokens) have a `Debug` that
//! prints a redacted marker and no `Display`. Their text is read through `secret()`, so every
//! place that handles the raw value names it.

use std::fmt;

use crate::error::Error;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Returns the secret text. Keep it out of logs and error messages.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// Wraps a value that came from Stripe and needs no format check.
            #[allow(dead_code)]
            pub(crate) fn from_raw(value: String) -> Self {
                Self(value)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(***)"))
            }
        }
    };
}

secret_type! {
    /// A platform secret key (`sk_test_…`, `sk_live_…`) or restricted key (`rk_test_…`,
    /// `rk_live_…`), sent as the credential of token and deauthorize requests.
    SecretKey
}

secret_type! {
    /// A single-use authorization code from the callback, valid for 5 minutes on Stripe's side.
    AuthorizationCode
}

secret_type! {
    /// An access token for the connected account. Stripe deprecates its use in favour of the
    /// platform key with the `Stripe-Account` header.
    AccessToken
}

secret_type! {
    /// A refresh token (`rt_…`) that obtains new access tokens for the connected account.
    RefreshToken
}

/// Key prefixes in the order they are checked, with their mode (`true` for live mode).
const SECRET_KEY_PREFIXES: [(&str, bool); 4] = [
    ("sk_test_", false),
    ("sk_live_", true),
    ("rk_test_", false),
    ("rk_live_", true),
];

/// Other Stripe identifiers that are mistaken for an authorization code or a refresh token.
const OTHER_ID_PREFIXES: [(&str, &str); 5] = [
    ("ca_", "a client_id"),
    ("sk_", "a secret key"),
    ("rk_", "a restricted key"),
    ("pk_", "a publishable key"),
    ("acct_", "a connected account id"),
];

fn has_whitespace_or_control(value: &str) -> bool {
    // The byte scan covers ASCII; only text with non-ASCII characters needs the Unicode check.
    let ascii_hit = value
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control());
    ascii_hit || (!value.is_ascii() && value.chars().any(|c| c.is_whitespace() || c.is_control()))
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl SecretKey {
    /// Checks and wraps a secret or restricted key.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the key is empty, is a publishable key (`pk_…`), contains
    /// whitespace, or lacks one of the prefixes `sk_test_`, `sk_live_`, `rk_test_`, `rk_live_`.
    /// The message never contains the key.
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        let key = key.into();
        if key.is_empty() {
            return Err(Error::invalid_input(
                "secret key",
                "the secret key is empty: pass the platform's secret key (sk_test_… or sk_live_…)",
            ));
        }
        if key.starts_with("pk_") {
            return Err(Error::invalid_input(
                "secret key",
                "the secret key is a publishable key (pk_…), which cannot call OAuth endpoints: \
                 pass the platform's secret key (sk_…) or a restricted key (rk_…)",
            ));
        }
        if has_whitespace_or_control(&key) {
            return Err(Error::invalid_input(
                "secret key",
                "the secret key contains whitespace or control characters: \
                 remove surrounding spaces and line breaks",
            ));
        }
        let known = SECRET_KEY_PREFIXES
            .iter()
            .any(|(prefix, _)| key.len() > prefix.len() && key.starts_with(prefix));
        if !known {
            return Err(Error::invalid_input(
                "secret key",
                "the secret key has an unknown format: expected sk_test_…, sk_live_…, \
                 rk_test_… or rk_live_…",
            ));
        }
        Ok(Self(key))
    }

    /// Returns `true` for a live mode key and `false` for a test mode key.
    pub fn livemode(&self) -> bool {
        SECRET_KEY_PREFIXES
            .iter()
            .find(|(prefix, _)| self.0.starts_with(prefix))
            .is_some_and(|(_, live)| *live)
    }
}

/// Rejects values that cannot be a code or token: empty, with whitespace or control characters,
/// or plainly another kind of Stripe id.
fn check_grant_value(role: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_input(
            role,
            format!("the {role} is empty: pass the value Stripe issued"),
        ));
    }
    if has_whitespace_or_control(value) {
        return Err(Error::invalid_input(
            role,
            format!(
                "the {role} contains whitespace or control characters: \
                 pass the value exactly as Stripe issued it, without line breaks"
            ),
        ));
    }
    for (prefix, kind) in OTHER_ID_PREFIXES {
        if value.starts_with(prefix) {
            return Err(Error::invalid_input(
                role,
                format!("the {role} looks like {kind} ({prefix}…): pass the {role} instead"),
            ));
        }
    }
    Ok(())
}

impl AuthorizationCode {
    /// Checks and wraps an authorization code.
    ///
    /// The `ac_` prefix is not demanded, because Stripe does not document the code format.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the code is empty, contains whitespace or control
    /// characters, or starts like another Stripe id (`ca_`, `sk_`, `rk_`, `pk_`, `acct_`) or a
    /// refresh token (`rt_`).
    pub fn new(code: impl Into<String>) -> Result<Self, Error> {
        let code = Self(code.into());
        code.check()?;
        Ok(code)
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        check_grant_value("authorization code", &self.0)?;
        if self.0.starts_with("rt_") {
            return Err(Error::invalid_input(
                "authorization code",
                "the authorization code looks like a refresh token (rt_…): \
                 pass it to refresh instead",
            ));
        }
        Ok(())
    }
}

impl RefreshToken {
    /// Checks and wraps a refresh token.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the token is empty, contains whitespace or control
    /// characters, or starts like another Stripe id, an authorization code (`ac_`) included.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        let token = token.into();
        check_grant_value("refresh token", &token)?;
        if token.starts_with("ac_") {
            return Err(Error::invalid_input(
                "refresh token",
                "the refresh token looks like an authorization code (ac_…): \
                 exchange it with exchange_code instead",
            ));
        }
        Ok(Self(token))
    }
}

/// A platform's client id (`ca_…`), from the Connect settings of the Stripe Dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    /// Checks and wraps a client id.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] unless the value is `ca_` followed by letters, digits or `_`. A
    /// secret, restricted or publishable key gets its own message, which never contains it.
    pub fn new(client_id: impl Into<String>) -> Result<Self, Error> {
        let client_id = client_id.into();
        for (prefix, kind) in [
            ("sk_", "a secret key"),
            ("rk_", "a restricted key"),
            ("pk_", "a publishable key"),
        ] {
            if client_id.starts_with(prefix) {
                return Err(Error::invalid_input(
                    "client_id",
                    format!(
                        "the client_id is {kind} ({prefix}…), not a client id: \
                         use the ca_… value from the Connect settings, and keep keys secret"
                    ),
                ));
            }
        }
        let valid = client_id
            .strip_prefix("ca_")
            .is_some_and(|rest| !rest.is_empty() && rest.chars().all(is_id_char));
        if !valid {
            return Err(Error::invalid_input(
                "client_id",
                "the client_id is invalid: expected ca_ followed by letters and digits, \
                 from the Connect settings of the Stripe Dashboard",
            ));
        }
        Ok(Self(client_id))
    }

    /// Returns the client id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A connected account id (`acct_…`), which Stripe's OAuth endpoints call `stripe_user_id`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AccountId(String);

impl AccountId {
    /// Checks and wraps a connected account id.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] unless the value is `acct_` followed by letters, digits or `_`.
    pub fn new(account_id: impl Into<String>) -> Result<Self, Error> {
        let account_id = account_id.into();
        if !Self::is_valid(&account_id) {
            return Err(Error::invalid_input(
                "stripe_user_id",
                "the stripe_user_id is invalid: expected a connected account id, \
                 acct_ followed by letters and digits",
            ));
        }
        Ok(Self(account_id))
    }

    /// Wraps a value that [`AccountId::is_valid`] accepted.
    pub(crate) fn from_checked(account_id: String) -> Self {
        Self(account_id)
    }

    pub(crate) fn is_valid(value: &str) -> bool {
        value
            .strip_prefix("acct_")
            .is_some_and(|rest| !rest.is_empty() && rest.chars().all(is_id_char))
    }

    /// Returns the account id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_is_redacted() {
        let key = SecretKey::new("sk_test_CANARY").unwrap();
        let code = AuthorizationCode::new("ac_CANARY").unwrap();
        assert_eq!(format!("{key:?}"), "SecretKey(***)");
        assert_eq!(format!("{code:?}"), "AuthorizationCode(***)");
        assert_eq!(key.secret(), "sk_test_CANARY");
    }

    #[test]
    fn secret_key_mode_follows_prefix() {
        assert!(!SecretKey::new("sk_test_1").unwrap().livemode());
        assert!(SecretKey::new("sk_live_1").unwrap().livemode());
        assert!(!SecretKey::new("rk_test_1").unwrap().livemode());
        assert!(SecretKey::new("rk_live_1").unwrap().livemode());
    }

    #[test]
    fn secret_key_rejects_wrong_kinds() {
        for key in [
            "",
            "pk_test_1",
            "sk_test_",
            "sk_other_1",
            "ca_1",
            " sk_test_1",
        ] {
            assert!(SecretKey::new(key).is_err(), "{key:?} was accepted");
        }
    }

    #[test]
    fn code_rejects_other_ids() {
        for code in [
            "",
            "ac_1\n",
            "ac 1",
            "ac\u{a0}1",
            "ca_1",
            "sk_test_1",
            "rk_live_1",
            "pk_1",
            "acct_1",
        ] {
            assert!(
                AuthorizationCode::new(code).is_err(),
                "{code:?} was accepted"
            );
        }
        assert!(AuthorizationCode::new("anything_else").is_ok());
    }

    #[test]
    fn refresh_token_rejects_codes() {
        assert!(RefreshToken::new("ac_1").is_err());
        assert!(RefreshToken::new("rt_1").is_ok());
    }

    #[test]
    fn account_id_requires_acct_prefix() {
        assert!(AccountId::new("acct_1A").is_ok());
        assert!(AccountId::new("acct_").is_err());
        assert!(AccountId::new("ca_1").is_err());
    }
}
